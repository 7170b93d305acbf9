import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/index.ts';
import { byteLength, capped, type TicketInput, type TicketStatus } from './domain.ts';
import { ticketContents, tickets } from './schema.ts';

export * from './domain.ts';
export { ticketContents, tickets } from './schema.ts';

/**
 * Writes a ticket and its content. Inside the caller's transaction when the exchange changes something
 * there (an inbound order), so the ticket exists if and only if that change committed; on its own otherwise.
 */
export async function recordTicket(db: Db, t: TicketInput): Promise<string> {
  const request = capped(t.request);
  const response = capped(t.response);
  // The ticket and its content in one statement: on their own, one commit instead of two.
  const id = randomUUID();
  const ticket = db.insert(tickets).values({
    id,
    networkId: t.networkId,
    direction: t.direction,
    system: t.system,
    method: t.method,
    kind: t.kind,
    moduleCode: t.moduleCode ?? null,
    status: t.status,
    attempts: t.attempts ?? 1,
    orderId: t.orderId ?? null,
    clientId: t.clientId ?? null,
    reference: t.reference ?? null,
    url: t.url ?? null,
    httpStatus: t.httpStatus ?? null,
    latencyMs: Math.max(0, Math.round(t.latencyMs)),
    requestBytes: byteLength(t.request),
    responseBytes: byteLength(t.response),
    error: t.error ? t.error.slice(0, 2000) : null,
    reprocessOf: t.reprocessOf ?? null,
    reprocessReason: t.reprocessReason ? t.reprocessReason.slice(0, 2000) : null,
    startedAt: t.startedAt,
    finishedAt: t.status === 'pending' ? null : new Date(),
  });
  if (request.text === null && response.text === null) {
    await ticket;
    return id;
  }
  const content = db.insert(ticketContents).values({
    ticketId: id,
    request: request.text,
    response: response.text,
    truncated: request.truncated || response.truncated,
  });
  await db.execute(sql`with ticket as (${ticket.getSQL()}) ${content.getSQL()}`);
  return id;
}

/** Settles a pending ticket (or corrects one): its outcome, the order it led to, what came back. */
export async function settleTicket(
  db: Db,
  id: string,
  patch: {
    status: TicketStatus;
    orderId?: string | null;
    error?: string | null;
    httpStatus?: number | null;
    latencyMs?: number;
    attempts?: number;
  },
): Promise<void> {
  await db
    .update(tickets)
    .set({
      status: patch.status,
      ...(patch.orderId === undefined ? {} : { orderId: patch.orderId }),
      ...(patch.error === undefined ? {} : { error: patch.error ? patch.error.slice(0, 2000) : null }),
      ...(patch.httpStatus === undefined ? {} : { httpStatus: patch.httpStatus }),
      ...(patch.latencyMs === undefined ? {} : { latencyMs: Math.max(0, Math.round(patch.latencyMs)) }),
      ...(patch.attempts === undefined ? {} : { attempts: patch.attempts }),
      finishedAt: patch.status === 'pending' ? null : new Date(),
    })
    .where(eq(tickets.id, id));
}

/**
 * Records tickets for clients that call out without a transaction of their own (carriers, SEFAZ, platform
 * adapters): a failed write is logged, never thrown, so the record of an exchange cannot break the exchange.
 */
export interface TicketRecorder {
  record(t: TicketInput): Promise<string | null>;
}

export function ticketRecorder(db: Db, logger?: Pick<FastifyBaseLogger, 'error'>): TicketRecorder {
  return {
    async record(t) {
      try {
        return await recordTicket(db, { ...t, orderId: t.orderId ?? currentOrder.getStore() ?? null });
      } catch (error) {
        logger?.error({ err: error, system: t.system, method: t.method }, 'ticket not recorded');
        return null;
      }
    },
  };
}

const currentOrder = new AsyncLocalStorage<string>();

/**
 * Runs `work` on behalf of an order: the tickets a recorder writes meanwhile name it, though the client
 * making the calls (a carrier adapter asked for a label by its shipment id) does not know the order.
 */
export function aboutOrder<T>(orderId: string, work: () => Promise<T>): Promise<T> {
  return currentOrder.run(orderId, work);
}

/** For unit tests and tools that record nothing. */
export const noTickets: TicketRecorder = { record: async () => null };
