/**
 * The DANFE of an NF-e (model 55): A4 portrait, the blocks of MOC 7.0 Anexo II simplified — canhoto,
 * identification with the Code 128C barcode of the access key, recipient, taxes, carrier, products
 * (the header repeated on every page, "Folha x/y") and additional information. Helvetica, one of the
 * PDF standard fonts (WinAnsi, so Portuguese accents need nothing embedded).
 */

import {
  formatCnpj,
  formatCpf,
  formatDate,
  formatMoney,
  formatPhone,
  formatPostalCode,
  formatTime,
} from '../../platform/format-br.ts';
import { code128, drawBars, renderPdf } from '../../platform/pdf.ts';
import {
  type ComputedDocument,
  type Contingency,
  type FiscalAddress,
  type FiscalDocument,
  SVC_AN,
  SVC_RS,
} from '../domain.ts';
import { HOMOLOGATION_RECIPIENT_NAME } from '../xml/index.ts';
import {
  formatAccessKey,
  formatDocumentNumber,
  freightModeLabels,
  paginateRows,
  productCells,
  productColumns,
  wrapText,
} from './danfe-layout.ts';

export interface DanfeInput {
  readonly document: FiscalDocument;
  readonly computed: ComputedDocument;
  readonly accessKey: string;
  /** The authorisation protocol (nProt, dhRecbto); null prints the document as without fiscal value. */
  readonly authorisation: { readonly protocol: string; readonly authorisedAt: Date } | null;
}

export const NOT_AUTHORISED_NOTICE = 'SEM VALOR FISCAL - NÃO AUTORIZADA';
export const HOMOLOGATION_NOTICE = 'EMITIDA EM AMBIENTE DE HOMOLOGAÇÃO - SEM VALOR FISCAL';

const PAGE = { width: 595.28, height: 841.89 };
const M = 20;
const W = PAGE.width - 2 * M;
const ROW = 22;
const LABEL = 5.5;
const VALUE = 8;
const ITEM_FONT = 6.5;
const ITEM_LINE = 8;
const ADDITIONAL_HEIGHT = 80;
const DUPLICATES_PER_ROW = 6;
const TITLE = 13;
const TABLE_HEADER = 16;
const IDENTIFICATION_HEIGHT = 118;
/** Below the canhoto and its cut line on the first page. */
const FIRST_TOP = M + 62;

type Doc = PDFKit.PDFDocument;

export function renderDanfe(input: DanfeInput): Promise<Buffer> {
  const { document: nfe } = input;
  return renderPdf(`DANFE ${input.accessKey}`, (doc) => {
    const descriptionWidth = productColumns[1]!.width - 4;
    doc.font('Helvetica').fontSize(ITEM_FONT);
    const rows = nfe.items.map((item, i) => {
      const cells = productCells(item, input.computed.items[i]!);
      const description = wrapText(cells[1]!, descriptionWidth, (s) => doc.widthOfString(s));
      return { cells, description, height: description.length * ITEM_LINE + 3 };
    });
    const bottom = PAGE.height - M;
    // Where the rows start: below the blocks drawn above them (each section title is TITLE high).
    const billingRows = Math.ceil((nfe.billing?.installments.length ?? 0) / DUPLICATES_PER_ROW);
    const billingHeight = billingRows > 0 ? TITLE + billingRows * ROW : 0;
    const firstTop = FIRST_TOP + IDENTIFICATION_HEIGHT + 8 * ROW + 4 * TITLE + billingHeight + TABLE_HEADER;
    const nextTop = M + IDENTIFICATION_HEIGHT + 2 * ROW + TITLE + TABLE_HEADER;
    const pages = paginateRows(
      rows.map((r) => r.height),
      bottom - ADDITIONAL_HEIGHT - 6 - firstTop,
      bottom - nextTop,
    );

    pages.forEach((indexes, p) => {
      doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
      // Behind everything else, so the blocks stay legible.
      if (!input.authorisation) watermark(doc);
      if (p === 0) canhoto(doc, input);
      let y = identification(doc, input, p === 0 ? FIRST_TOP : M, p + 1, pages.length);
      if (p === 0) y = recipientAndTaxes(doc, input, y);
      y = sectionTitle(doc, 'DADOS DOS PRODUTOS / SERVIÇOS', y);
      y = productHeader(doc, y);
      const tableTop = y;
      // The pagination above assumed this top; a block drawn taller would push rows off the page.
      if (tableTop !== (p === 0 ? firstTop : nextTop))
        throw new Error(`DANFE layout drifted: rows at ${tableTop}`);
      for (const i of indexes) {
        const row = rows[i]!;
        let x = M;
        productColumns.forEach((col, c) => {
          doc.font('Helvetica').fontSize(ITEM_FONT);
          const lines = c === 1 ? row.description : [row.cells[c]!];
          lines.forEach((line, l) => {
            doc.text(line, x + 2, y + 2 + l * ITEM_LINE, {
              width: col.width - 4,
              align: col.align,
              lineBreak: false,
            });
          });
          x += col.width;
        });
        y += row.height;
        doc
          .moveTo(M, y)
          .lineTo(M + W, y)
          .lineWidth(0.2)
          .dash(1, { space: 1 })
          .stroke()
          .undash();
      }
      const tableBottom = p === 0 ? bottom - ADDITIONAL_HEIGHT - 6 : bottom;
      verticalRules(doc, tableTop, tableBottom);
      doc
        .lineWidth(0.5)
        .rect(M, tableTop, W, tableBottom - tableTop)
        .stroke();
      if (p === 0) additionalInfo(doc, input, tableBottom + 6);
    });
  });
}

