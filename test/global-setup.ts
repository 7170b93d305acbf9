import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureWebBuild } from '../scripts/ensure-web-build.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { openEmbedded } from '../src/platform/db/index.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';

/**
 * Migrates and seeds one embedded database and dumps it; every test file starts from a copy,
 * which skips the migrations and the argon2 hashing of the demo users in each file.
 */
export default async function setup(project: TestProject) {
  // The browser tests load the back office from web/dist.
  await ensureWebBuild(() => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-template-'));
  const file = path.join(dir, 'template.tar.gz');
  const database = await openEmbedded(undefined);
  await database.migrate();
  await seedDemo(database.db, { secretKey: TEST_SECRET_KEY });
  fs.writeFileSync(file, Buffer.from(await (await database.dump!()).arrayBuffer()));
  await database.close();
  project.provide('embeddedTemplate', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
