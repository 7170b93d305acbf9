import { type Field, type Layout, labels, type Slip } from './domain.ts';

/**
 * A slip laid out on a grid of monospaced characters, as a matrix printer (A4) or a thermal printer (80 mm,
 * 48 columns of its font A) prints it. Pure: pdf.ts only draws these lines, so widths, wrapping and page
 * breaks are decided (and tested) here.
 */

export type Line =
  | { kind: 'title'; text: string }
  | { kind: 'text'; text: string; bold?: boolean }
  /** The order number in large type with its Code 128 barcode. */
  | { kind: 'order'; label: string; number: string; barcode: string }
  | { kind: 'rule' }
  | { kind: 'gap' };

/** Lines that stay on one page; `tableHeader` is repeated on top when the block opens a page. */
export interface Block {
  lines: Line[];
  tableHeader?: Line[];
}

export const columnsOf: Record<Layout, number> = { a4: 84, thermal: 48 };

// --- text ------------------------------------------------------------------------------------------

/** Characters outside the 14 standard PDF fonts' WinAnsi set (only these print in Courier). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const printableChar = (c: string) => {
  const code = c.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(c);
};

/** One line of printable text: control characters become spaces, letters the font lacks lose their accent or become "?". */
export function printable(text: string): string {
  let out = '';
  for (const c of text.normalize('NFC').replace(/\s+/g, ' ')) {
    if (printableChar(c)) out += c;
    else {
      const base = c.normalize('NFD')[0]!;
      out += base !== c && printableChar(base) ? base : '?';
    }
  }
  return out.trim();
}

/** Word-wrapped lines of at most `width` characters; a word longer than a line is cut. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of printable(text).split(' ')) {
    if (!word) continue;
    let rest = word;
    if (current && current.length + 1 + rest.length <= width) {
      current += ` ${rest}`;
      continue;
    }
    if (current) lines.push(current);
    while (rest.length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    current = rest;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

const cell = (text: string, width: number) => printable(text).slice(0, width).padEnd(width);
const right = (text: string, width: number) => printable(text).slice(0, width).padStart(width);
const center = (text: string, width: number) => {
  const t = printable(text).slice(0, width);
  return t.padStart(Math.floor((width + t.length) / 2)).padEnd(width);
};
const text = (t: string, bold = false): Line =>
  bold ? { kind: 'text', text: t, bold } : { kind: 'text', text: t };
const heading = (t: string) => text(t.toLocaleUpperCase('pt-BR'), true);

/** "Label: value", wrapped with a hanging indent. */
const fieldLines = ([label, value]: Field, width: number): string[] =>
  wrap(`${label}: ${value}`, width).map((line, i) => (i === 0 ? line : `  ${line}`.slice(0, width)));

/** Fields two to a row when both fit in half the width, otherwise one per row. */
function fieldRows(fields: readonly Field[], width: number, perRow: 1 | 2): string[] {
  const half = Math.floor((width - 2) / 2);
  const rows: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const a = fieldLines(fields[i]!, width);
    const next = fields[i + 1];
    const b = next && fieldLines(next, width);
    if (perRow === 2 && a.length === 1 && a[0]!.length <= half && b?.length === 1 && b[0]!.length <= half) {
      rows.push(`${a[0]!.padEnd(half + 2)}${b[0]}`.trimEnd());
      i++;
    } else rows.push(...a);
  }
  return rows;
}

/** Label on the left, amount right-aligned. */
const pair = ([label, value]: Field, width: number) => {
  const v = printable(value);
  return `${cell(label, Math.max(width - v.length - 1, 0))} ${v}`.slice(-width);
};

// --- the slip ----------------------------------------------------------------------------------------

/** The item table's columns: the description takes what the others leave. */
function itemColumns(layout: Layout) {
  const width = columnsOf[layout];
  // Quantities go up to 1.000.000 (9 characters); a line number has at most 3 digits (500 lines an order).
  if (layout === 'a4') {
    const [line, sku, quantity, check] = [3, 18, 9, 8];
    return { width, line, sku, quantity, check, description: width - line - sku - quantity - check - 4 };
  }
  const [line, quantity, check] = [3, 9, 4];
  return { width, line, quantity, check, sku: width - line - quantity - check - 3, description: width - 4 };
}

