import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { toCsv, toXml } from './formats.ts';
import { type FieldError, type FileDropSettings, patternToRegExp } from './settings.ts';
import type { Adapter } from './types.ts';

/** Where picked-up files go, inside the interface's directory, so a file is read once. */
export const PROCESSED_DIR = 'processados';

/** The directory must exist and be writable by this process: checked when an admin configures it. */
export async function directoryErrors(directory: string): Promise<FieldError[]> {
  try {
    if (!(await fs.stat(directory)).isDirectory()) throw new Error('not a directory');
    await fs.access(directory, constants.W_OK | constants.R_OK);
    return [];
  } catch {
    return [
      {
        path: '/adapterSettings/directory',
        code: 'CONNECTOR.DIRECTORY_UNUSABLE',
        message: 'must be an existing directory this Omnihub process can read and write',
      },
    ];
  }
}

/**
 * File drop (issue 16 §1): inbound, each file matching the pattern is one ticket (its content kept) and is
 * moved to `processados/`; outbound, the dataset is written as CSV or XML under a temporary name and renamed,
 * so a reader of the directory never sees half a file.
 */
export const fileDropAdapter: Adapter = async (run) => {
  const s = run.settings as FileDropSettings;
  const startedAt = new Date();
  const base = {
    networkId: run.networkId,
    direction: run.direction,
    system: run.system,
    kind: 'interface.file_drop',
    moduleCode: run.code,
    startedAt,
  } as const;
  if (run.direction === 'out') {
    const records = await run.dataset(s.source!);
    const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    const name = `${run.code}-${s.source}-${stamp}.${s.format}`;
    const content =
      s.format === 'csv' ? toCsv(records) : toXml(records, { source: s.source!, interface: run.code });
    const tmp = path.join(s.directory, `.${name}.tmp`);
    await fs.writeFile(tmp, content);
    await fs.rename(tmp, path.join(s.directory, name));
    await run.tickets.record({
      ...base,
      method: `write ${name}`,
      status: 'processed',
      url: `file://${path.join(s.directory, name)}`,
      latencyMs: Date.now() - startedAt.getTime(),
      request: content,
    });
    return { items: records.length, message: `${records.length} registro(s) gravados em ${name}` };
  }
  const matches = patternToRegExp(s.pattern ?? '*');
  const entries = await fs.readdir(s.directory, { withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && matches.test(e.name))
    .map((e) => e.name);
  await fs.mkdir(path.join(s.directory, PROCESSED_DIR), { recursive: true });
  for (const name of files.sort()) {
    const from = path.join(s.directory, name);
    const content = await fs.readFile(from, 'utf8');
    await run.tickets.record({
      ...base,
      method: `read ${name}`,
      status: 'processed',
      url: `file://${from}`,
      latencyMs: Date.now() - startedAt.getTime(),
      response: content,
      reference: name,
    });
    await fs.rename(from, path.join(s.directory, PROCESSED_DIR, name));
  }
  return { items: files.length, message: `${files.length} arquivo(s) lido(s) de ${s.directory}` };
};
