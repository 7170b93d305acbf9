import { jsonItems } from './formats.ts';
import type { HttpJsonSettings } from './settings.ts';
import type { Adapter } from './types.ts';

/** The largest answer an inbound HTTP JSON interface reads; a bigger one fails the run. */
export const HTTP_JSON_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Reads a body up to the cap, so a runaway partner cannot fill the memory. */
async function readCapped(res: Response, cap: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > cap) throw new Error(`the answer exceeds ${cap} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * HTTP JSON (issue 16 §1): inbound, GET the URL and keep the JSON as the ticket (items: an array's length,
 * else 1); outbound, POST the dataset `{source, interface, generatedAt, items}`. Every exchange is a ticket.
 */
export const httpJsonAdapter: Adapter = async (run) => {
  const s = run.settings as HttpJsonSettings;
  const startedAt = new Date();
  const records = run.direction === 'out' ? await run.dataset(s.source!) : undefined;
  const body = records
    ? JSON.stringify({
        source: s.source,
        interface: run.code,
        generatedAt: startedAt.toISOString(),
        items: records,
      })
    : undefined;
  const fail = async (message: string, httpStatus?: number, response?: string): Promise<never> => {
    await ticket('failed', { error: message, httpStatus, response });
    throw new Error(message);
  };
  const ticket = (
    status: 'processed' | 'failed',
    f: { httpStatus?: number; response?: string; error?: string },
  ) =>
    run.tickets.record({
      networkId: run.networkId,
      direction: run.direction,
      system: run.system,
      method: `${s.method} ${new URL(s.url).pathname}`,
      kind: 'interface.http_json',
      moduleCode: run.code,
      url: s.url,
      latencyMs: Date.now() - startedAt.getTime(),
      request: body ?? null,
      startedAt,
      status,
      ...f,
    });

  let status = 0;
  let text = '';
  try {
    const res = await fetch(s.url, {
      method: s.method,
      headers: {
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...s.headers,
      },
      body,
      signal: AbortSignal.timeout(s.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: 'error',
    });
    status = res.status;
    text = await readCapped(res, HTTP_JSON_MAX_BYTES);
  } catch (error) {
    await fail(`${s.url} não respondeu: ${(error as Error).message}`);
  }
  if (status < 200 || status > 299) await fail(`${s.url} respondeu HTTP ${status}`, status, text);
  if (records) {
    await ticket('processed', { httpStatus: status, response: text });
    return { items: records.length, message: `${records.length} registro(s) enviados a ${s.url}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    await fail(`${s.url} não respondeu JSON`, status, text);
  }
  await ticket('processed', { httpStatus: status, response: text });
  const items = jsonItems(parsed);
  return { items, message: `${items} registro(s) recebidos de ${s.url}` };
};
