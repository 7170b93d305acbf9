/**
 * What the DANFE prints, as text: its own formatters (the key, nNF, rates; the pt-BR ones are
 * platform/format-br.ts), the product table's columns and rows, and how
 * the rows split into pages (MOC 7.0 Anexo II, "Leiaute do DANFE"). Pure: the drawing is danfe.ts's.
 */

import { formatInteger, formatMoney } from '../../platform/format-br.ts';
import type { ComputedItem, FiscalItem, FreightMode, PaymentMethod } from '../domain.ts';
import { formatRate, parseRate } from '../domain.ts';

/** The access key in eleven groups of four, as Anexo II prints it under the barcode. */
export function formatAccessKey(key: string): string {
  return key.replace(/(.{4})(?=.)/g, '$1 ');
}

/** nNF with nine digits in groups of three: 1042 → "000.001.042". */
export function formatDocumentNumber(n: number): string {
  return String(n)
    .padStart(9, '0')
    .replace(/(\d{3})(?=\d)/g, '$1.');
}

/** A tax rate ('18.00', '1.65') the pt-BR way, two decimals. */
export function formatPercent(rate: string): string {
  const parsed = parseRate(rate);
  if (parsed === null) return rate;
  return formatRate(parsed)
    .replace(/(\.\d\d)\d*$/, '$1')
    .replace('.', ',');
}

export const freightModeLabels: Record<FreightMode, string> = {
  '0': '0 - POR CONTA DO REMETENTE',
  '1': '1 - POR CONTA DO DESTINATÁRIO',
  '2': '2 - POR CONTA DE TERCEIROS',
  '3': '3 - PRÓPRIO POR CONTA DO REMETENTE',
  '4': '4 - PRÓPRIO POR CONTA DO DESTINATÁRIO',
  '9': '9 - SEM OCORRÊNCIA DE TRANSPORTE',
};

export interface Column {
  readonly label: string;
  /** Width in points; the description takes what the others leave. */
  readonly width: number;
  readonly align: 'left' | 'right' | 'center';
}

/** "Dados dos produtos/serviços" in Anexo II order; widths add up to the 555 pt of an A4 page less margins. */
export const productColumns: readonly Column[] = [
  { label: 'CÓDIGO', width: 52, align: 'left' },
  { label: 'DESCRIÇÃO DO PRODUTO/SERVIÇO', width: 148, align: 'left' },
  { label: 'NCM/SH', width: 41, align: 'center' },
  { label: 'CST/CSOSN', width: 30, align: 'center' },
  { label: 'CFOP', width: 22, align: 'center' },
  { label: 'UNID.', width: 22, align: 'center' },
  { label: 'QUANT.', width: 36, align: 'right' },
  { label: 'VALOR UNIT.', width: 42, align: 'right' },
  { label: 'VALOR TOTAL', width: 44, align: 'right' },
  { label: 'BC ICMS', width: 42, align: 'right' },
  { label: 'VALOR ICMS', width: 40, align: 'right' },
  { label: 'ALÍQ. ICMS', width: 36, align: 'right' },
];

/** The cells of one product row, in `productColumns` order. */
export function productCells(item: FiscalItem, values: ComputedItem): string[] {
  const tax = item.icms;
  return [
    item.code,
    item.description,
    item.ncm,
    tax.origin + (tax.regime === 'simples' ? tax.csosn : tax.cst),
    item.cfop,
    item.unit,
    `${formatInteger(item.quantity)},0000`,
    formatMoney(item.unitPrice),
    formatMoney(values.grossValue),
    formatMoney(values.icmsBase),
    formatMoney(values.icmsValue),
    tax.regime === 'normal' ? formatPercent(tax.rate) : '0,00',
  ];
}

/**
 * Breaks `text` into lines no wider than `width` as `measure` sees it; a word longer than a line is
 * cut by characters. Always at least one line.
 */
export function wrapText(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (measure(candidate) <= width) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = '';
    let rest = word;
    while (measure(rest) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && measure(rest.slice(0, cut)) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  lines.push(current);
  return lines;
}

/**
 * Splits rows of the given heights into pages: the first page holds `first` points of rows, each
 * following page `next`. Returns the row indexes of each page; there is always at least one page.
 */
export function paginateRows(heights: readonly number[], first: number, next: number): number[][] {
  const pages: number[][] = [[]];
  let room = first;
  heights.forEach((h, i) => {
    const page = pages[pages.length - 1]!;
    if (h > room && page.length > 0) {
      pages.push([i]);
      room = next - h;
    } else {
      page.push(i);
      room -= h;
    }
  });
  return pages;
}

/** tPag as the DANFE NFC-e prints it. */
export const paymentMethodLabels: Record<PaymentMethod, string> = {
  '01': 'Dinheiro',
  '03': 'Cartão de Crédito',
  '04': 'Cartão de Débito',
  '05': 'Crédito Loja',
  '10': 'Vale Alimentação',
  '15': 'Boleto Bancário',
  '16': 'Depósito Bancário',
  '17': 'PIX',
  '18': 'Transferência bancária',
  '90': 'Sem pagamento',
  '99': 'Outros',
};