function itemBlocks(slip: Slip, layout: Layout): { header: Line[]; rows: Block[] } {
  const c = itemColumns(layout);
  const check = layout === 'a4' ? labels.picked : labels.pickedShort;
  const checkBox = center('[ ]', c.check);
  if (layout === 'a4') {
    const header = [
      text(
        `${cell(labels.line, c.line)} ${cell(labels.sku, c.sku)} ${cell(labels.description, c.description)} ` +
          `${right(labels.quantity, c.quantity)} ${center(check, c.check)}`,
        true,
      ),
    ];
    const rows = slip.items.map((item): Block => {
      const skus = wrap(item.sku, c.sku);
      const descriptions = wrap(item.description, c.description);
      const lines = Array.from({ length: Math.max(skus.length, descriptions.length) }, (_, i) =>
        text(
          i === 0
            ? `${cell(item.line, c.line)} ${cell(skus[0]!, c.sku)} ${cell(descriptions[0]!, c.description)} ` +
                `${right(item.quantity, c.quantity)} ${checkBox}`
            : `${' '.repeat(c.line)} ${cell(skus[i] ?? '', c.sku)} ${descriptions[i] ?? ''}`.trimEnd(),
        ),
      );
      return { lines, tableHeader: header };
    });
    return { header, rows };
  }
  // Thermal: line, SKU, quantity and the check box on one row, the description under it.
  const header = [
    text(
      `${cell(labels.line, c.line)} ${cell(`${labels.sku} / ${labels.description}`, c.sku)} ` +
        `${right(labels.quantity, c.quantity)} ${right(check, c.check)}`,
      true,
    ),
  ];
  const rows = slip.items.map((item): Block => {
    const skus = wrap(item.sku, c.sku);
    return {
      lines: [
        text(
          `${cell(item.line, c.line)} ${cell(skus[0]!, c.sku)} ${right(item.quantity, c.quantity)} ${right('[ ]', c.check)}`,
        ),
        ...skus.slice(1).map((s) => text(`${' '.repeat(c.line)} ${s}`)),
        ...wrap(item.description, c.description).map((d) => text(`    ${d}`)),
      ],
      tableHeader: header,
    };
  });
  return { header, rows };
}

/** Payments beside totals on A4, one under the other on a thermal roll. */
function paymentLines(slip: Slip, layout: Layout): Line[] {
  const width = columnsOf[layout];
  if (layout === 'thermal') {
    return [
      heading(labels.payments),
      ...slip.payments.map((p) => text(pair(p, width))),
      { kind: 'rule' },
      heading(labels.totals),
      ...slip.totals.map((t, i) => text(pair(t, width), i === slip.totals.length - 1)),
    ];
  }
  const half = Math.floor((width - 2) / 2);
  const left = [
    cell(labels.payments.toLocaleUpperCase('pt-BR'), half),
    ...slip.payments.map((p) => pair(p, half)),
  ];
  const rightSide = [labels.totals.toLocaleUpperCase('pt-BR'), ...slip.totals.map((t) => pair(t, half))];
  return Array.from({ length: Math.max(left.length, rightSide.length) }, (_, i) =>
    text(`${left[i] ?? ' '.repeat(half)}  ${rightSide[i] ?? ''}`.trimEnd(), i === 0),
  );
}

function signatureLines(layout: Layout): Line[] {
  const width = columnsOf[layout];
  if (layout === 'thermal') {
    return [labels.pickedBy, labels.checkedBy].flatMap((label): Line[] => [
      { kind: 'gap' },
      { kind: 'gap' },
      text('_'.repeat(width)),
      text(center(label, width).trimEnd()),
    ]);
  }
  const half = Math.floor((width - 4) / 2);
  return [
    { kind: 'gap' },
    { kind: 'gap' },
    text(`${'_'.repeat(half)}    ${'_'.repeat(half)}`),
    text(`${center(labels.pickedBy, half)}    ${center(labels.checkedBy, half)}`.trimEnd()),
  ];
}

