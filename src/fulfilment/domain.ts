/**
 * Picking slips ("romaneio de separação", seeds: "Imprimir" / "Imprimir (Impressora Térmica)"): the sheet a
 * store puts with the goods it picked. This module holds what a slip says — the pt-BR words and the
 * formatting of money, documents and São Paulo times — and nothing about paper; slip-layout.ts lays it out.
 */

export const layouts = ['a4', 'thermal'] as const;
export type Layout = (typeof layouts)[number];
/** What the seeds' "Imprimir" prints: a sheet for the matrix printer. */
export const defaultLayout: Layout = 'a4';

/** A batch prints at most this many orders: a day's picking wave, not the whole history. */
export const MAX_BATCH = 100;

export const TIME_ZONE = 'America/Sao_Paulo';

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

const thousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** "1234.5" → "R$ 1.234,50" from the decimal string itself: money never goes through a float. */
export function formatMoney(amount: string): string {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return amount;
  const units = m[2]!.replace(/^0+(?=\d)/, '');
  const cents = (m[3] ?? '').padEnd(2, '0');
  const negative = m[1] === '-' && /[1-9]/.test(units + cents);
  return `${negative ? '-' : ''}${labels.currency} ${thousands(units)},${cents}`;
}

/** 1234 → "1.234". */
export const formatInteger = (n: number): string =>
  `${n < 0 ? '-' : ''}${thousands(String(Math.trunc(Math.abs(n))))}`;

/** CPF 000.000.000-00, CNPJ 00.000.000/0000-00 (alphanumeric too); anything else as it came. */
export function formatDocument(value: string): { kind: 'cpf' | 'cnpj' | 'other'; text: string } {
  const s = value.replace(/[.\-/\s]/g, '').toUpperCase();
  if (/^[0-9]{11}$/.test(s)) {
    return { kind: 'cpf', text: `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}` };
  }
  if (/^[0-9A-Z]{12}[0-9]{2}$/.test(s)) {
    return {
      kind: 'cnpj',
      text: `${s.slice(0, 2)}.${s.slice(2, 5)}.${s.slice(5, 8)}/${s.slice(8, 12)}-${s.slice(12)}`,
    };
  }
  return { kind: 'other', text: value.trim() };
}

/** CEP 00000-000 when it has its 8 digits. */
export function formatPostalCode(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 8 ? `${digits.slice(0, 5)}-${digits.slice(5)}` : value.trim();
}

const dateTimeFormat = new Intl.DateTimeFormat('pt-BR', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** dd/mm/aaaa hh:mm in São Paulo (times are stored in UTC). */
export function formatDateTime(at: Date): string {
  const part = Object.fromEntries(dateTimeFormat.formatToParts(at).map((p) => [p.type, p.value]));
  return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
}
