import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderPosSyncDocs } from './docs.ts';
import { dataTypes } from './domain.ts';

describe('docs/pos-sync.md', () => {
  it('is what the data types generate (run `npm run docs:generate` after changing them)', () => {
    const committed = fs.readFileSync(new URL('../../../docs/pos-sync.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderPosSyncDocs());
  });

  it('lists every data type', () => {
    const doc = renderPosSyncDocs();
    for (const d of dataTypes) expect(doc).toContain(`| \`${d.code}\` `);
  });
});
