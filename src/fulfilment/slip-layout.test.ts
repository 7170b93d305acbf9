import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Layout, layouts, type Slip } from './domain.ts';
import {
  columnsOf,
  continuationHeader,
  type Line,
  paginate,
  printable,
  slipBlocks,
  wrap,
} from './slip-layout.ts';

const slip = (items: Slip['items']): Slip => ({
  number: '7',
  barcode: '7',
  store: '11 - Loja Centro',
  order: [
    ['Pedido externo', 'EC-1'],
    ['Canal', 'ecommerce'],
  ],
  customer: [['Cliente', 'Maria Aparecida da Conceição Silva']],
  address: ['Rua Augusta, 1200', 'Consolação - São Paulo/SP', 'CEP 01304-001'],
  items,
  totalUnits: '3',
  payments: [['Pix', 'R$ 10,00']],
  totals: [['Total', 'R$ 10,00']],
  printedAt: '23/11/2026 12:00',
});

const texts = (lines: Line[]) => lines.flatMap((l) => (l.kind === 'text' ? [l.text] : []));

describe('text on the grid', () => {
  it('wraps at the width and keeps every word', () => {
    const words = fc.array(fc.stringMatching(/^[a-zçã0-9-]{1,12}$/), { maxLength: 40 });
    fc.assert(
      fc.property(words, fc.integer({ min: 12, max: 84 }), (ws, width) => {
        const lines = wrap(ws.join(' '), width);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        expect(lines.join(' ').split(' ').filter(Boolean)).toEqual(ws);
      }),
    );
  });

  it('cuts a word longer than a line', () => {
    expect(wrap('ABCDEFGHIJ', 4)).toEqual(['ABCD', 'EFGH', 'IJ']);
  });

  it('keeps what Courier prints and degrades the rest', () => {
    expect(printable('Calça\tjeans — 2 ẽ 中\n')).toBe('Calça jeans — 2 e ?');
  });
});

describe('the laid-out slip', () => {
  const item = fc.record({
    line: fc.constant('001'),
    sku: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
    description: fc.string({ maxLength: 300, unit: 'grapheme' }),
    quantity: fc.constant('1.000.000'),
  });

  it.each(layouts)('never prints past the %s columns', (layout: Layout) => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), (items) => {
        const lines = slipBlocks(slip(items), layout).flatMap((b) => b.lines);
        for (const text of texts(lines)) expect(text.length).toBeLessThanOrEqual(columnsOf[layout]);
        expect(texts(lines).join('\n')).toContain(' 1.000.000 ');
      }),
    );
  });

  it('flows many items onto A4 pages that repeat the header and the table header', () => {
    const items = Array.from({ length: 150 }, (_, i) => ({
      line: String(i + 1).padStart(3, '0'),
      sku: `SKU-${i + 1}`,
      description: 'Calça jeans masculina slim fit lavagem escura com elastano e barra italiana',
      quantity: '1',
    }));
    const s = slip(items);
    const blocks = slipBlocks(s, 'a4');
    const height = () => 10;
    const pages = paginate(blocks, 600, height, continuationHeader(s));
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect(page.length * 10).toBeLessThanOrEqual(600);
    const tableHeader = texts(blocks[3]!.tableHeader!)[0];
    for (const page of pages.slice(1, -1)) {
      expect(page[0]).toEqual(continuationHeader(s)[0]);
      expect(texts(page)).toContain(tableHeader);
    }
    // Every item printed once, in order.
    const printed = pages.flatMap((p) => texts(p)).filter((t) => /^\d{3} SKU-/.test(t));
    expect(printed.map((t) => t.slice(0, 3))).toEqual(items.map((i) => i.line));
  });
});
