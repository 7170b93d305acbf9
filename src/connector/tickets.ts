import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { enqueue, type JobContext, type JobHandler } from '../platform/jobs/service.ts';
import { decodeCursor, encodeCursor, type Page } from '../platform/pagination.ts';
import * as search from '../platform/tickets/search.ts';
import type { ReprocessHandlers, TicketDirection, TicketStatus } from '../platform/tickets/service.ts';
import {
  type ConsumptionRow,
  maskPayload,
  maskUrl,
  REPROCESS_MAX,
  REPROCESS_QUEUE,
  type ReprocessJobPayload,
  type ReprocessJobResult,
} from './ticket-domain.ts';
import * as store from './ticket-store.ts';

/**
 * Integrações → Tickets and Consumo (issue 16 §3–5): searching the network's tickets, reading one with its
 * personal data masked, the consumption report, and queueing settled tickets to run again.
 */

export interface TicketQuery {
  system?: string;
  status?: TicketStatus;
  kind?: string;
  moduleCode?: number;
  direction?: TicketDirection;
  orderId?: string;
  reference?: string;
  from?: string;
  to?: string;
}

export interface TicketView {
  id: string;
  direction: TicketDirection;
  system: string;
  method: string;
  kind: string;
  moduleCode: number | null;
  status: TicketStatus;
  attempts: number;
  orderId: string | null;
  reference: string | null;
  url: string | null;
  httpStatus: number | null;
  latencyMs: number;
  requestBytes: number;
  responseBytes: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  reprocessOf: string | null;
  /** Settled and of a kind some context knows how to run again. */
  reprocessable: boolean;
}

export interface TicketDetail extends TicketView {
  request: string | null;
  response: string | null;
  truncated: boolean;
}

const DAY_MS = 86_400_000;

/** The period of a query: the last 24 hours by default; each bad end, or an end before the start, is named. */
function periodOf(q: { from?: string; to?: string }, now = new Date()): Result<{ from: Date; to: Date }> {
  const from = q.from ? audit.parseInstant(q.from, false) : undefined;
  const to = q.to ? audit.parseInstant(q.to, true) : undefined;
  const errors: FieldError[] = [];
  const bad = (path: string) =>
    errors.push({
      path,
      code: 'REQUEST.INVALID_INSTANT',
      message: 'is not a date (YYYY-MM-DD) or an ISO date-time',
    });
  if (from === null) bad('/from');
  if (to === null) bad('/to');
  const period = {
    to: to ?? (from ? new Date(from.getTime() + DAY_MS) : now),
    from: from ?? new Date((to ?? now).getTime() - DAY_MS),
  };
  if (errors.length === 0 && period.from >= period.to) {
    errors.push({ path: '/to', code: 'CONNECTOR.PERIOD_REVERSED', message: 'must be after from' });
  }
  if (errors.length > 0) {
    return fail('invalid', 'CONNECTOR.INVALID_PERIOD', 'The period is not valid.', { errors });
  }
  return ok(period);
}

function filterOf(viewer: Principal, q: TicketQuery): Result<search.TicketFilter> {
  const period = periodOf(q);
  if (!period.ok) return period;
  return ok({
    networkId: viewer.networkId,
    ...period.value,
    system: q.system?.trim() || undefined,
    status: q.status,
    kind: q.kind?.trim() || undefined,
    moduleCode: q.moduleCode,
    direction: q.direction,
    orderId: q.orderId,
    reference: q.reference?.trim() || undefined,
  });
}

function view(row: search.TicketRow, handlers: ReprocessHandlers<Db>): TicketView {
  return {
    id: row.id,
    direction: row.direction,
    system: row.system,
    method: row.method,
    kind: row.kind,
    moduleCode: row.moduleCode,
    status: row.status,
    attempts: row.attempts,
    orderId: row.orderId,
    reference: row.reference,
    url: maskUrl(row.url),
    httpStatus: row.httpStatus,
    latencyMs: row.latencyMs,
    requestBytes: row.requestBytes,
    responseBytes: row.responseBytes,
    error: row.error,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    reprocessOf: row.reprocessOf,
    reprocessable: row.status !== 'pending' && Object.hasOwn(handlers, row.kind),
  };
}