function label(doc: Doc, text: string, x: number, y: number, width: number) {
  doc.font('Helvetica').fontSize(LABEL).fillColor('black');
  doc.text(text, x + 2, y + 2, { width: width - 4, lineBreak: false });
}

/** A boxed field: the small caption on top, the value below. */
function cell(
  doc: Doc,
  x: number,
  y: number,
  width: number,
  caption: string,
  value: string,
  opts: { align?: 'left' | 'right' | 'center'; bold?: boolean; height?: number; size?: number } = {},
) {
  const height = opts.height ?? ROW;
  doc.lineWidth(0.5).rect(x, y, width, height).stroke();
  label(doc, caption, x, y, width);
  doc
    .font(opts.bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(opts.size ?? VALUE)
    .text(value, x + 2, y + height - (opts.size ?? VALUE) - 3, {
      width: width - 4,
      align: opts.align ?? 'left',
      lineBreak: false,
      ellipsis: true,
    });
}

/** A row of boxed fields sharing the width `W`; the last one takes what is left. */
function fields(
  doc: Doc,
  y: number,
  specs: ReadonlyArray<[caption: string, value: string, width: number, align?: 'left' | 'right' | 'center']>,
): number {
  let x = M;
  specs.forEach(([caption, value, width, align], i) => {
    const w = i === specs.length - 1 ? M + W - x : width;
    cell(doc, x, y, w, caption, value, align ? { align } : {});
    x += w;
  });
  return y + ROW;
}

function sectionTitle(doc: Doc, title: string, y: number): number {
  doc
    .font('Helvetica-Bold')
    .fontSize(6.5)
    .fillColor('black')
    .text(title, M, y + 4, { lineBreak: false });
  return y + TITLE;
}

/** The canhoto: the tear-off strip the recipient dates and signs, kept by the emitter as proof of delivery. */
function canhoto(doc: Doc, input: DanfeInput) {
  const { document: nfe } = input;
  const canhotoWidth = W - 110;
  doc.lineWidth(0.5).rect(M, M, canhotoWidth, 24).stroke();
  label(
    doc,
    `RECEBEMOS DE ${nfe.emitter.name.toLocaleUpperCase('pt-BR')} OS PRODUTOS CONSTANTES DA NOTA FISCAL INDICADA AO LADO`,
    M,
    M + 2,
    canhotoWidth,
  );
  doc
    .font('Helvetica')
    .fontSize(6)
    .text(
      `EMISSÃO: ${formatDate(nfe.issuedAt)}  DESTINATÁRIO: ${recipientName(nfe)}  VALOR TOTAL: R$ ${formatMoney(input.computed.totals.total)}`,
      M + 2,
      M + 14,
      { width: canhotoWidth - 4, lineBreak: false, ellipsis: true },
    );
  cell(doc, M, M + 24, 110, 'DATA DE RECEBIMENTO', '');
  cell(doc, M + 110, M + 24, canhotoWidth - 110, 'IDENTIFICAÇÃO E ASSINATURA DO RECEBEDOR', '');
  const x = M + canhotoWidth;
  doc.rect(x, M, 110, 46).stroke();
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .text('NF-e', x, M + 5, { width: 110, align: 'center' });
  doc
    .fontSize(8)
    .text(`Nº ${formatDocumentNumber(nfe.number)}`, x, M + 20, { width: 110, align: 'center' })
    .text(`SÉRIE ${String(nfe.series).padStart(3, '0')}`, x, M + 31, { width: 110, align: 'center' });
  doc
    .moveTo(M, M + 54)
    .lineTo(M + W, M + 54)
    .lineWidth(0.5)
    .dash(3, { space: 2 })
    .stroke()
    .undash();
}

/** Emitter, DANFE title, barcode and key, nature of the operation, protocol, registrations. */
function identification(doc: Doc, input: DanfeInput, top: number, page: number, pages: number): number {
  const { document: nfe, accessKey, authorisation } = input;
  const e = nfe.emitter;
  const h = IDENTIFICATION_HEIGHT;
  const emitterWidth = 225;
  const titleWidth = 110;
  const keyX = M + emitterWidth + titleWidth;
  const keyWidth = W - emitterWidth - titleWidth;

  doc.lineWidth(0.5).rect(M, top, emitterWidth, h).stroke();
  label(doc, 'IDENTIFICAÇÃO DO EMITENTE', M, top, emitterWidth);
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(e.name, M + 6, top + 18, { width: emitterWidth - 12, align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(7.5)
    .text(addressLines(e.address).join('\n'), M + 6, doc.y + 6, {
      width: emitterWidth - 12,
      align: 'center',
    });

  const tx = M + emitterWidth;
  doc.rect(tx, top, titleWidth, h).stroke();
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .text('DANFE', tx, top + 6, { width: titleWidth, align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(7)
    .text('Documento Auxiliar da Nota Fiscal Eletrônica', tx + 8, top + 24, {
      width: titleWidth - 16,
      align: 'center',
    });
  doc.fontSize(7).text('0 - ENTRADA', tx + 10, top + 48, { lineBreak: false });
  doc.text('1 - SAÍDA', tx + 10, top + 57, { lineBreak: false });
  doc.rect(tx + titleWidth - 30, top + 46, 18, 18).stroke();
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(nfe.direction, tx + titleWidth - 30, top + 50, { width: 18, align: 'center', lineBreak: false });
  doc
    .fontSize(9)
    .text(`Nº ${formatDocumentNumber(nfe.number)}`, tx, top + 74, { width: titleWidth, align: 'center' })
    .text(`SÉRIE ${String(nfe.series).padStart(3, '0')}`, tx, top + 86, {
      width: titleWidth,
      align: 'center',
    })
    .text(`FOLHA ${page}/${pages}`, tx, top + 98, { width: titleWidth, align: 'center' });

  doc.rect(keyX, top, keyWidth, 48).stroke();
  drawBarcode(doc, accessKey, keyX + 8, top + 6, keyWidth - 16, 36);
  cell(doc, keyX, top + 48, keyWidth, 'CHAVE DE ACESSO', formatAccessKey(accessKey), {
    align: 'center',
    bold: true,
    // The 44 digits and 10 spaces must fit on one line of the key's box.
    size: 7.5,
  });
  doc.rect(keyX, top + 48 + ROW, keyWidth, h - 48 - ROW).stroke();
  doc
    .font('Helvetica')
    .fontSize(7.5)
    .text(
      'Consulta de autenticidade no portal nacional da NF-e www.nfe.fazenda.gov.br/portal ou no site da Sefaz Autorizadora',
      keyX + 6,
      top + 48 + ROW + 8,
      { width: keyWidth - 12, align: 'center' },
    );

  let y = top + h;
  const protocol = authorisation
    ? `${authorisation.protocol} - ${formatDate(authorisation.authorisedAt)} ${formatTime(authorisation.authorisedAt)}`
    : NOT_AUTHORISED_NOTICE;
  y = fields(doc, y, [
    ['NATUREZA DA OPERAÇÃO', nfe.natureOfOperation, emitterWidth + titleWidth],
    ['PROTOCOLO DE AUTORIZAÇÃO DE USO', protocol, keyWidth, 'center'],
  ]);
  y = fields(doc, y, [
    ['INSCRIÇÃO ESTADUAL', e.stateRegistration, 185],
    ['INSC. ESTADUAL DO SUBST. TRIBUTÁRIO', '', 185],
    ['CNPJ', formatCnpj(e.cnpj), 185],
  ]);
  return y;
}

function recipientAndTaxes(doc: Doc, input: DanfeInput, top: number): number {
  const { document: nfe, computed } = input;
  const r = nfe.recipient;
  const a = r?.address;
  const doc_ = r
    ? r.document.kind === 'cpf'
      ? formatCpf(r.document.number)
      : formatCnpj(r.document.number)
    : '';
  let y = sectionTitle(doc, 'DESTINATÁRIO / REMETENTE', top);
  y = fields(doc, y, [
    ['NOME / RAZÃO SOCIAL', recipientName(nfe), 330],
    ['CNPJ / CPF', doc_, 130],
    ['DATA DA EMISSÃO', formatDate(nfe.issuedAt), 95, 'center'],
  ]);
  y = fields(doc, y, [
    ['ENDEREÇO', a ? street(a) : '', 250],
    ['BAIRRO / DISTRITO', a?.district ?? '', 140],
    ['CEP', a ? formatPostalCode(a.postalCode) : '', 70],
    ['DATA DA SAÍDA/ENTRADA', formatDate(nfe.issuedAt), 95, 'center'],
  ]);
  y = fields(doc, y, [
    ['MUNICÍPIO', a?.city ?? '', 210],
    ['FONE / FAX', formatPhone(a?.phone), 110],
    ['UF', a?.state ?? '', 30, 'center'],
    ['INSCRIÇÃO ESTADUAL', r?.stateRegistration ?? '', 110],
    ['HORA DA SAÍDA/ENTRADA', formatTime(nfe.issuedAt), 95, 'center'],
  ]);

  const t = computed.totals;
  // FATURA / DUPLICATA (MOC Anexo II): each installment's number, due date and value.
  const installments = nfe.billing?.installments ?? [];
  if (installments.length > 0) {
    y = sectionTitle(doc, 'FATURA / DUPLICATA', y);
    for (let i = 0; i < installments.length; i += DUPLICATES_PER_ROW) {
      y = fields(
        doc,
        y,
        installments
          .slice(i, i + DUPLICATES_PER_ROW)
          .map((d): [string, string, number] => [
            `Nº ${d.number}  VENC. ${formatDate(new Date(`${d.dueDate}T12:00:00Z`))}`,
            formatMoney(d.amount),
            W / DUPLICATES_PER_ROW,
          ]),
      );
    }
  }
  y = sectionTitle(doc, 'CÁLCULO DO IMPOSTO', y);
  const money = (caption: string, cents: bigint): [string, string, number, 'right'] => [
    caption,
    formatMoney(cents),
    W / 5,
    'right',
  ];
  y = fields(doc, y, [
    money('BASE DE CÁLC. DO ICMS', t.icmsBase),
    money('VALOR DO ICMS', t.icmsValue),
    money('BASE DE CÁLC. ICMS S.T.', 0n),
    money('VALOR DO ICMS SUBST.', 0n),
    money('VALOR TOTAL DOS PRODUTOS', t.products),
  ]);
  const six = (caption: string, cents: bigint): [string, string, number, 'right'] => [
    caption,
    formatMoney(cents),
    W / 6,
    'right',
  ];
  y = fields(doc, y, [
    six('VALOR DO FRETE', t.freight),
    six('VALOR DO SEGURO', 0n),
    six('DESCONTO', t.discount),
    six('OUTRAS DESPESAS', 0n),
    six('VALOR TOTAL DO IPI', 0n),
    six('VALOR TOTAL DA NOTA', t.total),
  ]);

  y = sectionTitle(doc, 'TRANSPORTADOR / VOLUMES TRANSPORTADOS', y);
  y = fields(doc, y, [
    ['RAZÃO SOCIAL', '', 200],
    ['FRETE POR CONTA', freightModeLabels[nfe.freight.mode], 150],
    ['CÓDIGO ANTT', '', 60],
    ['PLACA DO VEÍCULO', '', 60],
    ['UF', '', 85],
  ]);
  return y;
}

function productHeader(doc: Doc, y: number): number {
  let x = M;
  doc.lineWidth(0.5).rect(M, y, W, TABLE_HEADER).stroke();
  for (const col of productColumns) {
    doc
      .font('Helvetica-Bold')
      .fontSize(5)
      .text(col.label, x + 1, y + 3, { width: col.width - 2, align: 'center' });
    x += col.width;
  }
  verticalRules(doc, y, y + TABLE_HEADER);
  return y + TABLE_HEADER;
}

function verticalRules(doc: Doc, top: number, bottom: number) {
  let x = M;
  for (const col of productColumns.slice(0, -1)) {
    x += col.width;
    doc.moveTo(x, top).lineTo(x, bottom).lineWidth(0.3).stroke();
  }
}

/**
 * An NF-e issued in SVC says so on its DANFE, with when the contingency began and why (dhCont, xJust of
 * its XML; MOC 7.0 §3): whoever receives the goods can tell which authoriser holds it.
 */
export function contingencyNotice(contingency: Contingency): string {
  const authoriser =
    contingency.emissionType === SVC_AN
      ? 'SVC-AN'
      : contingency.emissionType === SVC_RS
        ? 'SVC-RS'
        : 'off-line';
  return (
    `EMITIDA EM CONTINGÊNCIA ${authoriser} desde ${formatDate(contingency.since)} ` +
    `${formatTime(contingency.since)}. Justificativa: ${contingency.justification}`
  );
}

function additionalInfo(doc: Doc, input: DanfeInput, top: number) {
  const info = input.document.additionalInfo;
  const y = sectionTitle(doc, 'DADOS ADICIONAIS', top);
  const h = ADDITIONAL_HEIGHT - TITLE;
  const contingency = input.document.contingency;
  const complementary = [
    input.document.environment === '2' ? HOMOLOGATION_NOTICE : '',
    contingency ? contingencyNotice(contingency) : '',
    info?.forTaxpayer ?? '',
    input.document.payments.length > 0
      ? `Pagamentos: ${input.document.payments.map((p) => `${p.method} R$ ${formatMoney(p.amount)}`).join('; ')}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  doc
    .lineWidth(0.5)
    .rect(M, y, W * 0.65, h)
    .stroke();
  label(doc, 'INFORMAÇÕES COMPLEMENTARES', M, y, W * 0.65);
  doc
    .font('Helvetica')
    .fontSize(6.5)
    .text(complementary, M + 3, y + 10, { width: W * 0.65 - 6, height: h - 12, ellipsis: true });
  doc.rect(M + W * 0.65, y, W * 0.35, h).stroke();
  label(doc, 'RESERVADO AO FISCO', M + W * 0.65, y, W * 0.35);
  if (info?.forFisco)
    doc.text(info.forFisco, M + W * 0.65 + 3, y + 10, {
      width: W * 0.35 - 6,
      height: h - 12,
      ellipsis: true,
    });
}

function watermark(doc: Doc) {
  doc.save();
  doc.rotate(-40, { origin: [PAGE.width / 2, PAGE.height / 2] });
  doc.font('Helvetica-Bold').fontSize(40).fillColor('#c8c8c8', 0.5);
  doc.text('SEM VALOR FISCAL', 0, PAGE.height / 2 - 20, {
    width: PAGE.width,
    align: 'center',
    lineBreak: false,
  });
  doc.restore();
  doc.fillColor('black', 1);
}

/** Code 128 of the 44 digits; bwip-js encodes an even run of digits in code set C (Anexo II). */
function drawBarcode(doc: Doc, key: string, x: number, y: number, maxWidth: number, height: number) {
  const symbol = code128(key);
  const module = maxWidth / symbol.reduce((a, b) => a + b, 0);
  drawBars(
    doc,
    symbol.map((w) => w * module),
    x,
    y,
    height,
  );
}

function recipientName(nfe: FiscalDocument): string {
  // The DANFE shows what the XML carries: in homologação the name of rejection 598.
  if (!nfe.recipient) return '';
  return nfe.environment === '2' ? HOMOLOGATION_RECIPIENT_NAME : nfe.recipient.name;
}

function street(a: FiscalAddress): string {
  return `${a.street}, ${a.number}${a.complement ? ` - ${a.complement}` : ''}`;
}

function addressLines(a: FiscalAddress): string[] {
  return [
    street(a),
    `${a.district} - CEP ${formatPostalCode(a.postalCode)}`,
    `${a.city} - ${a.state}`,
    a.phone ? `Fone: ${formatPhone(a.phone)}` : '',
  ].filter(Boolean);
}
