import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderWebApiTypes, WEB_API_TYPES } from './web-api-types.ts';

/** Writes the web app's API types from the OpenAPI document (`npm run web:types`); a test checks they are current. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
fs.writeFileSync(path.join(root, WEB_API_TYPES), await renderWebApiTypes());
console.log(`written ${WEB_API_TYPES}`);