const invalidCursor = fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
  errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listTickets(
  db: Db,
  viewer: Principal,
  handlers: ReprocessHandlers<Db>,
  q: TicketQuery & { cursor?: string; limit?: number },
): Promise<Result<Page<TicketView>>> {
  const filter = filterOf(viewer, q);
  if (!filter.ok) return filter;
  const cursor = decodeCursor(q.cursor);
  if (!cursor.ok) return cursor;
  let before: { startedAt: Date; id: string } | undefined;
  if (cursor.value) {
    const [at, id] = cursor.value;
    const startedAt = typeof at === 'string' ? new Date(at) : undefined;
    if (!startedAt || Number.isNaN(startedAt.getTime()) || typeof id !== 'string' || !UUID.test(id)) {
      return invalidCursor;
    }
    before = { startedAt, id };
  }
  const limit = q.limit ?? 50;
  const found = await search.searchTickets(db, filter.value, { before, limit: limit + 1 });
  const items = found.slice(0, limit);
  const last = items[items.length - 1];
  return ok({
    items: items.map((row) => view(row, handlers)),
    nextCursor: found.length > limit && last ? encodeCursor([last.startedAt.toISOString(), last.id]) : null,
  });
}

export async function getTicket(
  db: Db,
  viewer: Principal,
  handlers: ReprocessHandlers<Db>,
  id: string,
): Promise<Result<TicketDetail>> {
  const found = await search.findTicket(db, viewer.networkId, id);
  if (!found) return fail('not_found', 'CONNECTOR.TICKET_NOT_FOUND', `There is no ticket ${id}.`);
  return ok({
    ...view(found, handlers),
    request: maskPayload(found.request),
    response: maskPayload(found.response),
    truncated: found.truncated,
  });
}

export async function consumption(
  db: Db,
  viewer: Principal,
  q: { from?: string; to?: string; system?: string; method?: string },
): Promise<Result<ConsumptionRow[]>> {
  const period = periodOf(q);
  if (!period.ok) return period;
  return ok(
    await search.consumption(db, {
      networkId: viewer.networkId,
      ...period.value,
      system: q.system?.trim() || undefined,
      method: q.method?.trim() || undefined,
    }),
  );
}

export interface ReprocessRequest {
  ids?: string[];
  filter?: TicketQuery;
  reason: string;
}

/**
 * Queues the selected settled tickets to run again, as one job (`connector.reprocess`), audited. Refused
 * when nothing or too much matches, when a kind has no handler, or when a ticket is already held by a
 * queued or running reprocess (409 with its job: running a ticket twice at once is never what was meant).
 */
