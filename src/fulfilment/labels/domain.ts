/**
 * The logistic label ("etiqueta logística", seed 003 tab Etiqueta) and where labels sit on paper. Pure: what a
 * label says (pt-BR words, formatted CEPs and keys, the Correios DataMatrix string) and the slots of a batch
 * per TP_IMP_ETIQ_LOGISTICA_PED; label-pdf.ts draws them.
 */
import { formatPostalCode } from '../../platform/format-br.ts';

export const labelFormats = ['thermal', 'a4'] as const;
export type LabelFormat = (typeof labelFormats)[number];
/** A 10×15 cm thermal label: what carriers and label printers take. */
export const defaultLabelFormat: LabelFormat = 'thermal';

/** A batch prints at most this many orders (the queue's page). */
export const MAX_LABELS = 100;

/** Labels on one A4 sheet: its four quarters, each about 10×15 cm. */
export const LABELS_PER_SHEET = 4;

/**
 * TP_IMP_ETIQ_LOGISTICA_PED (registry.ts): copies of each order's label, and whether the next order starts on
 * a new sheet. On a thermal roll every label is its own page; copies still apply.
 */
export interface PrintMode {
  copies: number;
  pageBreakBetweenOrders: boolean;
}

export function printModeOf(value: string | null | undefined): PrintMode {
  switch (value) {
    case '2':
      return { copies: 1, pageBreakBetweenOrders: true };
    case '3':
      return { copies: 2, pageBreakBetweenOrders: false };
    case '4':
      return { copies: 2, pageBreakBetweenOrders: true };
    default:
      return { copies: 1, pageBreakBetweenOrders: false };
  }
}

export interface Slot {
  /** Index of the label (the order) in the batch. */
  label: number;
  /** 1 the first copy, 2 the second. */
  copy: number;
  page: number;
  /** Quarter of an A4 sheet, reading order (0 top left, 3 bottom right); always 0 on a thermal roll. */
  position: number;
}

/** Where each copy of each label goes, in the batch's order. */
export function placeLabels(modes: readonly PrintMode[], format: LabelFormat): Slot[] {
  const slots: Slot[] = [];
  const perPage = format === 'thermal' ? 1 : LABELS_PER_SHEET;
  let page = -1;
  let position = perPage;
  modes.forEach((mode, label) => {
    if (mode.pageBreakBetweenOrders && position !== 0) position = perPage;
    for (let copy = 1; copy <= mode.copies; copy++) {
      if (position >= perPage) {
        page++;
        position = 0;
      }
      slots.push({ label, copy, page, position });
      position++;
    }
  });
  return slots;
}

/** Every word the label prints, so an English label is this one object away. */
export const labelWords = {
  title: 'Etiqueta logística',
  recipient: 'DESTINATÁRIO',
  sender: 'REMETENTE',
  order: 'Pedido',
  invoice: (number: number, series: number) => `NF-e ${number} série ${series}`,
  noInvoice: 'NF-e não autorizada',
  accessKey: 'Chave de acesso',
  carrier: 'Transportadora',
  service: 'Serviço',
  cep: 'CEP',
  copy: (n: number) => `${n}ª via`,
  fileName: (number: number) => `etiqueta-${number}.pdf`,
  batchFileName: 'etiquetas.pdf',
} as const;

export interface Address {
  street: string;
  number: string;
  complement?: string | null;
  district: string;
  city: string;
  state: string;
  postalCode: string;
}

/** What one label is drawn from: the order, its store, its shipment and its authorised NF-e. */
export interface LabelSource {
  order: {
    number: number;
    customer: { name: string; phone: string; address: Address };
  };
  store: { name: string; legalName: string; address: Address | null };
  shipment: { carrier: string; service: string | null; trackingCode: string };
  invoice: { number: number; series: number; accessKey: string } | null;
}

export interface Label {
  orderNumber: string;
  carrier: string;
  service: string | null;
  trackingCode: string;
  recipient: string[];
  /** The destination CEP's 8 digits (the Code 128) and as printed. */
  recipientCep: { digits: string; text: string };
  sender: string[];
  invoice: string;
  accessKey: string | null;
  dataMatrix: string;
}

const digitsOf = (value: string) => value.replace(/\D/g, '');

const addressLines = (a: Address) => [
  `${a.street}, ${a.number}${a.complement ? ` - ${a.complement}` : ''}`,
  a.district,
  `${formatPostalCode(a.postalCode)} ${a.city}/${a.state}`,
];

/** The 44 digits in groups of four, as the DANFE prints them. */
export const accessKeyGroups = (key: string) => key.replace(/(.{4})(?=.)/g, '$1 ');

