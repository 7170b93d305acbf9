/**
 * Draws Omnihub's logistic labels (domain.ts says what they say and where they go): a 10×15 cm label, alone
 * on a thermal page or in a quarter of an A4 sheet, with the tracking code and the destination CEP as Code
 * 128 and the Correios DataMatrix, all as vector shapes (sharp on a 203 dpi thermal head). Carriers' own
 * labels are PDFs already: `mergeLabels` puts their pages in the batch with pdf-lib (pdfkit cannot import
 * pages).
 */
import { PDFDocument } from 'pdf-lib';
import { code128, drawBars, drawMatrix, type Pdf, renderPdf } from '../../platform/pdf.ts';
import { type Label, type LabelFormat, labelWords, type Slot } from './domain.ts';

const MM = 72 / 25.4;
const LABEL = { width: 100 * MM, height: 150 * MM };
const A4 = { width: 595.28, height: 841.89 };
const PAD = 4 * MM;
const INNER = LABEL.width - 2 * PAD;

/** A label and its logo (PNG or JPEG bytes; null: none or unreadable). */
export interface DrawnLabel {
  label: Label;
  logo: Buffer | null;
}

/** The labels at their slots: one page per slot on a thermal roll, four quarters per A4 sheet. */
export function renderLabels(
  labels: readonly DrawnLabel[],
  slots: readonly Slot[],
  format: LabelFormat,
  title: string,
): Promise<Buffer> {
  return renderPdf(title, (doc) => {
    let page = -1;
    for (const slot of slots) {
      if (slot.page !== page) {
        page = slot.page;
        if (format === 'thermal') doc.addPage({ size: [LABEL.width, LABEL.height], margin: 0 });
        else doc.addPage({ size: [A4.width, A4.height], margin: 0 });
      }
      const drawn = labels[slot.label]!;
      if (format === 'thermal') {
        drawLabel(doc, drawn, slot.copy);
        continue;
      }
      const quarter = { width: A4.width / 2, height: A4.height / 2 };
      const scale = Math.min(quarter.width / LABEL.width, quarter.height / LABEL.height);
      const x = (slot.position % 2) * quarter.width + (quarter.width - LABEL.width * scale) / 2;
      const y = Math.floor(slot.position / 2) * quarter.height + (quarter.height - LABEL.height * scale) / 2;
      doc.save();
      doc.translate(x, y).scale(scale);
      drawLabel(doc, drawn, slot.copy);
      doc.restore();
      cutMarks(doc);
    }
  });
}

/** Dashed lines where the A4 sheet is cut into its four labels. */
function cutMarks(doc: Pdf) {
  doc
    .moveTo(A4.width / 2, 0)
    .lineTo(A4.width / 2, A4.height)
    .moveTo(0, A4.height / 2)
    .lineTo(A4.width, A4.height / 2)
    .lineWidth(0.3)
    .dash(3, { space: 3 })
    .stroke()
    .undash();
}

