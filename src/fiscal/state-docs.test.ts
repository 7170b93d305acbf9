import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canMoveDocument, documentTransitions, fiscalDocumentStatuses } from './domain.ts';
import { renderFiscalStateDocs } from './state-docs.ts';

describe('the fiscal document lifecycle', () => {
  it('is what docs/fiscal-document-states.md shows (run `npm run docs:generate` after changing it)', () => {
    const committed = fs.readFileSync(
      new URL('../../docs/fiscal-document-states.md', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(renderFiscalStateDocs());
  });

  it('starts in sending (or unsent, transmitted by hand) and never leaves a cancelled document', () => {
    expect(documentTransitions.filter((t) => t.from === null).map((t) => t.to)).toEqual([
      'sending',
      'unsent',
    ]);
    // An unsent document reaches SEFAZ only through sending.
    expect(documentTransitions.filter((t) => t.from === 'unsent').map((t) => t.to)).toEqual(['sending']);
    for (const to of fiscalDocumentStatuses) expect(canMoveDocument('cancelled', to)).toBe(false);
    expect(canMoveDocument('rejected', 'authorised')).toBe(false);
    expect(canMoveDocument('sending', 'authorised')).toBe(true);
  });
});
