import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mediaBoxes, pageCount, textOf } from '../../test/pdf.ts';
import { code128, drawBars, renderPdf } from './pdf.ts';

describe('PDF helpers', () => {
  it('renders the pages drawn, with their sizes and text, to one buffer', async () => {
    const pdf = await renderPdf('Teste', (doc) => {
      doc.addPage({ size: 'A4' }).font('Helvetica').fontSize(10).text('Romaneio', 20, 20);
      doc.addPage({ size: [226.77, 400] });
      drawBars(doc, code128('42'), 10, 10, 30);
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(2);
    expect(mediaBoxes(pdf)).toHaveLength(2);
    expect(textOf(pdf)).toContain('Romaneio');
  });

  it('encodes an even run of digits in code set C: 11 modules per pair, plus start, check and stop', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^([0-9]{2}){1,22}$/), (digits) => {
        const symbol = code128(digits);
        expect(symbol.reduce((a, b) => a + b, 0)).toBe(11 * (digits.length / 2 + 2) + 13);
        // Bars and spaces alternate, a bar first and last.
        expect(symbol.length % 2).toBe(1);
      }),
    );
  });
});