export function label(source: LabelSource): Label {
  const { order, store, shipment, invoice } = source;
  const to = order.customer.address;
  return {
    orderNumber: String(order.number),
    carrier: shipment.carrier,
    service: shipment.service,
    trackingCode: shipment.trackingCode,
    recipient: [order.customer.name, ...addressLines(to)],
    recipientCep: { digits: digitsOf(to.postalCode), text: formatPostalCode(to.postalCode) },
    sender: [store.legalName && store.legalName !== store.name ? store.legalName : store.name].concat(
      store.address ? addressLines(store.address) : [],
    ),
    invoice: invoice ? labelWords.invoice(invoice.number, invoice.series) : labelWords.noInvoice,
    accessKey: invoice ? accessKeyGroups(invoice.accessKey) : null,
    dataMatrix: correiosDataMatrix({
      destinationCep: to.postalCode,
      destinationNumber: to.number,
      originCep: store.address?.postalCode ?? '',
      originNumber: store.address?.number ?? '',
      trackingCode: shipment.trackingCode,
      serviceCode: shipment.service,
      complement: to.complement ?? '',
      phone: order.customer.phone,
      orderNumber: String(order.number),
    }),
  };
}

// --- the Correios DataMatrix ---------------------------------------------------------------------

/**
 * The CEP's validator digit on the Correios label: the digits' sum taken up to the next multiple of ten
 * (0 when it already is one).
 */
export function cepCheckDigit(cep: string): number {
  const sum = [...digitsOf(cep)].reduce((s, d) => s + Number(d), 0);
  return (10 - (sum % 10)) % 10;
}

export interface DataMatrixInput {
  destinationCep: string;
  destinationNumber: string;
  originCep: string;
  originNumber: string;
  trackingCode: string;
  /** Correios' 5-digit service code (e.g. 03220 SEDEX, 03298 PAC); other carriers' names leave zeros. */
  serviceCode: string | null;
  complement: string;
  phone: string;
  /** Free for the sender: the order number. */
  orderNumber: string;
  postingCard?: string | null;
}

/** Variable data identifier (IDV) of a parcel ("encomenda") label. */
export const PARCEL_IDV = '51';
/** Additional services: 25 (registro nacional, part of every parcel service), then five empty pairs. */
const ADDITIONAL_SERVICES = '250000000000';

const right = (value: string, width: number, fill = '0') => value.slice(-width).padStart(width, fill);
const left = (value: string, width: number) => value.slice(0, width).padEnd(width, ' ');
const numeric = (value: string, width: number) => right(digitsOf(value), width);
/** Plain ASCII: the symbol is read by sorting machines that expect no accented letters. */
const ascii = (value: string) =>
  value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, ' ');

/** Area code and number: a +55 country code is not part of the label's phone field. */
const nationalPhone = (phone: string) => {
  const digits = digitsOf(phone);
  return digits.length > 11 && digits.startsWith('55') ? digits.slice(2) : digits;
};

/**
 * The DataMatrix string of a Correios label (SIGEP Web "Especificação técnica da etiqueta", the 2D symbol's
 * fields as the Correios manual and the python-correios library lay them out): destination CEP (8), its
 * complement = street number (5), origin CEP (8), its number (5), destination CEP validator (1), IDV (2),
 * tracking code (13), additional services (12), posting card (10), service code (5), grouping (2), street
 * number (5), address complement (20), declared value (5), phone with area code (12), latitude (10),
 * longitude (10), a pipe, then 30 characters for the sender (the order number). Numbers are zero-padded on
 * the left; text is space-padded on the right.
 */
export function correiosDataMatrix(input: DataMatrixInput): string {
  const serviceCode = input.serviceCode && /^\d{5}$/.test(input.serviceCode) ? input.serviceCode : '00000';
  return [
    numeric(input.destinationCep, 8),
    numeric(input.destinationNumber, 5),
    numeric(input.originCep, 8),
    numeric(input.originNumber, 5),
    String(cepCheckDigit(input.destinationCep)),
    PARCEL_IDV,
    left(ascii(input.trackingCode.toUpperCase()), 13),
    ADDITIONAL_SERVICES,
    numeric(input.postingCard ?? '', 10),
    serviceCode,
    '00',
    numeric(input.destinationNumber, 5),
    left(ascii(input.complement), 20),
    '00000',
    numeric(nationalPhone(input.phone), 12),
    '+00.000000',
    '+00.000000',
    '|',
    left(ascii(input.orderNumber), 30),
  ].join('');
}
