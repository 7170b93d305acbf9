/**
 * The pickup delivery receipt ("Comprovante de Entrega", seeds 003): printed when a pickup order is served (at
 * the POS's finish, or later) for the customer and the store to sign when the goods are collected. It shows the
 * served items, the customer, the pickup (who, document, when) and the fiscal document; reprints say "2ª via".
 * `pickupReceipt` decides what it says (pure); `renderPickupReceipt` draws it on half an A4 sheet.
 */
import {
  formatCnpj,
  formatDate,
  formatDateTime,
  formatDocument,
  formatInteger,
  formatPostalCode,
} from '../platform/format-br.ts';
import { type Pdf, renderPdf } from '../platform/pdf.ts';

export const receiptLabels = {
  title: 'Comprovante de entrega',
  subtitle: 'Pedido retirado na loja',
  store: 'Loja',
  cnpj: 'CNPJ',
  order: 'Pedido',
  externalId: 'Pedido externo',
  date: 'Data do pedido',
  customer: 'Cliente',
  document: { cpf: 'CPF', cnpj: 'CNPJ', other: 'Documento' },
  items: 'Itens entregues',
  sku: 'SKU',
  description: 'Descrição',
  quantity: 'Qtd',
  totalUnits: 'Total de unidades',
  fiscal: 'Documento fiscal',
  nfce: (number: number, series: number) => `NFC-e nº ${number} série ${series}`,
  nfe: (number: number, series: number) => `NF-e nº ${number} série ${series}`,
  accessKey: 'Chave de acesso',
  noFiscal: 'Sem documento fiscal autorizado',
  pickup: 'Retirada',
  pickedUpBy: 'Retirado por',
  pickedUpAt: 'Retirado em',
  handedBy: 'Entregue por',
  notPickedUp: 'Aguardando a retirada pelo cliente',
  declaration: 'Declaro que recebi os produtos acima relacionados em perfeitas condições.',
  customerSignature: 'Assinatura do cliente',
  storeSignature: 'Assinatura da loja',
  printedAt: 'Impresso em',
  copy: (n: number) => `${n}ª via`,
  fileName: (number: number) => `comprovante-entrega-${number}.pdf`,
} as const;

