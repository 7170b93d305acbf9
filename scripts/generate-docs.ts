import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCatalogueDocs } from '../src/connector/catalogue-docs.ts';
import { renderFinanceDocs } from '../src/finance/docs.ts';
import { renderFiscalStateDocs } from '../src/fiscal/state-docs.ts';
import { renderStateDocs } from '../src/orders/state-docs.ts';
import { renderPosSyncDocs } from '../src/pos/sync/docs.ts';
import { renderContextMap } from './context-map.ts';

/** Writes the documents generated from code (`npm run docs:generate`); a test checks they are current. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const [file, render] of [
  ['docs/order-states.md', renderStateDocs],
  ['docs/fiscal-document-states.md', renderFiscalStateDocs],
  ['docs/context-map.md', renderContextMap],
  ['docs/interface-catalogue.md', renderCatalogueDocs],
  ['docs/finance.md', renderFinanceDocs],
  ['docs/pos-sync.md', renderPosSyncDocs],
] as const) {
  fs.writeFileSync(path.join(root, file), render());
  console.log(`written ${file}`);
}
