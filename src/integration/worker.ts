import http from 'node:http';
import https from 'node:https';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../platform/db/index.ts';
import { backoffMs } from '../platform/jobs/service.ts';
import { openSecret } from '../platform/secret-key.ts';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  EXCERPT_CHARS,
  isDelivered,
  SIGNATURE_HEADER,
  sign,
} from './domain.ts';
import { type Claimed, claimDue, type Outcome, recordOutcome } from './store.ts';
import { createTargetPolicy, type TargetPolicy } from './targets.ts';

/**
 * Retry delays: doubling from 1 s, capped at a minute. A partner back from an outage is found within a
 * minute, and its first 2xx sends everything waiting for it at once (see `recordOutcome`).
 */
export const RETRY_BASE_MS = 1000;
export const RETRY_CAP_MS = 60_000;

/**
 * Delivers one claimed event to an endpoint whose kind is not `http` (a platform adapter). It never throws:
 * what happened is the outcome, recorded as the attempt; a non-2xx `responseStatus` or a null one is retried
 * with the same backoff as a webhook. `responseStatus` 204 with an `error` of null means "nothing to send
 * for this event" (a VTEX connection has no call for `picking`) and counts as delivered.
 */
export type EventSender = (claim: Claimed) => Promise<Outcome>;

export interface DeliveryWorkerOptions {
  /** Senders for endpoint kinds other than `http`, by kind. */
  senders?: Readonly<Record<string, EventSender>>;
  /** Opens the endpoints' sealed signing secrets (platform/secret-key.ts). */
  secretKey: Buffer;
  /** Which addresses deliveries may go to; public ones only by default. */
  targets?: TargetPolicy;
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
export function startDeliveryWorker(db: Db, opts: DeliveryWorkerOptions): DeliveryWorker {
  const pollMs = opts.pollMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const leaseMs = Math.max(opts.leaseMs ?? 0, timeoutMs * 2 + 30_000);
  const batch = opts.batch ?? 10;
  const retry = { baseMs: opts.baseDelayMs ?? RETRY_BASE_MS, capMs: opts.maxDelayMs ?? RETRY_CAP_MS };
  const targets = opts.targets ?? createTargetPolicy();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  let wanted = false;
  let running: Promise<void> = Promise.resolve();

  async function deliver(claim: Claimed) {
    const outcome = await sendClaim(claim);
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

  async function sendClaim(claim: Claimed): Promise<Outcome> {
    if (claim.kind === 'http') return post(claim, { timeoutMs, targets, secretKey: opts.secretKey });
    const sender = opts.senders?.[claim.kind];
    if (!sender) {
      return {
        startedAt: new Date(),
        url: claim.url,
        responseStatus: null,
        latencyMs: 0,
        error: `no sender for endpoint kind ${claim.kind}`,
        responseExcerpt: null,
      };
    }
    try {
      return await sender(claim);
    } catch (error) {
      return {
        startedAt: new Date(),
        url: claim.url,
        responseStatus: null,
        latencyMs: 0,
        error: describe(error),
        responseExcerpt: null,
      };
    }
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

async function post(
  claim: Claimed,
  opts: { timeoutMs: number; targets: TargetPolicy; secretKey: Buffer },
): Promise<Outcome> {
  const startedAt = new Date();
  const t0 = performance.now();
  const base = { startedAt, url: claim.url, responseExcerpt: null };
  const latency = () => Math.round(performance.now() - t0);
  const failed = (error: string) => ({ ...base, responseStatus: null, latencyMs: latency(), error });
  const secret = openSecret(opts.secretKey, claim.secret);
  if (!secret.ok) return failed(`secret unreadable: ${secret.failure.detail}`);
  const url = new URL(claim.url);
  // An address literal is connected to without a lookup, so it is checked here; names at connect time.
  const refused = opts.targets.literalRefusal(url);
  if (refused) return failed(`refused: ${refused}`);
  try {
    const res = await send(url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Omnihub-Webhooks/1',
        [SIGNATURE_HEADER]: sign(claim.body, secret.value.toString('utf8')),
        [DELIVERY_HEADER]: claim.id,
        [EVENT_HEADER]: claim.event,
      },
      body: claim.body,
      timeoutMs: opts.timeoutMs,
      lookup: opts.targets.lookup,
    });
    return {
      ...base,
      responseStatus: res.status,
      latencyMs: latency(),
      error: isDelivered(res.status) ? null : `HTTP ${res.status}`,
      responseExcerpt: res.excerpt,
    };
  } catch (error) {
    return failed(describe(error));
  }
}

/**
 * One POST through node:http, whose `lookup` sees the address each connection uses (fetch offers no such
 * hook). Redirects are not followed; only the start of the answer is read: a partner's huge error page must
 * not fill memory or the database.
 */
function send(
  url: URL,
  req: { headers: Record<string, string>; body: string; timeoutMs: number; lookup: TargetPolicy['lookup'] },
): Promise<{ status: number; excerpt: string | null }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        lookup: req.lookup,
        agent: false,
        signal: AbortSignal.timeout(req.timeoutMs),
      },
      (res) => {
        const decoder = new TextDecoder();
        let text = '';
        const finish = () => {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, excerpt: text ? text.slice(0, EXCERPT_CHARS) : null });
        };
        res.on('data', (chunk: Buffer) => {
          text += decoder.decode(chunk, { stream: true });
          if (text.length >= EXCERPT_CHARS) finish();
        });
        // The status already counts; a body cut short changes nothing.
        res.on('end', finish);
        res.on('error', finish);
        res.on('close', finish);
      },
    );
    request.on('error', reject);
    request.end(req.body);
  });
}

/** "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4000" rather than fetch's bare "fetch failed". */
function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout: no answer in time';
  if ((error as NodeJS.ErrnoException)?.code === 'EADDRNOTALLOWED')
    return `refused: ${e.message}`.slice(0, 500);
  const cause = e?.cause;
  const text = cause?.message
    ? `${cause.code ? `${cause.code}: ` : ''}${cause.message}`
    : `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
  return text.slice(0, 500);
}
