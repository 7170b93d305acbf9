import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles the server (src/main.ts and what it imports; packages stay in node_modules) into
 * build/omnihub.mjs, the file `npm start` runs. Plain JavaScript spares the running process tsx's loader
 * thread and the transformed sources it keeps: about 60 MB of resident memory (docs/benchmarks.md). The
 * bundle is written beside and then renamed, so a process starting meanwhile reads the old or the new one
 * whole. About half a second; done on every start, so it is never stale.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const serverBundle = path.join(root, 'build', 'omnihub.mjs');

export async function buildServer(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    // For `node --enable-source-maps build/omnihub.mjs` when a stack trace should name the sources.
    sourcemap: 'external',
    outfile: serverBundle,
    write: false,
    logLevel: 'warning',
  });
  fs.mkdirSync(path.dirname(serverBundle), { recursive: true });
  for (const file of result.outputFiles) {
    const partial = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(partial, file.contents);
    fs.renameSync(partial, file.path);
  }
  return serverBundle;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildServer();
