import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../platform/db/index.ts';
import { backoffMs } from '../platform/jobs/service.ts';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  EXCERPT_CHARS,
  isDelivered,
  SIGNATURE_HEADER,
  sign,
} from './domain.ts';
import { type Claimed, claimDue, type Outcome, recordOutcome } from './store.ts';

export interface DeliveryWorkerOptions {
  /** How often to look for due deliveries when idle. */
  pollMs?: number;
  /** First retry delay; doubles per attempt (with jitter) up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per attempt: connecting, sending and reading the start of the answer. */
  timeoutMs?: number;
  /** How long a claim keeps other workers away; longer than timeoutMs, so a live worker never loses it. */
  leaseMs?: number;
  /** Deliveries sent side by side (each of a different order) per round. */
  batch?: number;
  logger?: FastifyBaseLogger;
}

export interface DeliveryWorker {
  stop(): Promise<void>;
  wake(): void;
}

/**
 * Sends the webhook outbox: claims due deliveries, POSTs each outside any transaction, records the attempt,
 * and reschedules failures with exponential backoff, forever, until a 2xx. Several workers (in one process
 * or many) may run against one database; delivery is at least once, so receivers dedupe on the
 * X-Omnihub-Delivery header for the rare case where a worker stalled past its lease.
 */
export function startDeliveryWorker(db: Db, opts: DeliveryWorkerOptions = {}): DeliveryWorker {
  const pollMs = opts.pollMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const leaseMs = Math.max(opts.leaseMs ?? 0, timeoutMs * 2 + 30_000);
  const batch = opts.batch ?? 10;
  const retry = { baseMs: opts.baseDelayMs ?? 1000, capMs: opts.maxDelayMs ?? 10 * 60_000 };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  let wanted = false;
  let running: Promise<void> = Promise.resolve();

  async function deliver(claim: Claimed) {
    const outcome = await post(claim, timeoutMs);
    const delivered = isDelivered(outcome.responseStatus);
    if (!delivered) {
      opts.logger?.warn(
        {
          deliveryId: claim.id,
          attempt: claim.attempt,
          status: outcome.responseStatus,
          error: outcome.error,
        },
        'webhook attempt failed',
      );
    }
    await recordOutcome(
      db,
      claim,
      outcome,
      delivered ? { delivered } : { delivered, retryInMs: backoffMs(claim.attempt, Math.random, retry) },
    );
  }

  async function tick() {
    ticking = true;
    wanted = false;
    let busy = false;
    try {
      const claimed = await claimDue(db, { batch, leaseMs });
      // One failed recording must not lose the others; its lease expires and it is sent again.
      const results = await Promise.allSettled(claimed.map(deliver));
      for (const r of results) {
        if (r.status === 'rejected') opts.logger?.error({ err: r.reason }, 'webhook outcome not recorded');
      }
      busy = claimed.length > 0;
    } catch (error) {
      opts.logger?.error({ err: error }, 'webhook worker poll failed');
    }
    ticking = false;
    if (stopped) return;
    // A delivered event may have unblocked the next one of its order: look again at once.
    if (busy || wanted) running = tick();
    else timer = setTimeout(() => (running = tick()), pollMs);
  }

  running = tick();
  return {
    /** Looks now instead of at the next poll (after an enqueue or an endpoint change in this process). */
    wake() {
      if (stopped) return;
      if (ticking) {
        wanted = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = undefined;
      running = tick();
    },
    /** Stops claiming and waits for the attempts in flight to be recorded. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

async function post(claim: Claimed, timeoutMs: number): Promise<Outcome> {
  const startedAt = new Date();
  const t0 = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const base = { startedAt, url: claim.url };
  const latency = () => Math.round(performance.now() - t0);
  try {
    const res = await fetch(claim.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Omnihub-Webhooks/1',
        [SIGNATURE_HEADER]: sign(claim.body, claim.secret),
        [DELIVERY_HEADER]: claim.id,
        [EVENT_HEADER]: claim.event,
      },
      body: claim.body,
      redirect: 'manual',
      signal,
    });
    const excerpt = await readExcerpt(res);
    return {
      ...base,
      responseStatus: res.status,
      latencyMs: latency(),
      error: isDelivered(res.status) ? null : `HTTP ${res.status}`,
      responseExcerpt: excerpt,
    };
  } catch (error) {
    return {
      ...base,
      responseStatus: null,
      latencyMs: latency(),
      error: describe(error),
      responseExcerpt: null,
    };
  }
}

/** The start of the answer only: a partner's huge error page must not fill memory or the database. */
async function readExcerpt(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The status already counts; a body cut short changes nothing.
  } finally {
    reader.cancel().catch(() => {});
  }
  return text ? text.slice(0, EXCERPT_CHARS) : null;
}

/** "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4000" rather than fetch's bare "fetch failed". */
function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'timeout: no answer in time';
  const cause = e?.cause;
  const text = cause?.message
    ? `${cause.code ? `${cause.code}: ` : ''}${cause.message}`
    : `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
  return text.slice(0, 500);
}
