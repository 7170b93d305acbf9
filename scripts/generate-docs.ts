import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderStateDocs } from '../src/orders/state-docs.ts';

/** Writes the documents generated from code (`npm run docs:generate`); a test checks they are current. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'docs/order-states.md');
fs.writeFileSync(target, renderStateDocs());
console.log(`written ${path.relative(root, target)}`);
