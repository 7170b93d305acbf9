import openapiTS, { type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../src/app.ts';
import { openEmbedded } from '../src/platform/db/index.ts';

export const WEB_API_TYPES = 'web/src/api/schema.d.ts';

/**
 * The web app's API types, rendered from the OpenAPI document the app serves at /openapi.json. The app is
 * built in-process on a throw-away embedded database: describing the routes needs no data and no server.
 */
export async function renderWebApiTypes(): Promise<string> {
  const database = await openEmbedded(undefined);
  try {
    const app = await buildApp(database, { logger: false, secretKey: Buffer.alloc(32) });
    await app.ready();
    const document = app.swagger() as unknown as OpenAPI3;
    await app.close();
    const types = await openapiTS(document, { immutableTypes: false });
    return `// Generated from /openapi.json by \`npm run web:types\`: do not edit by hand.\n${types}`;
  } finally {
    await database.close();
  }
}
