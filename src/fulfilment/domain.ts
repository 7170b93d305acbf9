/**
 * Picking slips ("romaneio de separação", seeds: "Imprimir" / "Imprimir (Impressora Térmica)"): the sheet a
 * store puts with the goods it picked. This module holds what a slip says — the pt-BR words and the
 * formatting of money, documents and São Paulo times (platform/format-br.ts) — and nothing about paper;
 * slip-layout.ts lays it out.
 */
import {
  formatMoney as formatCents,
  formatDateTime,
  formatDocument,
  formatInteger,
  formatPostalCode,
} from '../platform/format-br.ts';
import { centsOf } from '../platform/money.ts';

export const layouts = ['a4', 'thermal'] as const;
export type Layout = (typeof layouts)[number];
/** What the seeds' "Imprimir" prints: a sheet for the matrix printer. */
export const defaultLayout: Layout = 'a4';

/** A batch prints at most this many orders: a day's picking wave, not the whole history. */
export const MAX_BATCH = 100;

/** Every word the slip prints, so an English slip is this one object away. */
export const labels = {
  title: 'Romaneio de separação',
  continued: 'continuação',
  store: 'Loja',
  order: 'Pedido',
  externalId: 'Pedido externo',
  channel: 'Canal',
  placedAt: 'Data do pedido',
  deliveryType: 'Entrega',
  carrier: 'Transportadora',
  customer: 'Cliente',
  document: { cpf: 'CPF', cnpj: 'CNPJ', other: 'Documento' },
  phone: 'Telefone',
  address: 'Endereço de entrega',
  postalCode: 'CEP',
  items: 'Itens',
  line: 'Lin',
  sku: 'SKU',
  description: 'Descrição',
  quantity: 'Qtd',
  picked: 'Separado',
  pickedShort: 'Sep.',
  totalUnits: 'Total de unidades',
  payments: 'Pagamentos',
  totals: 'Totais',
  itemsTotal: 'Itens',
  discountTotal: 'Descontos',
  freight: 'Frete',
  total: 'Total',
  pickedBy: 'Separado por',
  checkedBy: 'Conferido por',
  printedAt: 'Impresso em',
  page: (page: number, of: number) => `Página ${page} de ${of}`,
  installments: (n: number) => `${n}x`,
  currency: 'R$',
  deliveryTypes: { pickup: 'Retira na loja', ship: 'Envio pela loja' },
  paymentMethods: {
    credit_card: 'Cartão de crédito',
    debit_card: 'Cartão de débito',
    pix: 'Pix',
    invoice: 'Boleto/faturado',
    marketplace: 'Marketplace',
  },
  fileName: (number: number) => `separacao-${number}.pdf`,
  batchFileName: 'separacao-lote.pdf',
} as const;

/**
 * The order as a slip needs it (the orders context's OrderView fits). The delivery types and payment methods
 * are the ones `labels` names: a new method in the orders context fails the type-check here until it has words.
 */
export interface SlipOrder {
  number: number;
  externalId: string;
  storeCode: string;
  storeName: string;
  channel: string;
  deliveryType: keyof typeof labels.deliveryTypes;
  carrier: string | null;
  placedAt: string;
  customer: {
    name: string;
    document: string;
    phone: string;
    address: {
      street: string;
      number: string;
      complement?: string | null;
      district: string;
      city: string;
      state: string;
      postalCode: string;
    } | null;
  };
  items: { line: number; sku: string; description: string; quantity: number }[];
  payments: { method: keyof typeof labels.paymentMethods; amount: string; installments: number | null }[];
  itemsTotal: string;
  discountTotal: string;
  freight: string;
  total: string;
}

export type Field = readonly [label: string, value: string];

/** What one slip says, every value already formatted for a reader in Brazil. */
export interface Slip {
  number: string;
  /** What the barcode encodes: the order number, as the counter types it. */
  barcode: string;
  store: string;
  order: Field[];
  customer: Field[];
  /** Delivery address lines, ship orders only. */
  address: string[] | null;
  items: { line: string; sku: string; description: string; quantity: string }[];
  totalUnits: string;
  payments: Field[];
  totals: Field[];
  printedAt: string;
}

export function pickingSlip(order: SlipOrder, printedAt: Date): Slip {
  const document = formatDocument(order.customer.document);
  const address = order.deliveryType === 'ship' ? order.customer.address : null;
  return {
    number: String(order.number),
    barcode: String(order.number),
    store: `${order.storeCode} - ${order.storeName}`,
    order: [
      [labels.externalId, order.externalId],
      [labels.channel, order.channel],
      [labels.placedAt, formatDateTime(new Date(order.placedAt))],
      [labels.deliveryType, labels.deliveryTypes[order.deliveryType]],
      ...(order.carrier ? [[labels.carrier, order.carrier] as const] : []),
    ],
    customer: [
      [labels.customer, order.customer.name],
      [labels.document[document.kind], document.text],
      [labels.phone, order.customer.phone],
    ],
    address: address
      ? [
          `${address.street}, ${address.number}${address.complement ? ` - ${address.complement}` : ''}`,
          `${address.district} - ${address.city}/${address.state}`,
          `${labels.postalCode} ${formatPostalCode(address.postalCode)}`,
        ]
      : null,
    items: order.items.map((item) => ({
      line: String(item.line).padStart(3, '0'),
      sku: item.sku,
      description: item.description,
      quantity: formatInteger(item.quantity),
    })),
    totalUnits: formatInteger(order.items.reduce((sum, item) => sum + item.quantity, 0)),
    payments: order.payments.map((p) => [
      `${labels.paymentMethods[p.method]}${p.installments && p.installments > 1 ? ` (${labels.installments(p.installments)})` : ''}`,
      formatMoney(p.amount),
    ]),
    totals: [
      [labels.itemsTotal, formatMoney(order.itemsTotal)],
      [labels.discountTotal, formatMoney(order.discountTotal)],
      [labels.freight, formatMoney(order.freight)],
      [labels.total, formatMoney(order.total)],
    ],
    printedAt: formatDateTime(printedAt),
  };
}

/** The ids of a batch, each once, in the order they were selected. */
export const uniqueIds = (ids: readonly string[]): string[] => [
  ...new Set(ids.map((id) => id.toLowerCase())),
];

// --- formatting ----------------------------------------------------------------------------------

/** "1234.5" → "R$ 1.234,50" from the decimal string itself: money never goes through a float. */
export function formatMoney(amount: string): string {
  let cents: bigint;
  try {
    cents = centsOf(amount);
  } catch {
    return amount;
  }
  const negative = cents < 0n;
  return `${negative ? '-' : ''}${labels.currency} ${formatCents(negative ? -cents : cents)}`;
}
