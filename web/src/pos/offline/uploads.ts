/**
 * The upload side of the POS sync: what the POS did while selling (cash, customers, sales, Z reduction)
 * is queued first and sent in order when the server is reachable (`POST /api/v1/pos/uploads/{kind}`).
 * The terminal's sequence and the record's posId are fixed when queued, so a re-send after a lost answer
 * gets the first answer back (200, `replayed`) instead of applying twice.
 */
import { ApiError } from '../../api.ts';
import { posRequest } from '../pos-api.ts';
import {
  type OfflineDb,
  type OutboxEntry,
  type RefusedUpload,
  type SentUpload,
  terminalId,
  type UploadKind,
} from './db.ts';

const SEQUENCE = 'upload-sequence';
/** First wait after a failed connection, doubled each time up to the cap. */
export const BACKOFF_MS = 2_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

export function backoffOf(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Queues an upload: the next sequence of this terminal (counter and entry written together) and a posId
 * (the caller's when it already named the record, e.g. the cash session a sale refers to).
 */
export async function queueUpload(
  db: OfflineDb,
  kind: UploadKind,
  fields: Record<string, unknown>,
  opts: { posId?: string; occurredAt?: string; now?: () => number } = {},
): Promise<OutboxEntry> {
  const now = new Date((opts.now ?? Date.now)()).toISOString();
  const tx = db.transaction(['local', 'outbox'], 'readwrite');
  const last = (await tx.objectStore('local').get(SEQUENCE)) as number | undefined;
  const sequence = (last ?? 0) + 1;
  const posId = opts.posId ?? crypto.randomUUID();
  const entry: OutboxEntry = {
    sequence,
    kind,
    posId,
    body: { ...fields, terminal: terminalId(), sequence, posId, occurredAt: opts.occurredAt ?? now },
    queuedAt: now,
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
  };
  await tx.objectStore('local').put(sequence, SEQUENCE);
  await tx.objectStore('outbox').add(entry);
  await tx.done;
  return entry;
}

export const pendingCount = (db: OfflineDb): Promise<number> => db.count('outbox');

/** Answers kept for the sale page's "enviada" line: the latest only, so a busy terminal's database stays small. */
export const SENT_KEPT = 500;

export async function pruneSent(db: OfflineDb, keep = SENT_KEPT): Promise<void> {
  const tx = db.transaction('sent', 'readwrite');
  let extra = (await tx.store.count()) - keep;
  let cursor = extra > 0 ? await tx.store.index('by-sequence').openCursor() : null;
  while (cursor && extra > 0) {
    await cursor.delete();
    extra -= 1;
    cursor = await cursor.continue();
  }
  await tx.done;
}

export interface FlushOutcome {
  sent: SentUpload[];
  refused: RefusedUpload[];
  /** The connection failed (or the server erred): the rest waits for the backoff. */
  blocked: boolean;
}

interface UploadAnswer {
  upload?: { id?: string };
  replayed?: boolean;
  result?: Record<string, unknown>;
}

/**
 * A refusal is final: the server said what is wrong with the record, sending it again cannot help. Not
 * refusals: a revoked key (401, the POS pairs again and sends then), a timeout or a rate limit, and the
 * first send of the same upload still running on the server (409 IDEMPOTENCY.IN_PROGRESS).
 */
function isRefusal(error: ApiError): boolean {
  const { status } = error;
  if (status < 400 || status >= 500 || status === 401 || status === 408 || status === 429) return false;
  return error.code !== 'IDEMPOTENCY.IN_PROGRESS';
}

/**
 * Sends the queue in sequence order, one at a time. 2xx (201 applied, 200 replayed) removes the entry and
 * keeps the answer; a refusal (422, 409 POS.UPLOAD_SEQUENCE_REUSED) moves it to the refused list with the
 * reason and goes on; a failed connection or a server error stops the run and backs the entry off.
 */
export async function flushOutbox(db: OfflineDb, opts: { now?: () => number } = {}): Promise<FlushOutcome> {
  const now = opts.now ?? Date.now;
  const outcome: FlushOutcome = { sent: [], refused: [], blocked: false };
  for (;;) {
    const cursor = await db.transaction('outbox').store.openCursor();
    const entry = cursor?.value;
    if (!entry) break;
    if (Date.parse(entry.nextAttemptAt) > now()) {
      outcome.blocked = true;
      break;
    }
    try {
      const res = await posRequest('POST', `/api/v1/pos/uploads/${entry.kind}`, {
        body: entry.body,
        idempotencyKey: `${entry.body.terminal}:${entry.sequence}`,
      });
      const answer = (await res.json().catch(() => ({}))) as UploadAnswer;
      const sent: SentUpload = {
        sequence: entry.sequence,
        kind: entry.kind,
        posId: entry.posId,
        uploadId: answer.upload?.id ?? null,
        replayed: answer.replayed === true,
        result: answer.result ?? {},
        sentAt: new Date(now()).toISOString(),
      };
      const tx = db.transaction(['outbox', 'sent'], 'readwrite');
      await tx.objectStore('outbox').delete(entry.sequence);
      await tx.objectStore('sent').put(sent);
      await tx.done;
      outcome.sent.push(sent);
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      if (error instanceof ApiError && isRefusal(error)) {
        const refused: RefusedUpload = {
          ...entry,
          attempts: entry.attempts + 1,
          status,
          code: error.code ?? null,
          message: error.message,
          errors: (error.problem.errors ?? []) as RefusedUpload['errors'],
          refusedAt: new Date(now()).toISOString(),
        };
        const tx = db.transaction(['outbox', 'refused'], 'readwrite');
        await tx.objectStore('outbox').delete(entry.sequence);
        await tx.objectStore('refused').put(refused);
        await tx.done;
        outcome.refused.push(refused);
        continue;
      }
      const attempts = entry.attempts + 1;
      await db.put('outbox', {
        ...entry,
        attempts,
        nextAttemptAt: new Date(now() + backoffOf(attempts)).toISOString(),
        lastError: status === 0 ? 'NETWORK.UNREACHABLE' : (error as Error).message,
      });
      outcome.blocked = true;
      break;
    }
  }
  if (outcome.sent.length) await pruneSent(db);
  return outcome;
}

/** Where an upload stands, looked up by its posId (the sale page's "enviada" / "aguardando conexão"). */
export type UploadState =
  | { state: 'queued'; entry: OutboxEntry }
  | { state: 'sent'; sent: SentUpload }
  | { state: 'refused'; refused: RefusedUpload }
  | { state: 'unknown' };

export async function uploadState(db: OfflineDb, posId: string): Promise<UploadState> {
  const sent = await db.get('sent', posId);
  if (sent) return { state: 'sent', sent };
  const queued = (await db.getAll('outbox')).find((e) => e.posId === posId);
  if (queued) return { state: 'queued', entry: queued };
  const refused = (await db.getAll('refused')).find((e) => e.posId === posId);
  if (refused) return { state: 'refused', refused };
  return { state: 'unknown' };
}

/** Makes every waiting upload due now (the connection came back, or the cashier tapped "Enviar agora"). */
export async function retryNow(db: OfflineDb, now = Date.now()): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  const at = new Date(now).toISOString();
  for (const entry of await tx.store.getAll()) await tx.store.put({ ...entry, nextAttemptAt: at });
  await tx.done;
}

export interface UploadLoop {
  stop(): void;
  kick(): void;
}

/** Sends the queue while the shell is mounted: right after a sale, every few seconds, and at reconnection. */
export function startUploadLoop(
  db: OfflineDb,
  opts: { onFlushed?: (outcome: FlushOutcome) => void; everyMs?: number } = {},
): UploadLoop {
  let stopped = false;
  let running: Promise<void> | null = null;
  const run = () => {
    if (stopped || running) return;
    running = (async () => {
      try {
        const outcome = await flushOutbox(db);
        if (outcome.sent.length || outcome.refused.length || outcome.blocked) opts.onFlushed?.(outcome);
      } catch {
        // IndexedDB closed (the page is leaving): nothing to do.
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(run, opts.everyMs ?? 5_000);
  run();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    kick: run,
  };
}
