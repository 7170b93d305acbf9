import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The docs name code by path (`orders/invoicing.ts`, `fiscal/xml/`): a file moved without its docs leaves a
 * newcomer looking for something that is not there. Every such path must exist, under src/ or the root.
 */
const docs = ['README.md', 'docs/architecture.md', 'docs/glossary.md', 'docs/fiscal.md', 'docs/scaling.md'];
/** Written by the test run, not kept in the repository. */
const generated = ['test-artifacts/screenshots/'];
const codePath = /`((?:[a-z-]+\/)+[A-Za-z0-9._-]*)`/g;

describe('paths named in the docs', () => {
  it.each(docs)('%s names only files and folders that exist', (doc) => {
    const text = readFileSync(doc, 'utf8');
    const missing = [...text.matchAll(codePath)]
      .map((m) => m[1]!)
      .filter((p) => !generated.includes(p) && !existsSync(`src/${p}`) && !existsSync(p));
    expect([...new Set(missing)]).toEqual([]);
  });
});
