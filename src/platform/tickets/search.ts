import { and, desc, eq, gte, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { rows, toInt } from '../db/sql.ts';
import type { ConsumptionFigures, StoredTicket, TicketDirection, TicketStatus } from './domain.ts';
import { ticketContents, tickets } from './schema.ts';

/**
 * The reading side of the ticket kernel (the connector's screens): search, one ticket with its content,
 * the consumption figures, and the selection a reprocess works on. Only this module queries the tables.
 */

export interface TicketFilter {
  networkId: string;
  from: Date;
  to: Date;
  system?: string;
  status?: TicketStatus;
  kind?: string;
  moduleCode?: number;
  direction?: TicketDirection;
  orderId?: string;
  reference?: string;
}

export type TicketRow = typeof tickets.$inferSelect;

function conditions(f: TicketFilter): SQL[] {
  const where: (SQL | undefined)[] = [
    eq(tickets.networkId, f.networkId),
    gte(tickets.startedAt, f.from),
    lt(tickets.startedAt, f.to),
    f.system === undefined ? undefined : eq(tickets.system, f.system),
    f.status === undefined ? undefined : eq(tickets.status, f.status),
    f.kind === undefined ? undefined : eq(tickets.kind, f.kind),
    f.moduleCode === undefined ? undefined : eq(tickets.moduleCode, f.moduleCode),
    f.direction === undefined ? undefined : eq(tickets.direction, f.direction),
    f.orderId === undefined ? undefined : eq(tickets.orderId, f.orderId),
    f.reference === undefined ? undefined : eq(tickets.reference, f.reference),
  ];
  return where.filter((c): c is SQL => c !== undefined);
}

/** Newest first; `before` is the last row of the previous page (started_at, id). */
export async function searchTickets(
  db: Db,
  f: TicketFilter,
  page: { before?: { startedAt: Date; id: string }; limit: number },
): Promise<TicketRow[]> {
  const where = conditions(f);
  if (page.before) {
    const { startedAt, id } = page.before;
    where.push(
      or(lt(tickets.startedAt, startedAt), and(eq(tickets.startedAt, startedAt), lt(tickets.id, id)))!,
    );
  }
  return db
    .select()
    .from(tickets)
    .where(and(...where))
    .orderBy(desc(tickets.startedAt), desc(tickets.id))
    .limit(page.limit);
}

export async function findTicket(
  db: Db,
  networkId: string,
  id: string,
): Promise<
  (TicketRow & { request: string | null; response: string | null; truncated: boolean }) | undefined
> {
  const [row] = await db
    .select({ ticket: tickets, content: ticketContents })
    .from(tickets)
    .leftJoin(ticketContents, eq(ticketContents.ticketId, tickets.id))
    .where(and(eq(tickets.networkId, networkId), eq(tickets.id, id)));
  if (!row) return undefined;
  return {
    ...row.ticket,
    request: row.content?.request ?? null,
    response: row.content?.response ?? null,
    truncated: row.content?.truncated ?? false,
  };
}

/**
 * Per satellite system × method × São Paulo day: calls, outcomes, the 95th percentile of latency and the
 * bytes each way (in: what Omnihub received — an inbound request, an outbound call's answer).
 */
export async function consumption(
  db: Db,
  f: Pick<TicketFilter, 'networkId' | 'from' | 'to' | 'system'> & { method?: string },
): Promise<ConsumptionFigures[]> {
  const day = sql`to_char(${tickets.startedAt} at time zone 'America/Sao_Paulo', 'YYYY-MM-DD')`;
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select ${day} as day, ${tickets.system} as system, ${tickets.method} as method,
          count(*) as calls,
          count(*) filter (where ${tickets.status} = 'processed') as succeeded,
          count(*) filter (where ${tickets.status} = 'failed') as failed,
          -- Through numeric, so 95.4999… (the double of 95.5) rounds as the 95.5 it is.
          round((percentile_cont(0.95) within group (order by ${tickets.latencyMs}))::numeric) as p95,
          sum(case when ${tickets.direction} = 'in' then ${tickets.requestBytes} else ${tickets.responseBytes} end) as bytes_in,
          sum(case when ${tickets.direction} = 'in' then ${tickets.responseBytes} else ${tickets.requestBytes} end) as bytes_out
        from ${tickets}
        where ${and(...conditions(f), f.method === undefined ? undefined : eq(tickets.method, f.method))}
        group by 1, 2, 3
        order by 1, 2, 3`,
  );
  return found.map((r) => ({
    day: String(r.day),
    system: String(r.system),
    method: String(r.method),
    calls: toInt(r.calls),
    succeeded: toInt(r.succeeded),
    failed: toInt(r.failed),
    p95LatencyMs: r.p95 === null ? null : Number(r.p95),
    bytesIn: toInt(r.bytes_in),
    bytesOut: toInt(r.bytes_out),
  }));
}

export type ReprocessCandidate = StoredTicket;

const candidateColumns = {
  id: tickets.id,
  networkId: tickets.networkId,
  direction: tickets.direction,
  system: tickets.system,
  method: tickets.method,
  kind: tickets.kind,
  moduleCode: tickets.moduleCode,
  status: tickets.status,
  orderId: tickets.orderId,
  reference: tickets.reference,
  clientId: tickets.clientId,
  request: ticketContents.request,
};

/**
 * The settled tickets (processed or failed, never pending) a reprocess would run: by ids or by filter, at
 * most `limit`, oldest first so they are re-run in the order they happened.
 */
export async function reprocessCandidates(
  db: Db,
  selection: { networkId: string; ids: readonly string[] } | { filter: TicketFilter },
  limit: number,
): Promise<ReprocessCandidate[]> {
  const where =
    'ids' in selection
      ? [eq(tickets.networkId, selection.networkId), inArray(tickets.id, [...selection.ids])]
      : conditions(selection.filter);
  return db
    .select(candidateColumns)
    .from(tickets)
    .leftJoin(ticketContents, eq(ticketContents.ticketId, tickets.id))
    .where(and(...where, ne(tickets.status, 'pending')))
    .orderBy(tickets.startedAt, tickets.id)
    .limit(limit);
}

export async function ticketsById(db: Db, networkId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select(candidateColumns)
    .from(tickets)
    .leftJoin(ticketContents, eq(ticketContents.ticketId, tickets.id))
    .where(and(eq(tickets.networkId, networkId), inArray(tickets.id, [...ids])))
    .orderBy(tickets.startedAt, tickets.id);
}