/** The slip as blocks, top to bottom. The A4 footer (printed at, page n of m) is drawn on each page. */
export function slipBlocks(slip: Slip, layout: Layout): Block[] {
  const width = columnsOf[layout];
  const items = itemBlocks(slip, layout);
  const unitsWidth = layout === 'a4' ? width - itemColumns(layout).check - 1 : width;
  const customer = [...fieldRows(slip.customer, width, 1)];
  return [
    {
      lines: [
        { kind: 'title', text: printable(labels.title.toLocaleUpperCase('pt-BR')) },
        ...wrap(`${labels.store}: ${slip.store}`, width).map((l) => text(l, true)),
        { kind: 'rule' },
        { kind: 'order', label: labels.order, number: slip.number, barcode: slip.barcode },
        ...fieldRows(slip.order, width, layout === 'a4' ? 2 : 1).map((l) => text(l)),
        { kind: 'rule' },
      ],
    },
    {
      lines: [
        ...customer.map((l) => text(l)),
        ...(slip.address
          ? [
              text(`${labels.address}:`),
              ...slip.address.flatMap((a) => wrap(a, width - 2).map((l) => text(`  ${l}`))),
            ]
          : []),
        { kind: 'rule' },
      ],
    },
    // The heading travels with the first item so a page never ends on a bare table header.
    {
      lines: [
        heading(`${labels.items} (${slip.items.length})`),
        ...items.header,
        { kind: 'rule' },
        ...(items.rows[0]?.lines ?? []),
      ],
    },
    ...items.rows.slice(1),
    { lines: [{ kind: 'rule' }, text(right(`${labels.totalUnits}: ${slip.totalUnits}`, unitsWidth), true)] },
    { lines: [{ kind: 'rule' }, ...paymentLines(slip, layout), { kind: 'rule' }] },
    { lines: signatureLines(layout) },
    ...(layout === 'thermal'
      ? [
          {
            lines: [
              { kind: 'gap' } as Line,
              text(center(`${labels.printedAt} ${slip.printedAt}`, width).trimEnd()),
            ],
          },
        ]
      : []),
  ];
}

/** What opens every A4 page after the first: which order this page belongs to. */
export function continuationHeader(slip: Slip): Line[] {
  return [
    { kind: 'title', text: printable(`${labels.title.toLocaleUpperCase('pt-BR')} (${labels.continued})`) },
    text(`${labels.order} ${slip.number} - ${labels.store} ${slip.store}`.slice(0, columnsOf.a4), true),
    { kind: 'rule' },
  ];
}

/**
 * Pages of at most `capacity` points: blocks are never split unless one alone is taller than a page; a
 * page after the first starts with `continuation`, then the table header when it opens inside the table.
 */
export function paginate(
  blocks: readonly Block[],
  capacity: number,
  heightOf: (line: Line) => number,
  continuation: readonly Line[],
): Line[][] {
  const height = (lines: readonly Line[]) => lines.reduce((sum, l) => sum + heightOf(l), 0);
  const pages: Line[][] = [[]];
  let used = 0;
  const newPage = (block: Block) => {
    const top = [...continuation, ...(block.tableHeader ?? [])];
    pages.push([...top]);
    used = height(top);
  };
  for (const block of blocks) {
    const needed = height(block.lines);
    if (used + needed > capacity && used > 0) newPage(block);
    const page = () => pages[pages.length - 1]!;
    if (used + needed <= capacity) {
      page().push(...block.lines);
      used += needed;
      continue;
    }
    // Taller than a page on its own: line by line.
    for (const line of block.lines) {
      if (used + heightOf(line) > capacity) newPage(block);
      page().push(line);
      used += heightOf(line);
    }
  }
  return pages;
}
