/**
 * The content declaration ("declaração de conteúdo", the Correios model) for goods that travel by post
 * without an NF-e: a stock request's goods sent between the group's companies. Sender and recipient, the
 * goods (content, quantity, value), totals, the weight line, the declaration the sender signs (Lei
 * Complementar 87/1996 art. 4º; Lei Postal 6.538/78 art. 13) and the signature lines; two copies on one A4
 * sheet, one inside the parcel and one outside, as the Correios form has it. `contentDeclaration` decides
 * what it says (pure); `renderContentDeclaration` draws it.
 */
import { formatDocument, formatInteger, formatMoney, formatPostalCode } from '../../platform/format-br.ts';
import { centsOf } from '../../platform/money.ts';
import { type Pdf, renderPdf } from '../../platform/pdf.ts';

export const declarationWords = {
  title: 'DECLARAÇÃO DE CONTEÚDO',
  sender: 'REMETENTE',
  recipient: 'DESTINATÁRIO',
  name: 'Nome',
  address: 'Endereço',
  city: 'Cidade/UF',
  cep: 'CEP',
  document: 'CPF/CNPJ',
  goods: 'IDENTIFICAÇÃO DOS BENS',
  item: 'Item',
  content: 'Conteúdo',
  quantity: 'Quant.',
  value: 'Valor (R$)',
  totals: 'Totais',
  weight: 'Peso total (kg): ____________',
  declarationTitle: 'DECLARAÇÃO',
  declaration:
    'Declaro que não me enquadro no conceito de contribuinte previsto no art. 4º da Lei Complementar nº ' +
    '87/1996, uma vez que não realizo, com habitualidade ou em volume que caracterize intuito comercial, ' +
    'operações de circulação de mercadoria, ainda que se iniciem no exterior, ou estou dispensado da emissão ' +
    'da nota fiscal por força da legislação tributária vigente, responsabilizando-me, nos termos da lei e a ' +
    'quem de direito, por informações inverídicas. Declaro ainda que não estou postando conteúdo inflamável, ' +
    'explosivo, causador de combustão espontânea, tóxico, corrosivo, gás ou qualquer outro conteúdo que ' +
    'constitua perigo, conforme o art. 13 da Lei Postal nº 6.538/78.',
  place: '______________________________, ______ de ____________________ de ________',
  signature: 'Assinatura do declarante/remetente',
  note:
    'Atenção: constitui crime contra a ordem tributária suprimir ou reduzir tributo, ou contribuição social ' +
    'e qualquer acessório (Lei 8.137/90, art. 1º, V).',
  reference: (orderNumber: number | null) =>
    `Solicitação de estoque${orderNumber ? ` do pedido ${orderNumber}` : ''}`,
  fileName: (orderNumber: number | null) =>
    `declaracao-conteudo${orderNumber ? `-pedido-${orderNumber}` : ''}.pdf`,
} as const;

interface Party {
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
}

export interface DeclarationSource {
  orderNumber: number | null;
  sender: Party;
  recipient: Party;
  lines: { sku: string; description: string; quantity: number; unitValue: string }[];
}

export type Field = readonly [label: string, value: string];

export interface ContentDeclaration {
  reference: string;
  sender: Field[];
  recipient: Field[];
  rows: { item: string; content: string; quantity: string; value: string }[];
  totalQuantity: string;
  totalValue: string;
}

function partyFields(p: Party): Field[] {
  const a = p.address;
  return [
    [declarationWords.name, p.legalName || p.name],
    [
      declarationWords.address,
      a ? `${a.street}, ${a.number}${a.complement ? ` - ${a.complement}` : ''} - ${a.district}` : '',
    ],
    [declarationWords.city, a ? `${a.city}/${a.state}` : ''],
    [declarationWords.cep, a ? formatPostalCode(a.postalCode) : ''],
    [declarationWords.document, p.cnpj ? formatDocument(p.cnpj).text : ''],
  ];
}

export function contentDeclaration(source: DeclarationSource): ContentDeclaration {
  const values = source.lines.map((l) => centsOf(l.unitValue) * BigInt(l.quantity));
  return {
    reference: declarationWords.reference(source.orderNumber),
    sender: partyFields(source.sender),
    recipient: partyFields(source.recipient),
    rows: source.lines.map((l, i) => ({
      item: String(i + 1),
      content: `${l.description} (${l.sku})`,
      quantity: formatInteger(l.quantity),
      value: formatMoney(values[i]!),
    })),
    totalQuantity: formatInteger(source.lines.reduce((s, l) => s + l.quantity, 0)),
    totalValue: formatMoney(values.reduce((s, v) => s + v, 0n)),
  };
}

// --- drawing -----------------------------------------------------------------------------------

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 28;
const WIDTH = A4.width - 2 * MARGIN;
const ROW = 11;
/** Goods rows that fit a half sheet beside everything else; more put each copy on a page of its own. */
export const ROWS_PER_HALF = 8;

