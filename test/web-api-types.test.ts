import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderWebApiTypes, WEB_API_TYPES } from '../scripts/web-api-types.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe("the web app's API types", () => {
  it('are what /openapi.json generates (run `npm run web:types` after changing a route schema)', async () => {
    const committed = fs.readFileSync(path.join(root, WEB_API_TYPES), 'utf8');
    expect(committed === (await renderWebApiTypes()), `${WEB_API_TYPES} is stale`).toBe(true);
  });
});
