import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFinanceDocs } from './docs.ts';
import { accountNames, entryKindNames } from './domain.ts';

describe('docs/finance.md', () => {
  it('is what the accounts and entry kinds generate (run `npm run docs:generate` after changing them)', () => {
    const committed = fs.readFileSync(new URL('../../docs/finance.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderFinanceDocs());
  });

  it('lists every account and every entry kind', () => {
    const doc = renderFinanceDocs();
    for (const a of accountNames) expect(doc).toContain(`| \`${a}\` `);
    for (const k of entryKindNames) expect(doc).toContain(`| \`${k}\` `);
  });
});
