import { createHmac, timingSafeEqual } from 'node:crypto';
import * as network from '../../network/service.ts';
import * as orders from '../../orders/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import { enqueue, type JobHandler } from '../../platform/jobs/service.ts';
import {
  type ReprocessHandler,
  recordTicket,
  settleTicket,
  type TicketRecorder,
  ticketRecorder,
} from '../../platform/tickets/service.ts';
import {
  loadConnection,
  mapCodes,
  NUVEMSHOP_ORDER_TICKET,
  type OpenedConnection,
  platformNames,
  systemOf,
} from '../service.ts';
import { callNuvemshop, isSuccess, isTransient } from './client.ts';
import { accountOf, connectionOfStore } from './connection.ts';
import { codesOf, externalIdOf, type NuvemshopOrder, toIngestInput } from './mapping.ts';

/**
 * Orders coming from Nuvemshop (issue 16 §6): its webhook, authenticated by the HMAC of the raw body with the
 * app's secret, is recorded as a pending ticket with a job in one transaction; the job fetches the order,
 * translates it through the network's mappings and ingests it as the connection's API client. What cannot be
 * translated is held as a failed ticket with the reason, to be reprocessed once the mapping is fixed.
 */

export const NUVEMSHOP_FETCH_QUEUE = 'nuvemshop.fetch_order';
/** Webhooks that bring no order (refused, ignored, cancellations). */
export const NUVEMSHOP_HOOK_TICKET = 'nuvemshop.hook';
export const SIGNATURE_HEADER = 'x-linkedstore-hmac-sha256';
/** A platform outage is retried with backoff for about half an hour before the ticket is given up. */
export const FETCH_MAX_ATTEMPTS = 12;

export interface InboundDeps {
  secretKey: Buffer;
  /** Per call to Nuvemshop (default 10 s). */
  timeoutMs?: number;
  wakeWorker?: () => void;
}

interface HookBody {
  store_id: number | string;
  event: string;
  id: number | string;
}

const isHookBody = (b: unknown): b is HookBody => {
  const h = b as HookBody;
  return (
    typeof h === 'object' &&
    h !== null &&
    /^\d{1,20}$/.test(String(h.store_id)) &&
    typeof h.event === 'string' &&
    /^\d{1,20}$/.test(String(h.id))
  );
};