/** Two copies: the halves of one sheet, or a sheet each when the goods do not fit half of one. */
export function renderContentDeclaration(declaration: ContentDeclaration, title: string): Promise<Buffer> {
  return renderPdf(title, (doc) => {
    const half = declaration.rows.length <= ROWS_PER_HALF;
    for (let copy = 0; copy < 2; copy++) {
      if (!half || copy === 0) doc.addPage({ size: [A4.width, A4.height], margin: 0 });
      const top = half && copy === 1 ? A4.height / 2 : 0;
      drawCopy(doc, declaration, top + MARGIN, half ? A4.height / 2 : A4.height);
      if (half && copy === 0)
        doc
          .moveTo(MARGIN, A4.height / 2)
          .lineTo(A4.width - MARGIN, A4.height / 2)
          .dash(3, { space: 3 })
          .lineWidth(0.3)
          .stroke()
          .undash();
    }
  });
}

function drawCopy(doc: Pdf, d: ContentDeclaration, top: number, height: number) {
  let y = top;
  const text = (value: string, x: number, w: number, size = 8, bold = false, align?: 'right') =>
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(size)
      .text(value, x, y, { width: w, lineBreak: false, ellipsis: true, ...(align ? { align } : {}) });
  text(declarationWords.title, MARGIN, WIDTH, 13, true);
  text(d.reference, MARGIN, WIDTH, 8, false, 'right');
  y += 18;

  // Sender and recipient side by side.
  const col = (WIDTH - 10) / 2;
  const partyTop = y;
  for (const [i, [heading, fields]] of (
    [
      [declarationWords.sender, d.sender],
      [declarationWords.recipient, d.recipient],
    ] as const
  ).entries()) {
    const x = MARGIN + i * (col + 10);
    y = partyTop;
    doc.rect(x, y, col, 12).fill('#e6e6e6').fillColor('black');
    y += 2;
    text(heading, x + 4, col - 8, 8, true);
    y += 12;
    for (const [label, value] of fields) {
      text(`${label}:`, x + 4, 48, 7.5, true);
      text(value, x + 54, col - 58, 7.5);
      y += ROW;
    }
    doc
      .rect(x, partyTop, col, y - partyTop + 2)
      .lineWidth(0.6)
      .stroke();
  }
  y += 8;

  // The goods.
  doc.rect(MARGIN, y, WIDTH, 12).fill('#e6e6e6').fillColor('black');
  y += 2;
  text(declarationWords.goods, MARGIN + 4, WIDTH - 8, 8, true);
  y += 12;
  const cols = { item: 30, quantity: 50, value: 80 };
  const contentWidth = WIDTH - cols.item - cols.quantity - cols.value - 16;
  const row = (r: { item: string; content: string; quantity: string; value: string }, bold = false) => {
    text(r.item, MARGIN + 4, cols.item, 7.5, bold);
    text(r.content, MARGIN + 4 + cols.item, contentWidth, 7.5, bold);
    text(r.quantity, MARGIN + 8 + cols.item + contentWidth, cols.quantity, 7.5, bold, 'right');
    text(r.value, MARGIN + 12 + cols.item + contentWidth + cols.quantity, cols.value, 7.5, bold, 'right');
    y += ROW;
  };
  row(
    {
      item: declarationWords.item,
      content: declarationWords.content,
      quantity: declarationWords.quantity,
      value: declarationWords.value,
    },
    true,
  );
  for (const r of d.rows) {
    if (y + ROW > top + height - 200) {
      doc.addPage({ size: [A4.width, A4.height], margin: 0 });
      y = MARGIN;
    }
    row(r);
  }
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + WIDTH, y)
    .lineWidth(0.4)
    .stroke();
  y += 2;
  row({ item: '', content: declarationWords.totals, quantity: d.totalQuantity, value: d.totalValue }, true);
  y += 2;
  text(declarationWords.weight, MARGIN + 4, WIDTH - 8, 8, true);
  y += ROW + 4;

  // The declaration and its signature.
  text(declarationWords.declarationTitle, MARGIN, WIDTH, 8, true);
  y += 11;
  doc
    .font('Helvetica')
    .fontSize(7)
    .text(declarationWords.declaration, MARGIN, y, { width: WIDTH, align: 'justify' });
  y = doc.y + 16;
  text(declarationWords.place, MARGIN, WIDTH / 2, 7.5);
  const signX = MARGIN + WIDTH / 2 + 20;
  doc
    .moveTo(signX, y + 8)
    .lineTo(MARGIN + WIDTH, y + 8)
    .lineWidth(0.6)
    .stroke();
  y += 11;
  text(declarationWords.signature, signX, MARGIN + WIDTH - signX, 7);
  y += 14;
  doc.font('Helvetica-Oblique').fontSize(6.5).text(declarationWords.note, MARGIN, y, { width: WIDTH });
}
