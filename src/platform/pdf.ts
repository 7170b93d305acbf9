/**
 * PDF helpers, the one module (style.md): a pdfkit document rendered to a Buffer, and Code 128 drawn as
 * vector bars (sharp at any printer resolution).
 */
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';

export type Pdf = PDFKit.PDFDocument;

/**
 * Renders what `draw` puts on a fresh document (no page yet: `draw` adds each with its size; no margin)
 * and answers the file.
 */
export function renderPdf(title: string, draw: (doc: Pdf) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    info: { Title: title, Creator: 'Omnihub', Producer: 'Omnihub' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}

/**
 * The Code 128 symbol of `value` as module counts, bar first, then space, bar...; bwip-js picks the code
 * sets (an even run of digits goes in set C, as the DANFE's access key must).
 */
export function code128(value: string): number[] {
  const [symbol] = bwipjs.raw('code128', value, {}) as Array<{ sbs: number[] }>;
  return symbol!.sbs;
}

/** Draws bars of these widths (in points; bars at even positions, spaces between) from (x, y). */
export function drawBars(doc: Pdf, widths: readonly number[], x: number, y: number, height: number): void {
  let at = x;
  widths.forEach((w, i) => {
    if (i % 2 === 0) doc.rect(at, y, w, height);
    at += w;
  });
  doc.fill('black');
}

/**
 * A 2D symbol (bwip-js's `datamatrix`, `qrcode`, ...) of `content` as vector squares, `size` points wide,
 * from (x, y).
 */
export function drawMatrix(
  doc: Pdf,
  kind: 'datamatrix' | 'qrcode',
  content: string,
  x: number,
  y: number,
  size: number,
): void {
  const [symbol] = bwipjs.raw(kind, content, {}) as Array<{ pixs: number[]; pixx: number; pixy: number }>;
  const { pixs, pixx, pixy } = symbol!;
  const module = size / Math.max(pixx, pixy);
  for (let row = 0; row < pixy; row++)
    for (let col = 0; col < pixx; col++)
      if (pixs[row * pixx + col]) doc.rect(x + col * module, y + row * module, module, module);
  doc.fill('black');
}
