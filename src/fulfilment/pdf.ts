import { code128, drawBars, type Pdf, renderPdf } from '../platform/pdf.ts';
import { type Layout, labels, type Slip } from './domain.ts';
import { type Block, columnsOf, continuationHeader, type Line, paginate, slipBlocks } from './slip-layout.ts';

/**
 * Draws laid-out slips with pdfkit in Courier, the font every PDF reader has (nothing to embed), so a
 * character is always 0.6 em wide and slip-layout.ts's columns line up as on a matrix printer.
 */

interface Geometry {
  /** Page width; A4 pages are this tall, thermal pages as tall as their slip. */
  width: number;
  height: number;
  top: number;
  bottom: number;
  fontSize: number;
  titleSize: number;
  numberSize: number;
  barHeight: number;
  /** Width of the narrowest bar, at most (a long number narrows it to fit). */
  moduleWidth: number;
  heights: Record<Line['kind'], number>;
}

const MM = 72 / 25.4;

const geometries: Record<Layout, Geometry> = {
  a4: {
    width: 595.28,
    height: 841.89,
    top: 36,
    bottom: 48,
    fontSize: 10,
    titleSize: 14,
    numberSize: 26,
    barHeight: 34,
    moduleWidth: 1.2,
    heights: { title: 20, text: 12, order: 48, rule: 8, gap: 12 },
  },
  thermal: {
    width: 80 * MM,
    height: 0,
    top: 4 * MM,
    bottom: 4 * MM,
    fontSize: 7,
    titleSize: 10,
    numberSize: 20,
    barHeight: 36,
    moduleWidth: 1,
    heights: { title: 14, text: 8.5, order: 76, rule: 6, gap: 8.5 },
  },
};

/** Each slip on its own page(s): A4 pages with the header repeated, or one 80 mm page as long as the slip. */
export function renderSlips(slips: readonly Slip[], layout: Layout, title: string): Promise<Buffer> {
  const g = geometries[layout];
  return renderPdf(title, (doc) => {
    const heightOf = (line: Line) => g.heights[line.kind];
    for (const slip of slips) {
      const blocks = slipBlocks(slip, layout);
      if (layout === 'thermal') drawThermal(doc, g, blocks, heightOf);
      else drawA4(doc, g, slip, blocks, heightOf);
    }
  });
}

function drawA4(doc: Pdf, g: Geometry, slip: Slip, blocks: Block[], heightOf: (line: Line) => number) {
  const pages = paginate(blocks, g.height - g.top - g.bottom, heightOf, continuationHeader(slip));
  const x = left(g, 'a4');
  const gridWidth = columnsOf.a4 * charWidth(g);
  pages.forEach((lines, i) => {
    doc.addPage({ size: [g.width, g.height], margin: 0 });
    drawLines(doc, g, 'a4', lines, g.top);
    const y = g.height - g.bottom + 16;
    doc.font('Courier').fontSize(8);
    doc.text(`${labels.printedAt} ${slip.printedAt}`, x, y, { lineBreak: false });
    const page = `${labels.order} ${slip.number} - ${labels.page(i + 1, pages.length)}`;
    doc.text(page, x + gridWidth - doc.widthOfString(page), y, { lineBreak: false });
  });
}

function drawThermal(doc: Pdf, g: Geometry, blocks: Block[], heightOf: (line: Line) => number) {
  const lines = blocks.flatMap((b) => b.lines);
  const height = g.top + lines.reduce((sum, l) => sum + heightOf(l), 0) + g.bottom;
  doc.addPage({ size: [g.width, Math.ceil(height)], margin: 0 });
  drawLines(doc, g, 'thermal', lines, g.top);
}

const charWidth = (g: Geometry) => g.fontSize * 0.6;
const left = (g: Geometry, layout: Layout) => (g.width - columnsOf[layout] * charWidth(g)) / 2;

function drawLines(doc: Pdf, g: Geometry, layout: Layout, lines: Line[], top: number) {
  const x = left(g, layout);
  const gridWidth = columnsOf[layout] * charWidth(g);
  let y = top;
  for (const line of lines) {
    const h = g.heights[line.kind];
    switch (line.kind) {
      case 'title':
        doc.font('Courier-Bold').fontSize(g.titleSize);
        doc.text(line.text, x, y + (h - g.titleSize) / 2, { lineBreak: false });
        break;
      case 'text':
        doc.font(line.bold ? 'Courier-Bold' : 'Courier').fontSize(g.fontSize);
        doc.text(line.text, x, y + (h - g.fontSize) / 2, { lineBreak: false });
        break;
      case 'rule':
        doc
          .moveTo(x, y + h / 2)
          .lineTo(x + gridWidth, y + h / 2)
          .lineWidth(0.6)
          .dash(3, { space: 2 })
          .stroke()
          .undash();
        break;
      case 'order':
        drawOrder(doc, g, layout, line, x, y, gridWidth);
        break;
      case 'gap':
        break;
    }
    y += h;
  }
}

/** The order number large and its barcode: side by side on A4, stacked and centred on a thermal roll. */
function drawOrder(
  doc: Pdf,
  g: Geometry,
  layout: Layout,
  line: Extract<Line, { kind: 'order' }>,
  x: number,
  y: number,
  gridWidth: number,
) {
  const label = line.label.toLocaleUpperCase('pt-BR');
  if (layout === 'a4') {
    doc
      .font('Courier-Bold')
      .fontSize(g.fontSize)
      .text(label, x, y + 2, { lineBreak: false });
    doc.fontSize(g.numberSize).text(line.number, x, y + 16, { lineBreak: false });
    const bars = barcode(line.barcode, g.moduleWidth, gridWidth / 2);
    drawBars(doc, bars.widths, x + gridWidth - bars.width, y + 6, g.barHeight);
    return;
  }
  doc.font('Courier-Bold').fontSize(g.fontSize);
  doc.text(label, x + (gridWidth - doc.widthOfString(label)) / 2, y + 2, { lineBreak: false });
  doc.fontSize(g.numberSize);
  doc.text(line.number, x + (gridWidth - doc.widthOfString(line.number)) / 2, y + 12, { lineBreak: false });
  const bars = barcode(line.barcode, g.moduleWidth, gridWidth);
  drawBars(doc, bars.widths, x + (gridWidth - bars.width) / 2, y + 36, g.barHeight);
}

interface Bars {
  /** Bar and space widths in points, alternating, starting with a bar. */
  widths: number[];
  width: number;
}

/** Code 128 as vector bars (sharp at any printer resolution); bwip-js picks the code sets. */
function barcode(value: string, moduleWidth: number, maxWidth: number): Bars {
  const symbol = code128(value);
  const modules = symbol.reduce((a, b) => a + b, 0);
  // Keep the quiet zone (10 modules each side) within the space given.
  const module = Math.min(moduleWidth, maxWidth / (modules + 20));
  const widths = symbol.map((s) => s * module);
  return { widths, width: modules * module };
}