export async function requestReprocess(
  db: Db,
  requester: Principal,
  handlers: ReprocessHandlers<Db>,
  req: ReprocessRequest,
): Promise<Result<{ jobId: string; count: number }>> {
  const reason = req.reason.trim();
  if (reason.length < 3) {
    return fail('invalid', 'CONNECTOR.REASON_REQUIRED', 'Say why the tickets are reprocessed.', {
      errors: [
        { path: '/reason', code: 'CONNECTOR.REASON_REQUIRED', message: 'must say why (3+ characters)' },
      ],
    });
  }
  if ((req.ids === undefined) === (req.filter === undefined)) {
    return fail('invalid', 'CONNECTOR.SELECTION_REQUIRED', 'Give either ids or a filter.', {
      errors: [{ path: '/ids', code: 'CONNECTOR.SELECTION_REQUIRED', message: 'give either ids or filter' }],
    });
  }
  let selection: Parameters<typeof search.reprocessCandidates>[1];
  if (req.ids) {
    selection = { networkId: requester.networkId, ids: [...new Set(req.ids)] };
  } else {
    const filter = filterOf(requester, req.filter!);
    if (!filter.ok) {
      return fail(filter.failure.kind, filter.failure.code, filter.failure.detail, {
        errors: filter.failure.errors?.map((e) => ({ ...e, path: `/filter${e.path}` })),
      });
    }
    selection = { filter: filter.value };
  }
  const root = await network.getNodeById(db, requester.networkId);
  if (!root) return fail('forbidden', 'CONNECTOR.NETWORK_ONLY', 'Tickets belong to a network.');

  return transaction(db, async (tx) => {
    // One request at a time per network, so two requests cannot both find the same ticket free.
    await store.lockReprocessRequests(tx, requester.networkId);
    const found = await search.reprocessCandidates(tx, selection, REPROCESS_MAX + 1);
    if (found.length === 0) {
      return fail('invalid', 'CONNECTOR.NOTHING_TO_REPROCESS', 'No processed or failed ticket matches.');
    }
    if (found.length > REPROCESS_MAX) {
      return fail(
        'invalid',
        'CONNECTOR.TOO_MANY_TICKETS',
        `More than ${REPROCESS_MAX} tickets match: narrow the filter.`,
        { data: { max: REPROCESS_MAX } },
      );
    }
    const withoutHandler = [...new Set(found.map((t) => t.kind))].filter((k) => !Object.hasOwn(handlers, k));
    if (withoutHandler.length > 0) {
      return fail(
        'invalid',
        'CONNECTOR.NOT_REPROCESSABLE',
        `Tickets of ${withoutHandler.join(', ')} cannot be reprocessed.`,
        { data: { kinds: withoutHandler } },
      );
    }
    const ticketIds = found.map((t) => t.id);
    const held = await store.heldTickets(tx, REPROCESS_QUEUE, ticketIds);
    if (held.length > 0) {
      return fail(
        'conflict',
        'CONNECTOR.REPROCESS_IN_PROGRESS',
        `${held.length} of the tickets are already being reprocessed (job ${held[0]!.jobId}).`,
        { data: { jobId: held[0]!.jobId, ticketIds: held.map((h) => h.ticketId) } },
      );
    }
    const payload: ReprocessJobPayload = {
      networkId: requester.networkId,
      ticketIds,
      reason,
      requestedBy: requester.name,
    };
    const job = await enqueue(tx, REPROCESS_QUEUE, payload, {
      createdBy: requester.id,
      ownerNodeId: root.id,
      maxAttempts: 3,
    });
    await audit.record(tx, requester, audit.scopeOf(root), {
      action: 'connector_ticket.reprocess_requested',
      target: { type: 'connector_ticket', id: job.id, label: `${ticketIds.length} ticket(s)` },
      before: null,
      after: { reason, count: ticketIds.length, ticketIds: ticketIds.slice(0, 50).join(', ') },
    });
    return ok({ jobId: job.id, count: ticketIds.length });
  });
}

/**
 * The job of a reprocess request: each ticket through its kind's handler, oldest first, progress after
 * each. A handler's failure (or throw) is that ticket's failure, not the job's: the rest still run.
 */
export function reprocessJob(handlers: ReprocessHandlers<Db>): JobHandler {
  return async ({ job, db, progress }: JobContext): Promise<ReprocessJobResult> => {
    const payload = job.payload as ReprocessJobPayload;
    const found = await search.ticketsById(db, payload.networkId, payload.ticketIds);
    await progress(0, found.length);
    const result: ReprocessJobResult = { done: 0, failed: [] };
    for (const ticket of found) {
      const handler = handlers[ticket.kind];
      let error: string | null = null;
      if (!handler) {
        error = `no handler reprocesses ${ticket.kind}`;
      } else {
        try {
          const outcome = await handler(db, ticket, payload.reason);
          if (!outcome.ok) error = outcome.error;
        } catch (thrown) {
          error = thrown instanceof Error ? thrown.message : String(thrown);
        }
      }
      if (error === null) result.done++;
      else result.failed.push({ ticketId: ticket.id, error });
      await progress(result.done + result.failed.length);
    }
    const missing = payload.ticketIds.filter((id) => !found.some((t) => t.id === id));
    for (const ticketId of missing) result.failed.push({ ticketId, error: 'the ticket no longer exists' });
    return result;
  };
}

/** The connector's job handlers by queue: compose them in the worker with the reprocess handlers. */
export function connectorJobHandlers(handlers: ReprocessHandlers<Db>): Record<string, JobHandler> {
  return { [REPROCESS_QUEUE]: reprocessJob(handlers) };
}
