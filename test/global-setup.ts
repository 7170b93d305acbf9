import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildServer } from '../scripts/build-server.ts';
import { ensureWebBuild } from '../scripts/ensure-web-build.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { openEmbedded, openServer } from '../src/platform/db/index.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';

/**
 * Migrates and seeds one embedded database and dumps it; every test file starts from a copy,
 * which skips the migrations and the argon2 hashing of the demo users in each file. With DATABASE_URL the
 * same is done once on the server: a template database each file's database is created from.
 */
export default async function setup(project: TestProject) {
  // Made while the embedded one is: the server does its share in its own processes.
  const serverTemplate = process.env.DATABASE_URL
    ? createServerTemplate(process.env.DATABASE_URL)
    : Promise.resolve('');
  // The browser tests load the back office from web/dist.
  await ensureWebBuild(() => {});
  // The tests that start Omnihub as a process run what `npm start` runs.
  await buildServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-template-'));
  const file = path.join(dir, 'template.tar.gz');
  const database = await openEmbedded(undefined);
  await database.migrate();
  await seedDemo(database.db, { secretKey: TEST_SECRET_KEY });
  fs.writeFileSync(file, Buffer.from(await (await database.dump!()).arrayBuffer()));
  await database.close();
  project.provide('embeddedTemplate', file);
  const serverTemplateName = await serverTemplate;
  project.provide('serverTemplate', serverTemplateName);
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (serverTemplateName)
      await onServer(process.env.DATABASE_URL!, `drop database if exists ${serverTemplateName}`);
  };
}

/** A migrated and demo-seeded database on the server, left without connections so it can be copied. */
async function createServerTemplate(adminUrl: string): Promise<string> {
  const name = `omnihub_template_${randomBytes(6).toString('hex')}`;
  await onServer(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openServer(url.toString(), 2);
  await database.migrate();
  await seedDemo(database.db, { secretKey: TEST_SECRET_KEY });
  await database.close();
  return name;
}

async function onServer(adminUrl: string, statement: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
