import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the back office (web/ → web/dist) when the build is missing or older than its sources, so
 * `npm start` and `npm test` on a fresh clone or after an edit always serve the current app.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const built = path.join(web, 'dist', 'index.html');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

export async function ensureWebBuild(log: (line: string) => void = console.log): Promise<void> {
  const sources = Math.max(newest(web), fs.statSync(path.join(root, 'package-lock.json')).mtimeMs);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  log('omnihub: building the back office (web/ → web/dist)…');
  const { build } = await import('vite');
  // Always the production build users get: under vitest NODE_ENV is "test", and Vite would then bundle
  // React's development build (StrictMode running every effect twice), which no user ever runs.
  const was = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (was === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = was;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await ensureWebBuild();
}
