import { createHash, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import * as catalog from '../../catalog/service.ts';
import * as network from '../../network/service.ts';
import * as orders from '../../orders/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { enqueue, type JobHandler } from '../../platform/jobs/service.ts';
import {
  type ReprocessHandler,
  recordTicket,
  type StoredTicket,
  settleTicket,
  type TicketInput,
} from '../../platform/tickets/service.ts';
import { openConnection } from '../connections.ts';
import { systemOf, VTEX_ORDER_TICKET } from '../domain.ts';
import { mapCodes } from '../mappings.ts';
import { connectorConnections } from '../schema.ts';
import { callVtex, isTransient } from './client.ts';
import { loadVtexConnection, type VtexConnection, vtexConnectionOf } from './connection.ts';
import {
  CANCEL_STATES,
  codesOf,
  READY_STATE,
  toIngestInput,
  type VtexHook,
  type VtexOrder,
} from './mapping.ts';

/** The job that reads a hooked order from VTEX and ingests it (or cancels it). */
export const VTEX_FETCH_QUEUE = 'vtex.fetch_order';
/** VTEX down for a while is waited out: ~10 attempts with backoff span some twenty minutes. */
export const FETCH_MAX_ATTEMPTS = 10;
export const HOOK_METHOD = 'orders.hook';
export const HOOK_TOKEN_HEADER = 'x-omnihub-hook-token';
/** Said when VTEX cancels an order the store already accepted: the store's OMS decides, not the hook. */
export const ACCEPTED_CANCEL_REASON = 'pedido já aceito pela loja; cancelamento pelo OMS';
const CANCELLED_BY_VTEX = 'Cancelado na VTEX';

export interface FetchJob {
  ticketId: string;
  networkId: string;
  orderId: string;
  state: string;
}

export interface VtexDeps {
  secretKey: Buffer;
  /** Each call's limit (VTEX's answer, default 10 s). */
  timeoutMs?: number;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The active VTEX connection whose hook token this is, compared in constant time against each one (digests
 * of equal length, so neither the token's length nor its first differing character shows in the timing).
 */
export async function connectionByHookToken(
  db: Db,
  token: string | undefined,
  secretKey: Buffer,
): Promise<VtexConnection | undefined> {
  if (!token) return undefined;
  const given = digest(token);
  const rows = await db
    .select()
    .from(connectorConnections)
    .where(and(eq(connectorConnections.platform, 'vtex'), eq(connectorConnections.active, true)));
  let found: VtexConnection | undefined;
  for (const row of rows) {
    const c = vtexConnectionOf(openConnection(row, secretKey));
    if (c.hookToken && timingSafeEqual(digest(c.hookToken), given) && !found) found = c;
  }
  return found;
}

const hookTicket = (networkId: string | null, raw: string, startedAt: Date) =>
  ({
    networkId,
    direction: 'in',
    system: systemOf.vtex,
    method: HOOK_METHOD,
    kind: VTEX_ORDER_TICKET,
    latencyMs: Date.now() - startedAt.getTime(),
    request: raw,
    startedAt,
  }) satisfies Partial<TicketInput>;

/** A hook refused before it could be acted on (wrong token, malformed body): a failed ticket says why. */
export async function recordRefusedHook(
  db: Db,
  h: {
    networkId: string | null;
    raw: string;
    error: string;
    httpStatus: number;
    reference?: string;
    startedAt: Date;
  },
): Promise<void> {
  await recordTicket(db, {
    ...hookTicket(h.networkId, h.raw, h.startedAt),
    status: 'failed',
    reference: h.reference ?? null,
    httpStatus: h.httpStatus,
    error: h.error,
  });
}

/**
 * A hook of the connection's account: a pending ticket and its job in one transaction (both or neither);
 * a state Omnihub does not act on is recorded as processed and nothing more.
 */
export async function acceptHook(
  db: Db,
  c: VtexConnection,
  hook: VtexHook,
  raw: string,
  startedAt: Date,
): Promise<{ ticketId: string; queued: boolean }> {
  const acted = hook.State === READY_STATE || CANCEL_STATES.includes(hook.State);
  return db.transaction(async (tx) => {
    const ticketId = await recordTicket(tx, {
      ...hookTicket(c.networkId, raw, startedAt),
      status: acted ? 'pending' : 'processed',
      reference: hook.OrderId,
      httpStatus: 200,
    });
    if (acted) {
      const payload: FetchJob = {
        ticketId,
        networkId: c.networkId,
        orderId: hook.OrderId,
        state: hook.State,
      };
      await enqueue(tx, VTEX_FETCH_QUEUE, payload, { maxAttempts: FETCH_MAX_ATTEMPTS });
    }
    return { ticketId, queued: acted };
  });
}

/** The connection's API client as the orders context sees it: the platform, at the network's root. */
async function callerOf(db: Db, c: VtexConnection): Promise<orders.OrderCaller> {
  const root = await network.getNodeById(db, c.networkId);
  if (!root) throw new Error(`network ${c.networkId} not found`);
  return {
    kind: 'client',
    id: c.clientId,
    name: 'VTEX (conector)',
    actor: 'platform',
    nodeId: root.id,
    nodePath: root.path,
    networkId: c.networkId,
  };
}

export type BroughtIn =
  | { outcome: 'ingested'; orderId: string; created: boolean }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'unreachable'; reason: string };

/** Reads the order from VTEX (a ticket for the call) and parses it; a non-transient refusal is final. */
export async function fetchVtexOrder(
  db: Db,
  c: VtexConnection,
  vtexOrderId: string,
  timeoutMs?: number,
): Promise<
  | { ok: true; order: VtexOrder }
  | { ok: false; outcome: 'refused' | 'unreachable'; reason: string; httpStatus: number | null }
> {
  const answer = await callVtex(db, c, {
    method: 'GET',
    route: 'GET /api/oms/pvt/orders/{orderId}',
    path: `/api/oms/pvt/orders/${encodeURIComponent(vtexOrderId)}`,
    reference: vtexOrderId,
    timeoutMs,
  });
  const failed = (outcome: 'refused' | 'unreachable', reason: string) =>
    ({ ok: false, outcome, reason, httpStatus: answer.status }) as const;
  if (isTransient(answer.status)) return failed('unreachable', answer.error ?? '');
  if (answer.status === 401 || answer.status === 403)
    return failed('refused', `credenciais recusadas pela VTEX (${answer.status})`);
  if (answer.status === 404) return failed('refused', `pedido ${vtexOrderId} não encontrado na VTEX`);
  if (answer.status !== 200) return failed('refused', answer.error ?? '');
  try {
    const order = JSON.parse(answer.body) as VtexOrder;
    if (
      !order ||
      !Array.isArray(order.items) ||
      !order.paymentData ||
      !order.shippingData ||
      !order.clientProfileData
    )
      throw new Error('faltam items, clientProfileData, shippingData ou paymentData');
    return { ok: true, order };
  } catch (error) {
    return failed('refused', `pedido da VTEX ilegível: ${(error as Error).message}`);
  }
}

/** One line per field error of a refused ingest, for the ticket. */
function refusal(failure: {
  code: string;
  detail: string;
  errors?: readonly { path: string; message: string }[];
}) {
  const fields = (failure.errors ?? []).map((e) => `${e.path} ${e.message}`).join('; ');
  return `${failure.code}: ${failure.detail}${fields ? ` (${fields})` : ''}`;
}

/** The order read from VTEX, mapped through the network's codes and ingested as the connection's client. */
export async function bringIn(
  db: Db,
  c: VtexConnection,
  vtexOrderId: string,
  timeoutMs?: number,
): Promise<BroughtIn> {
  const fetched = await fetchVtexOrder(db, c, vtexOrderId, timeoutMs);
  if (!fetched.ok) return { outcome: fetched.outcome, reason: fetched.reason };
  const order = fetched.order;
  const codes = codesOf(order);
  const [store, sku, payment] = await Promise.all([
    mapCodes(db, c.networkId, 'vtex', 'store', codes.store),
    mapCodes(db, c.networkId, 'vtex', 'sku', codes.sku, (ref) => ref),
    mapCodes(db, c.networkId, 'vtex', 'payment', codes.payment),
  ]);
  const mapped = toIngestInput(order, { store, sku, payment, defaultStoreCode: c.defaultStoreCode });
  if (!mapped.ok) return { outcome: 'refused', reason: mapped.reason };
  // A reference neither mapped nor a product is the usual fault: named as such, for the admin to map it.
  const skus = [...new Set(mapped.input.items.map((i) => i.sku))];
  const known = new Set((await catalog.productsBySku(db, c.networkId, skus)).map((p) => p.sku));
  const unknown = order.items.find((i) => !known.has(sku.get(i.refId ?? i.id) ?? ''));
  if (unknown) {
    const ref = unknown.refId ?? unknown.id;
    const target = sku.get(ref);
    return {
      outcome: 'refused',
      reason:
        target === ref
          ? `SKU ${ref} sem mapeamento e sem produto`
          : `SKU ${ref} mapeado para ${target}, que não é produto`,
    };
  }
  const ingested = await orders.ingest(db, await callerOf(db, c), mapped.input);
  if (!ingested.ok) return { outcome: 'refused', reason: refusal(ingested.failure) };
  return { outcome: 'ingested', orderId: ingested.value.order.id, created: ingested.value.created };
}

/**
 * VTEX cancelled the order: Omnihub cancels it too while the store has not accepted it (the platform's own
 * cancellation rule); after that the store's OMS decides, and the ticket says so.
 */
export async function cancelFromVtex(
  db: Db,
  c: VtexConnection,
  vtexOrderId: string,
): Promise<{ ok: true; orderId: string | null } | { ok: false; orderId: string | null; reason: string }> {
  const known = await orders.findByExternalId(db, c.networkId, vtexOrderId);
  if (!known) return { ok: true, orderId: null };
  const caller = await callerOf(db, c);
  const current = await orders.getOrder(db, caller, known.id);
  if (!current.ok) return { ok: false, orderId: known.id, reason: refusal(current.failure) };
  if (current.value.status === 'cancelled') return { ok: true, orderId: known.id };
  if (!current.value.allowedTransitions.includes('cancelled'))
    return { ok: false, orderId: known.id, reason: ACCEPTED_CANCEL_REASON };
  const cancelled = await orders.cancel(db, caller, known.id, CANCELLED_BY_VTEX);
  return cancelled.ok
    ? { ok: true, orderId: known.id }
    : { ok: false, orderId: known.id, reason: refusal(cancelled.failure) };
}

/** Whether a cancellation in the order's history was VTEX's own (the sender does not echo it back). */
export const cancelledByVtex = (reason: string | null) => reason === CANCELLED_BY_VTEX;

/**
 * The job of a hook: ingests (or cancels) and settles the hook's ticket. VTEX unreachable → thrown, so the
 * job is retried with backoff, the ticket staying pending with its attempts counted until the last one fails
 * it; a refusal (mapping, validation) fails the ticket at once, to be reprocessed once fixed.
 */
export function vtexJobHandlers(deps: VtexDeps): Record<string, JobHandler> {
  return {
    [VTEX_FETCH_QUEUE]: async ({ job, db }) => {
      const p = job.payload as FetchJob;
      const c = await loadVtexConnection(db, p.networkId, deps.secretKey);
      if (!c?.active) {
        await settleTicket(db, p.ticketId, { status: 'failed', error: 'conexão VTEX inativa ou removida' });
        return { outcome: 'inactive' };
      }
      if (CANCEL_STATES.includes(p.state)) {
        const done = await cancelFromVtex(db, c, p.orderId);
        await settleTicket(db, p.ticketId, {
          status: done.ok ? 'processed' : 'failed',
          orderId: done.orderId,
          error: done.ok ? null : done.reason,
        });
        return { outcome: done.ok ? 'cancelled' : 'refused' };
      }
      const brought = await bringIn(db, c, p.orderId, deps.timeoutMs);
      if (brought.outcome === 'unreachable') {
        const last = job.attempts >= job.maxAttempts;
        await settleTicket(db, p.ticketId, {
          status: last ? 'failed' : 'pending',
          attempts: job.attempts,
          error: brought.reason,
        });
        throw new Error(brought.reason);
      }
      await settleTicket(db, p.ticketId, {
        attempts: job.attempts,
        ...(brought.outcome === 'ingested'
          ? { status: 'processed', orderId: brought.orderId, error: null }
          : { status: 'failed', error: brought.reason }),
      });
      return brought;
    },
  };
}

/**
 * Reprocessing a VTEX order's ticket (after its mapping was fixed): read, map and ingest again, recorded as
 * a new ticket pointing at the original. Ingest is idempotent on the VTEX orderId: one order however often.
 */
export function vtexReprocessHandler(deps: VtexDeps): ReprocessHandler<Db> {
  return async (db: Db, ticket: StoredTicket, reason: string) => {
    const startedAt = new Date();
    const c = ticket.networkId ? await loadVtexConnection(db, ticket.networkId, deps.secretKey) : undefined;
    if (!c || !ticket.reference) return { ok: false, error: 'ticket sem conexão VTEX ou sem pedido' };
    const brought = await bringIn(db, c, ticket.reference, deps.timeoutMs);
    const ok = brought.outcome === 'ingested';
    const error = ok ? null : brought.reason;
    await recordTicket(db, {
      ...hookTicket(c.networkId, ticket.request ?? '', startedAt),
      method: `${HOOK_METHOD} (reprocessamento: ${reason})`.slice(0, 200),
      status: ok ? 'processed' : 'failed',
      reference: ticket.reference,
      orderId: ok ? brought.orderId : null,
      error,
      reprocessOf: ticket.id,
    });
    return ok ? { ok: true, orderId: brought.orderId } : { ok: false, error: error ?? '' };
  };
}
