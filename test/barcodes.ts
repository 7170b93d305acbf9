import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/**
 * What a barcode reader finds on each page of a PDF, for tests: the pages rendered to PNG by poppler's
 * pdftoppm (Debian poppler-utils, installed by .ci/run) and read by ZXing (zxing-wasm, its WebAssembly
 * binary loaded from node_modules, never from a CDN).
 */

const run = promisify(execFile);
let prepared = false;

async function prepare() {
  if (prepared) return;
  const wasm = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
  const bytes = await readFile(wasm);
  prepareZXingModule({
    overrides: { wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    fireImmediately: true,
  });
  prepared = true;
}

export interface Read {
  page: number;
  format: string;
  text: string;
}

export async function barcodesOf(pdf: Buffer, dpi = 200): Promise<Read[]> {
  await prepare();
  const dir = await mkdtemp(path.join(tmpdir(), 'omnihub-barcodes-'));
  try {
    await writeFile(path.join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', ['-r', String(dpi), '-png', path.join(dir, 'in.pdf'), path.join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    const out: Read[] = [];
    for (const [i, file] of pages.entries()) {
      const found = await readBarcodes(new Uint8Array(await readFile(path.join(dir, file))), {
        formats: ['Code128', 'DataMatrix'],
        maxNumberOfSymbols: 32,
        tryHarder: true,
      });
      for (const r of found.filter((f) => f.isValid))
        out.push({ page: i + 1, format: r.format, text: r.text });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