/** One label at (0, 0), LABEL wide and tall. */
function drawLabel(doc: Pdf, { label, logo }: DrawnLabel, copy: number) {
  doc
    .rect(1, 1, LABEL.width - 2, LABEL.height - 2)
    .lineWidth(0.8)
    .stroke();
  const matrixSize = 24 * MM;
  const matrixX = LABEL.width - PAD - matrixSize;

  // Head: logo, carrier and service, order and invoice; the DataMatrix at the right.
  let headX = PAD;
  if (logo) {
    try {
      doc.image(logo, PAD, PAD, { fit: [30 * MM, 14 * MM] });
      headX = PAD + 32 * MM;
    } catch {
      // A logo pdfkit cannot read leaves the label without it (CD_LOGOTIPO_EMP is a nicety, never a failure).
    }
  }
  const headWidth = matrixX - headX - 2 * MM;
  text(doc, label.carrier, headX, PAD, headWidth, 11, true);
  if (label.service) text(doc, label.service, headX, PAD + 13, headWidth, 9);
  text(doc, `${labelWords.order} ${label.orderNumber}`, headX, PAD + 26, headWidth, 10, true);
  text(doc, label.invoice, headX, PAD + 39, headWidth, 8);
  if (copy > 1) text(doc, labelWords.copy(copy), headX, PAD + 50, headWidth, 8, true);
  drawMatrix(doc, 'datamatrix', label.dataMatrix, matrixX, PAD, matrixSize);

  // The tracking code: its text large, its Code 128 under it.
  let y = PAD + matrixSize + 3 * MM;
  doc.font('Helvetica-Bold').fontSize(14);
  doc.text(label.trackingCode, (LABEL.width - doc.widthOfString(label.trackingCode)) / 2, y, {
    lineBreak: false,
  });
  y += 18;
  barcode(doc, label.trackingCode, PAD, y, INNER, 18 * MM, 1.6);
  y += 18 * MM + 3 * MM;

  // Recipient, then the destination CEP as Code 128.
  rule(doc, y);
  y += 3;
  text(doc, labelWords.recipient, PAD, y, INNER, 8, true);
  y += 11;
  label.recipient.forEach((line, i) => {
    text(doc, line, PAD, y, INNER, i === 0 ? 10 : 9, i === 0);
    y += i === 0 ? 13 : 11;
  });
  y += 2;
  barcode(doc, label.recipientCep.digits, PAD, y, INNER / 2, 12 * MM, 1.6);
  text(
    doc,
    `${labelWords.cep} ${label.recipientCep.text}`,
    PAD + INNER / 2 + 4,
    y + 10,
    INNER / 2 - 4,
    12,
    true,
  );
  y += 12 * MM + 3 * MM;

  // Sender.
  rule(doc, y);
  y += 3;
  text(doc, labelWords.sender, PAD, y, INNER, 7, true);
  y += 9;
  for (const line of label.sender) {
    text(doc, line, PAD, y, INNER, 8);
    y += 9.5;
  }

  // The NF-e's access key at the foot.
  if (label.accessKey) {
    const footY = LABEL.height - PAD - 18;
    rule(doc, footY - 3);
    text(doc, labelWords.accessKey, PAD, footY, INNER, 7, true);
    text(doc, label.accessKey, PAD, footY + 9, INNER, 8);
  }
}

function text(doc: Pdf, value: string, x: number, y: number, width: number, size: number, bold = false) {
  doc
    .font(bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(size)
    .text(value, x, y, { width, lineBreak: false, ellipsis: true });
}

function rule(doc: Pdf, y: number) {
  doc
    .moveTo(PAD, y)
    .lineTo(LABEL.width - PAD, y)
    .lineWidth(0.6)
    .stroke();
}

/** Code 128 centred in `width`, its module at most `moduleWidth` points, with its quiet zones inside. */
function barcode(
  doc: Pdf,
  value: string,
  x: number,
  y: number,
  width: number,
  height: number,
  moduleWidth: number,
) {
  const symbol = code128(value);
  const modules = symbol.reduce((a, b) => a + b, 0);
  const module = Math.min(moduleWidth, width / (modules + 20));
  drawBars(
    doc,
    symbol.map((s) => s * module),
    x + (width - modules * module) / 2,
    y,
    height,
  );
}

/** A part of a batch: Omnihub's labels drawn here, or a carrier's label PDF printed `copies` times. */
export type LabelPart = { kind: 'drawn'; pdf: Buffer } | { kind: 'carrier'; pdf: Buffer; copies: number };

/** The parts as one PDF, in order. A carrier PDF that cannot be read is refused by the caller beforehand. */
export async function mergeLabels(parts: readonly LabelPart[], title: string): Promise<Buffer> {
  const out = await PDFDocument.create();
  out.setTitle(title);
  out.setCreator('Omnihub');
  out.setProducer('Omnihub');
  for (const part of parts) {
    const source = await PDFDocument.load(part.pdf);
    const indices = source.getPageIndices();
    const copies = part.kind === 'carrier' ? part.copies : 1;
    for (let copy = 0; copy < copies; copy++) {
      for (const page of await out.copyPages(source, indices)) out.addPage(page);
    }
  }
  // Without object streams, every page is a plain object any reader (and test/pdf.ts) finds.
  return Buffer.from(await out.save({ useObjectStreams: false }));
}

/** Whether these bytes are a PDF pdf-lib can read (a carrier's label kept as base64). */
export async function readablePdf(bytes: Buffer): Promise<boolean> {
  try {
    return (await PDFDocument.load(bytes)).getPageCount() > 0;
  } catch {
    return false;
  }
}