/** Nuvemshop's signature: the hex HMAC-SHA256 of the raw body with the app's secret, compared in constant time. */
export function signatureMatches(raw: Buffer, secret: string, header: string | undefined): boolean {
  if (!header || !secret) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'));
  const given = Buffer.from(header.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface HookAnswer {
  ticketId: string;
  outcome: 'queued' | 'cancelled' | 'ignored';
}

/** The webhook as received; failures are recorded as failed tickets before they are answered. */
export async function receiveHook(
  db: Db,
  raw: Buffer,
  signature: string | undefined,
  deps: InboundDeps,
): Promise<Result<HookAnswer>> {
  const startedAt = new Date();
  const text = raw.toString('utf8');
  const refuse = async (
    networkId: string | null,
    kind: 'invalid' | 'not_found' | 'unauthorized' | 'conflict',
    code: string,
    detail: string,
    event = 'hook',
  ) => {
    await recordTicket(db, {
      networkId,
      direction: 'in',
      system: systemOf.nuvemshop,
      method: `webhook ${event}`,
      kind: NUVEMSHOP_HOOK_TICKET,
      status: 'failed',
      latencyMs: Date.now() - startedAt.getTime(),
      request: text,
      error: detail,
      startedAt,
    });
    return fail(kind, code, detail);
  };

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(null, 'invalid', 'NUVEMSHOP.HOOK_MALFORMED', 'The body is not JSON.');
  }
  if (!isHookBody(body))
    return refuse(
      null,
      'invalid',
      'NUVEMSHOP.HOOK_MALFORMED',
      'The body is not a Nuvemshop webhook ({store_id, event, id}).',
    );
  const storeId = String(body.store_id);
  const connection = await connectionOfStore(db, storeId, deps.secretKey);
  if (!connection)
    return refuse(
      null,
      'not_found',
      'NUVEMSHOP.UNKNOWN_STORE',
      `No network is connected to Nuvemshop store ${storeId}.`,
      body.event,
    );
  if (!signatureMatches(raw, connection.secrets.appSecret ?? '', signature))
    return refuse(
      connection.networkId,
      'unauthorized',
      'NUVEMSHOP.SIGNATURE_INVALID',
      `The ${SIGNATURE_HEADER} header is missing or is not the HMAC of the body with the app's secret.`,
      body.event,
    );
  if (!connection.active)
    return refuse(
      connection.networkId,
      'conflict',
      'NUVEMSHOP.CONNECTION_INACTIVE',
      "The network's Nuvemshop connection is inactive.",
      body.event,
    );

  const orderId = String(body.id);
  const base = {
    networkId: connection.networkId,
    direction: 'in' as const,
    system: systemOf.nuvemshop,
    method: `webhook ${body.event}`,
    reference: orderId,
    request: text,
    startedAt,
  };
  if (body.event === 'order/paid' || body.event === 'order/created') {
    // A created order may not be paid yet: the job reads its payment status and waits for order/paid.
    const queued = await transaction(db, async (tx) => {
      const ticketId = await recordTicket(tx, {
        ...base,
        kind: NUVEMSHOP_ORDER_TICKET,
        status: 'pending',
        latencyMs: Date.now() - startedAt.getTime(),
      });
      await enqueue(
        tx,
        NUVEMSHOP_FETCH_QUEUE,
        { ticketId, networkId: connection.networkId, nuvemshopOrderId: orderId },
        { maxAttempts: FETCH_MAX_ATTEMPTS, ownerNodeId: connection.networkId },
      );
      return ok({ ticketId, outcome: 'queued' as const });
    });
    if (queued.ok) deps.wakeWorker?.();
    return queued;
  }
  if (body.event === 'order/cancelled') {
    const cancelled = await cancelFromNuvemshop(db, connection, orderId);
    const ticketId = await recordTicket(db, {
      ...base,
      kind: NUVEMSHOP_HOOK_TICKET,
      status: cancelled.ok ? 'processed' : 'failed',
      orderId: cancelled.ok ? cancelled.orderId : null,
      error: cancelled.ok ? cancelled.note : cancelled.error,
      latencyMs: Date.now() - startedAt.getTime(),
    });
    return ok({ ticketId, outcome: 'cancelled' });
  }
  const ticketId = await recordTicket(db, {
    ...base,
    kind: NUVEMSHOP_HOOK_TICKET,
    status: 'processed',
    error: `event ${body.event} is not one Omnihub acts on`,
    latencyMs: Date.now() - startedAt.getTime(),
  });
  return ok({ ticketId, outcome: 'ignored' });
}

/** The API client a connection's orders are ingested as, bound to the network's root. */
async function clientCaller(db: Db, connection: OpenedConnection): Promise<orders.OrderCaller> {
  const root = await network.getNodeById(db, connection.networkId);
  if (!root) throw new Error(`network ${connection.networkId} has no root node`);
  return {
    kind: 'client',
    id: connection.clientId,
    name: `${platformNames.nuvemshop} (conector)`,
    actor: 'platform',
    nodeId: root.id,
    nodePath: root.path,
    networkId: connection.networkId,
  };
}

/** A cancellation at Nuvemshop cancels the Omnihub order as the platform's own call would: before acceptance only. */
async function cancelFromNuvemshop(
  db: Db,
  connection: OpenedConnection,
  nuvemshopOrderId: string,
): Promise<{ ok: true; orderId: string | null; note: string | null } | { ok: false; error: string }> {
  const id = await orders.orderIdOfExternal(db, connection.networkId, externalIdOf(nuvemshopOrderId));
  if (!id) return { ok: true, orderId: null, note: 'no Omnihub order for it: nothing to cancel' };
  const caller = await clientCaller(db, connection);
  const done = await orders.cancel(db, caller, id, 'Cancelado na Nuvemshop');
  if (done.ok) return { ok: true, orderId: id, note: null };
  return { ok: false, error: `the order cannot be cancelled: ${done.failure.detail}` };
}

type Brought =
  | { kind: 'ingested'; orderId: string }
  | { kind: 'not_paid'; note: string }
  | { kind: 'failed'; error: string }
  | { kind: 'transient'; error: string };

/** Fetches one order from Nuvemshop, translates it and ingests it; ingesting it again finds the same order. */
export async function bringOrder(
  db: Db,
  connection: OpenedConnection,
  nuvemshopOrderId: string,
  opts: { tickets: TicketRecorder; timeoutMs?: number; reprocessOf?: string | null },
): Promise<Brought> {
  const got = await callNuvemshop(accountOf(connection), 'GET', `/orders/${nuvemshopOrderId}`, undefined, {
    tickets: opts.tickets,
    timeoutMs: opts.timeoutMs,
    reference: nuvemshopOrderId,
    reprocessOf: opts.reprocessOf,
  });
  if (isTransient(got)) return { kind: 'transient', error: `Nuvemshop is unavailable: ${got.error}` };
  if (!isSuccess(got)) return { kind: 'failed', error: `Nuvemshop refused the order: ${got.error}` };
  const order = got.json as NuvemshopOrder;
  if (typeof order !== 'object' || order === null || !Array.isArray(order.products))
    return { kind: 'failed', error: 'Nuvemshop answered something that is not an order' };
  if (order.payment_status !== 'paid')
    return { kind: 'not_paid', note: `payment_status is ${order.payment_status}: waiting for order/paid` };

  const codes = codesOf(order);
  const { networkId } = connection;
  const translations = {
    // Without a row, Nuvemshop's SKU is taken as Omnihub's.
    skus: await mapCodes(db, networkId, 'nuvemshop', 'sku', codes.skus, (c) => c),
    stores: await mapCodes(db, networkId, 'nuvemshop', 'store', codes.stores),
    payments: await mapCodes(db, networkId, 'nuvemshop', 'payment', codes.payments),
    defaultStoreCode: String(connection.settings.defaultStoreCode ?? ''),
  };
  const mapped = toIngestInput(order, translations);
  if (!mapped.ok) return { kind: 'failed', error: `Not mapped: ${mapped.reasons.join('; ')}` };
  const ingested = await orders.ingest(db, await clientCaller(db, connection), mapped.input);
  if (!ingested.ok) {
    const f = ingested.failure;
    // A line's error names the Nuvemshop SKU, the code an admin maps.
    const fields = (f.errors ?? [])
      .map((e) => {
        const line = /^\/items\/(\d+)\/sku$/.exec(e.path);
        const sku = line && order.products[Number(line[1])]?.sku;
        return sku ? `SKU ${sku} ${e.message}` : `${e.path} ${e.message}`;
      })
      .join('; ');
    return { kind: 'failed', error: `Omnihub refused the order: ${f.detail}${fields ? ` (${fields})` : ''}` };
  }
  return { kind: 'ingested', orderId: ingested.value.order.id };
}

interface FetchPayload {
  ticketId: string;
  networkId: string;
  nuvemshopOrderId: string;
}

/** The job of `nuvemshop.fetch_order`: Nuvemshop down → thrown, so the worker retries it with backoff. */
export function fetchOrderHandler(deps: InboundDeps): JobHandler {
  return async ({ db, job }) => {
    const p = job.payload as FetchPayload;
    const connection = await loadConnection(db, p.networkId, 'nuvemshop', deps.secretKey);
    if (!connection?.active) {
      await settleTicket(db, p.ticketId, {
        status: 'failed',
        error: 'the Nuvemshop connection is gone or inactive',
      });
      return { outcome: 'failed' };
    }
    const brought = await bringOrder(db, connection, p.nuvemshopOrderId, {
      tickets: ticketRecorder(db),
      timeoutMs: deps.timeoutMs,
    });
    if (brought.kind === 'transient') {
      const last = job.attempts >= job.maxAttempts;
      await settleTicket(db, p.ticketId, {
        status: last ? 'failed' : 'pending',
        attempts: job.attempts,
        error: last ? `given up after ${job.attempts} attempts: ${brought.error}` : brought.error,
      });
      throw new Error(brought.error);
    }
    await settleTicket(db, p.ticketId, {
      attempts: job.attempts,
      ...(brought.kind === 'ingested'
        ? { status: 'processed', orderId: brought.orderId, error: null }
        : brought.kind === 'not_paid'
          ? { status: 'processed', error: brought.note }
          : { status: 'failed', error: brought.error }),
    });
    return brought;
  };
}

export function nuvemshopJobHandlers(deps: InboundDeps): Record<string, JobHandler> {
  return { [NUVEMSHOP_FETCH_QUEUE]: fetchOrderHandler(deps) };
}

/**
 * Reprocessing a held order (Integrações → Tickets): fetched again and ingested with today's mappings, as a
 * new ticket of its own; an order already ingested is found again, never doubled.
 */
export function reprocessNuvemshopOrder(deps: InboundDeps): ReprocessHandler<Db> {
  return async (db, ticket, reason) => {
    const startedAt = new Date();
    if (!ticket.networkId || !ticket.reference)
      return { ok: false, error: 'the ticket names no network or Nuvemshop order' };
    const connection = await loadConnection(db, ticket.networkId, 'nuvemshop', deps.secretKey);
    if (!connection?.active) return { ok: false, error: 'the Nuvemshop connection is gone or inactive' };
    const brought = await bringOrder(db, connection, ticket.reference, {
      tickets: ticketRecorder(db),
      timeoutMs: deps.timeoutMs,
      reprocessOf: ticket.id,
    });
    const done = brought.kind === 'ingested' || brought.kind === 'not_paid';
    const error = brought.kind === 'ingested' ? null : 'note' in brought ? brought.note : brought.error;
    await recordTicket(db, {
      networkId: ticket.networkId,
      direction: 'in',
      system: systemOf.nuvemshop,
      method: `reprocess: ${reason}`.slice(0, 200),
      kind: NUVEMSHOP_ORDER_TICKET,
      status: done ? 'processed' : 'failed',
      orderId: brought.kind === 'ingested' ? brought.orderId : null,
      reference: ticket.reference,
      request: ticket.request,
      error,
      latencyMs: Date.now() - startedAt.getTime(),
      startedAt,
      reprocessOf: ticket.id,
    });
    if (brought.kind === 'ingested') return { ok: true, orderId: brought.orderId };
    if (brought.kind === 'not_paid') return { ok: true, orderId: null };
    return { ok: false, error: brought.error };
  };
}