/** What the receipt is drawn from: the order as the orders context shows it, its store and its document. */
export interface ReceiptSource {
  order: {
    number: number;
    externalId: string;
    placedAt: string;
    customer: { name: string; document: string };
    items: { sku: string; description: string; quantity: number }[];
    pickup: { name: string; document: string | null; at: string; handedBy: { name: string } } | null;
  };
  store: {
    code: string;
    name: string;
    legalName: string;
    cnpj: string | null;
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
  fiscal: { model: number; number: number; series: number; accessKey: string } | null;
  /** Which print this is: 1 the original, 2 on "2ª via". */
  print: number;
  printedAt: Date;
}

export type Field = readonly [label: string, value: string];

export interface PickupReceipt {
  title: string;
  copy: string | null;
  store: string[];
  order: Field[];
  customer: Field[];
  items: { sku: string; description: string; quantity: string }[];
  totalUnits: string;
  fiscal: string[];
  pickup: Field[];
  printedAt: string;
}

const accessKeyGroups = (key: string) => key.replace(/(.{4})(?=.)/g, '$1 ');

export function pickupReceipt(source: ReceiptSource): PickupReceipt {
  const { order, store, fiscal } = source;
  const customerDocument = formatDocument(order.customer.document);
  const address = store.address;
  const pickupDocument = order.pickup?.document ? formatDocument(order.pickup.document) : null;
  return {
    title: receiptLabels.title,
    copy: source.print > 1 ? receiptLabels.copy(source.print) : null,
    store: [
      `${receiptLabels.store} ${store.code} - ${store.name}`,
      ...(store.legalName && store.legalName !== store.name ? [store.legalName] : []),
      ...(store.cnpj ? [`${receiptLabels.cnpj} ${formatCnpj(store.cnpj)}`] : []),
      ...(address
        ? [
            `${address.street}, ${address.number}${address.complement ? ` - ${address.complement}` : ''} - ${address.district}`,
            `${address.city}/${address.state} - CEP ${formatPostalCode(address.postalCode)}`,
          ]
        : []),
    ],
    order: [
      [receiptLabels.order, String(order.number)],
      [receiptLabels.externalId, order.externalId],
      [receiptLabels.date, formatDate(new Date(order.placedAt))],
    ],
    customer: [
      [receiptLabels.customer, order.customer.name],
      [receiptLabels.document[customerDocument.kind], customerDocument.text],
    ],
    items: order.items.map((i) => ({
      sku: i.sku,
      description: i.description,
      quantity: formatInteger(i.quantity),
    })),
    totalUnits: formatInteger(order.items.reduce((sum, i) => sum + i.quantity, 0)),
    fiscal: fiscal
      ? [
          (fiscal.model === 65 ? receiptLabels.nfce : receiptLabels.nfe)(fiscal.number, fiscal.series),
          `${receiptLabels.accessKey}: ${accessKeyGroups(fiscal.accessKey)}`,
        ]
      : [receiptLabels.noFiscal],
    pickup: order.pickup
      ? [
          [receiptLabels.pickedUpBy, order.pickup.name],
          ...(pickupDocument
            ? [[receiptLabels.document[pickupDocument.kind], pickupDocument.text] as const]
            : []),
          [receiptLabels.pickedUpAt, formatDateTime(new Date(order.pickup.at))],
          [receiptLabels.handedBy, order.pickup.handedBy.name],
        ]
      : [[receiptLabels.pickup, receiptLabels.notPickedUp]],
    printedAt: formatDateTime(source.printedAt),
  };
}

// --- drawing -----------------------------------------------------------------------------------

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 40;
/** The receipt fills the top half of an A4 sheet and runs on when the items do not fit. */
const HALF = A4.height / 2;

export function renderPickupReceipt(receipt: PickupReceipt, title: string): Promise<Buffer> {
  return renderPdf(title, (doc) => {
    const width = A4.width - 2 * MARGIN;
    let y = MARGIN;
    const page = () => {
      doc.addPage({ size: [A4.width, A4.height], margin: 0 });
      y = MARGIN;
    };
    const room = (needed: number) => {
      if (y + needed > A4.height - MARGIN) page();
    };
    const text = (value: string, x: number, opts: { size?: number; bold?: boolean; w?: number } = {}) => {
      doc
        .font(opts.bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(opts.size ?? 9)
        .text(value, x, y, { width: opts.w ?? width - (x - MARGIN), lineBreak: false, ellipsis: true });
    };
    const fields = (list: readonly Field[]) => {
      for (const [label, value] of list) {
        room(13);
        text(`${label}:`, MARGIN, { bold: true, w: 110 });
        text(value, MARGIN + 112);
        y += 13;
      }
    };
    const heading = (value: string) => {
      room(30);
      y += 6;
      text(value, MARGIN, { bold: true, size: 10 });
      y += 13;
      rule(doc, y - 2, width);
      y += 3;
    };

    page();
    text(receipt.title, MARGIN, { bold: true, size: 15 });
    if (receipt.copy) {
      doc.font('Helvetica-Bold').fontSize(13);
      doc.text(receipt.copy, MARGIN + width - doc.widthOfString(receipt.copy), y, { lineBreak: false });
    }
    y += 22;
    for (const line of receipt.store) {
      text(line, MARGIN);
      y += 12;
    }
    heading(receiptLabels.order);
    fields(receipt.order);
    fields(receipt.customer);
    heading(receiptLabels.items);
    const qtyX = MARGIN + width - 40;
    text(receiptLabels.sku, MARGIN, { bold: true, w: 100 });
    text(receiptLabels.description, MARGIN + 105, { bold: true, w: qtyX - MARGIN - 110 });
    text(receiptLabels.quantity, qtyX, { bold: true, w: 40 });
    y += 13;
    for (const item of receipt.items) {
      room(12);
      text(item.sku, MARGIN, { w: 100 });
      text(item.description, MARGIN + 105, { w: qtyX - MARGIN - 110 });
      text(item.quantity, qtyX, { w: 40 });
      y += 12;
    }
    text(`${receiptLabels.totalUnits}: ${receipt.totalUnits}`, MARGIN, { bold: true });
    y += 12;
    heading(receiptLabels.fiscal);
    for (const line of receipt.fiscal) {
      room(12);
      text(line, MARGIN);
      y += 12;
    }
    heading(receiptLabels.pickup);
    fields(receipt.pickup);
    room(90);
    y += 6;
    text(receiptLabels.declaration, MARGIN);
    // The signatures sit at the foot of the half page when everything fits there, as the printed form has them.
    y = Math.max(y + 44, Math.min(HALF - 40, A4.height - MARGIN - 40));
    const lineWidth = (width - 40) / 2;
    for (const [i, label] of [receiptLabels.customerSignature, receiptLabels.storeSignature].entries()) {
      const x = MARGIN + i * (lineWidth + 40);
      doc
        .moveTo(x, y)
        .lineTo(x + lineWidth, y)
        .lineWidth(0.7)
        .stroke();
      doc
        .font('Helvetica')
        .fontSize(8)
        .text(label, x, y + 4, { width: lineWidth, align: 'center' });
    }
    y += 24;
    doc.font('Helvetica').fontSize(7).text(`${receiptLabels.printedAt} ${receipt.printedAt}`, MARGIN, y, {
      lineBreak: false,
    });
    // Where to cut the sheet in two.
    if (y < HALF)
      doc
        .moveTo(MARGIN, HALF)
        .lineTo(MARGIN + width, HALF)
        .dash(3, { space: 3 })
        .lineWidth(0.3)
        .stroke()
        .undash();
  });
}

function rule(doc: Pdf, y: number, width: number) {
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + width, y)
    .lineWidth(0.5)
    .stroke();
}
