/**
 * Re-running the connector tickets the orders context can repeat (Integrações → Tickets → Reprocessar,
 * issue 16 §5): an inbound order is ingested again as the client that sent it, an outbound webhook is queued
 * again. Both are idempotent: ingest is keyed on the externalId (twice is one order), and a copy of a
 * delivery still waiting to go is not queued a second time.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as access from '../access/service.ts';
import * as integration from '../integration/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { ok } from '../platform/errors.ts';
import { type ReprocessHandler, recordTicket, type StoredTicket } from '../platform/tickets/service.ts';
import { ingest } from './ingest.ts';
import type { IngestInput } from './ingest-rules.ts';
import { callerOf } from './lifecycle.ts';
import { IngestBody } from './payloads.ts';
import * as store from './store.ts';

export const reprocessIngest: ReprocessHandler<Db> = async (db, ticket, reason) => {
  const startedAt = new Date();
  const client = ticket.clientId ? await access.clientPrincipal(db, ticket.clientId) : null;
  if (!client || client.networkId !== ticket.networkId)
    return { ok: false, error: 'The API client that sent this order is no longer active.' };
  const body = parsedBody(ticket.request);
  if (!body) return { ok: false, error: 'The ticket does not keep a whole order body to ingest again.' };
  const done = await ingest(db, callerOf(client), body);
  const orderId = done.ok ? done.value.order.id : null;
  await recordTicket(db, {
    ...again(ticket, startedAt, reason),
    clientId: client.id,
    status: done.ok ? 'processed' : 'failed',
    orderId,
    httpStatus: done.ok ? (done.value.created ? 201 : 200) : null,
    request: ticket.request,
    response: done.ok ? JSON.stringify(done.value.order) : JSON.stringify(done.failure),
    error: done.ok ? null : `${done.failure.code}: ${done.failure.detail}`,
  });
  return done.ok
    ? { ok: true, orderId }
    : { ok: false, error: `${done.failure.code}: ${done.failure.detail}` };
};

/** The route's own check of a pushed order (platform/http/validation.ts's settings for bodies). */
const isIngestBody = addFormats
  .default(new Ajv.default({ allErrors: false, strict: false, coerceTypes: false, useDefaults: true }))
  .compile(IngestBody);

/** The original body, if it is an order as the API takes it (a ticket cut at the cap, or a 400's, is not). */
function parsedBody(text: string | null): IngestInput | null {
  if (!text) return null;
  try {
    const body: unknown = JSON.parse(text);
    return isIngestBody(body) ? (body as IngestInput) : null;
  } catch {
    return null;
  }
}

export const reprocessDelivery: ReprocessHandler<Db> = async (db, ticket, reason) => {
  const startedAt = new Date();
  const deliveryId = ticket.reference;
  const orderId = deliveryId ? await integration.deliveryOrder(db, deliveryId) : null;
  if (!deliveryId || !orderId) return { ok: false, error: 'The delivery of this ticket no longer exists.' };
  const copied = await transaction(db, async (tx) => {
    // The order's row lock keeps its outbox sequence gap-free and in commit order, as every enqueue does.
    await store.findOrder(tx, orderId, true);
    const copy = await integration.copyDelivery(tx, deliveryId);
    if (!copy.ok) return copy;
    await recordTicket(tx, {
      ...again(ticket, startedAt, reason),
      status: 'processed',
      attempts: 0,
      orderId,
      reference: copy.value.id,
      request: ticket.request,
    });
    return ok(copy.value);
  });
  return copied.ok ? { ok: true, orderId } : { ok: false, error: copied.failure.detail };
};

/** The new ticket of a re-run: the original's exchange, marked as its reprocess, with the reason given. */
function again(ticket: StoredTicket, startedAt: Date, reason: string) {
  return {
    networkId: ticket.networkId,
    direction: ticket.direction,
    system: ticket.system,
    method: ticket.method,
    kind: ticket.kind,
    moduleCode: ticket.moduleCode,
    reference: ticket.reference,
    latencyMs: Date.now() - startedAt.getTime(),
    startedAt,
    reprocessOf: ticket.id,
    reprocessReason: reason,
  };
}
