import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { interfaceCatalogue } from './catalogue.ts';
import { renderCatalogueDocs } from './catalogue-docs.ts';

describe('docs/interface-catalogue.md', () => {
  it('is what the catalogue generates (run `npm run docs:generate` after changing catalogue.ts)', () => {
    const committed = fs.readFileSync(new URL('../../docs/interface-catalogue.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderCatalogueDocs());
  });

  it('has each code once', () => {
    const codes = interfaceCatalogue.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
