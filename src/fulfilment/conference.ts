import { randomUUID } from 'node:crypto';
import * as catalog from '../catalog/service.ts';
import * as orders from '../orders/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import {
  type ConferenceLine,
  type ConferenceStatus,
  isComplete,
  type MissingLine,
  missingOf,
  type ScanCode,
  scan as scanLine,
  totalsOf,
} from './conference-rules.ts';
import * as store from './store.ts';

/**
 * The scan conference (seeds 003, Conferência; PEDFP144 / PEDFM236 / PDVFM077 "Conferência"): the store
 * scans every unit of an order while picking. One count per order, started by the first scanned item and
 * finished only when every unit is counted. Finishing a pickup order's count offers it to the POS
 * (`ready_for_pickup`, through the orders' transition function in the same transaction); finishing a ship
 * order's unlocks its invoicing. TP_CONF_ACEITE_PED decides whether the count is required ('0'), done at
 * acceptance instead ('1') or optional ('2'). Every use case locks the order row first, so two scanners
 * of one order count one after the other and never past the ordered quantity.
 */

export interface Who {
  id: string;
  name: string;
  role: string;
}

export interface ConferenceView {
  orderId: string;
  orderNumber: number;
  orderStatus: orders.OrderStatus;
  deliveryType: orders.DeliveryType;
  /** TP_CONF_ACEITE_PED at the order's store. */
  mode: orders.ConferenceMode;
  /** Whether the order may not move on before the count is finished (mode `scan_required`). */
  required: boolean;
  status: ConferenceStatus;
  /** How it was finished: by scanning, or confirmed at acceptance (TP_CONF_ACEITE_PED = 1). */
  method: 'scan' | 'acceptance' | null;
  lines: ConferenceLine[];
  totals: { expected: number; counted: number };
  startedAt: string | null;
  startedBy: Who | null;
  finishedAt: string | null;
  finishedBy: Who | null;
}

export interface ScanInput {
  ean?: string;
  sku?: string;
  quantity?: number;
}

/** The statuses in which the count happens: the store is picking the order. */
const countingStatus: orders.OrderStatus = 'picking';

async function modeAt(db: Db, storeId: string): Promise<orders.ConferenceMode> {
  return orders.conferenceMode((await parameters.resolve(db, storeId, 'TP_CONF_ACEITE_PED')).value);
}

/** The order's lines with their EANs (the catalogue's) and what the count in force has of each. */
async function linesOf(
  db: Db,
  details: orders.OrderDetails,
  conference: store.ConferenceRow | undefined,
): Promise<ConferenceLine[]> {
  const products = await catalog.productsById(
    db,
    details.items.map((i) => i.productId),
  );
  const eanOf = new Map(products.map((p) => [p.id, p.ean]));
  const counts = conference ? await store.countsOf(db, conference.id) : new Map<number, number>();
  return details.items.map((i) => ({
    line: i.line,
    sku: i.sku,
    ean: eanOf.get(i.productId) ?? '',
    description: i.description,
    expected: i.quantity,
    counted: counts.get(i.line) ?? 0,
  }));
}

const who = (id: string | null, name: string | null, role: string | null): Who | null =>
  id && name && role ? { id, name, role } : null;

function viewOf(
  details: orders.OrderDetails,
  mode: orders.ConferenceMode,
  conference: store.ConferenceRow | undefined,
  lines: ConferenceLine[],
): ConferenceView {
  const { order } = details;
  // Items confirmed at acceptance leave no count behind: the order's own fact says it.
  const atAcceptance = !conference && order.conferredAt !== null;
  const status: ConferenceStatus = conference
    ? conference.status === 'finished'
      ? 'finished'
      : 'counting'
    : atAcceptance
      ? 'finished'
      : 'not_started';
  return {
    orderId: order.id,
    orderNumber: order.number ?? 0,
    orderStatus: order.status,
    deliveryType: order.deliveryType,
    mode,
    required: mode === 'scan_required',
    status,
    method: status === 'finished' ? (atAcceptance ? 'acceptance' : 'scan') : null,
    lines,
    totals: totalsOf(lines),
    startedAt: conference?.startedAt.toISOString() ?? null,
    startedBy: conference
      ? who(conference.startedById, conference.startedByName, conference.startedByRole)
      : null,
    finishedAt:
      conference?.finishedAt?.toISOString() ?? (atAcceptance ? order.conferredAt!.toISOString() : null),
    finishedBy: conference
      ? who(conference.finishedById, conference.finishedByName, conference.finishedByRole)
      : null,
  };
}

/** GET /orders/{id}/conference: expected vs counted per line, and where the count stands. */
export async function conferenceOf(
  db: Db,
  caller: orders.OrderCaller,
  orderId: string,
): Promise<Result<ConferenceView>> {
  const details = await orders.orderFor(db, caller, orderId);
  if (!details.ok) return details;
  const conference = await store.currentConference(db, orderId);
  const lines = await linesOf(db, details.value, conference);
  return ok(viewOf(details.value, await modeAt(db, details.value.order.storeId), conference, lines));
}

const atAcceptanceRefusal = () =>
  fail(
    'conflict',
    'CONFERENCE.AT_ACCEPTANCE',
    'This store confirms the items at acceptance (TP_CONF_ACEITE_PED = 1): there is no scan conference. ' +
      'A pickup order in picking goes to ready_for_pickup by POST /api/v1/orders/{id}/transitions.',
    { data: { parameter: 'TP_CONF_ACEITE_PED', mode: 'at_acceptance' } },
  );

const finishedRefusal = (order: orders.OrderRow, conference: store.ConferenceRow | undefined) =>
  fail(
    'conflict',
    'CONFERENCE.ALREADY_FINISHED',
    `The order's conference is finished (${(conference?.finishedAt ?? order.conferredAt)!.toISOString()}); ` +
      (order.status === countingStatus
        ? 'a manager may restart it (DELETE /api/v1/orders/{id}/conference with a reason) to count again.'
        : `the order is ${order.status} now.`),
    { data: { orderStatus: order.status } },
  );

const notCountingRefusal = (order: orders.OrderRow) =>
  fail(
    'conflict',
    'CONFERENCE.NOT_IN_PICKING',
    `The order is ${order.status}: the conference counts an order in picking. ` +
      (order.status === 'accepted' || order.status === 'open'
        ? 'Start picking first (POST /api/v1/orders/{id}/transitions {"to": "picking"}).'
        : 'There is nothing to count any more.'),
    { data: { orderStatus: order.status, countingStatus } },
  );

/**
 * The checks every counting step shares, with the order row locked: the order visible to the caller,
 * a store that counts by scanning, a count not finished, an order in picking.
 */
async function counting(
  tx: Db,
  caller: orders.OrderCaller,
  orderId: string,
): Promise<
  Result<{ details: orders.OrderDetails; mode: orders.ConferenceMode; conference?: store.ConferenceRow }>
> {
  const details = await orders.lockOrder(tx, caller, orderId);
  if (!details.ok) return details;
  const { order } = details.value;
  const mode = await modeAt(tx, order.storeId);
  if (mode === 'at_acceptance') return atAcceptanceRefusal();
  const conference = await store.currentConference(tx, orderId);
  if (conference?.status === 'finished' || (!conference && order.conferredAt))
    return finishedRefusal(order, conference);
  if (order.status !== countingStatus) return notCountingRefusal(order);
  return ok({ details: details.value, mode, conference });
}

/** Exactly one of ean/sku names what was scanned. */
function codeOf(input: ScanInput): Result<ScanCode> {
  const ean = input.ean?.trim();
  const sku = input.sku?.trim();
  if (ean && sku)
    return fail('invalid', 'CONFERENCE.ONE_CODE', 'Send either ean or sku, not both.', {
      errors: [{ path: '/sku', code: 'CONFERENCE.ONE_CODE', message: 'send ean or sku, not both' }],
    });
  if (ean) return ok({ ean });
  if (sku) return ok({ sku });
  return fail('invalid', 'CONFERENCE.CODE_REQUIRED', 'Send the scanned ean or the sku.', {
    errors: [{ path: '/ean', code: 'CONFERENCE.CODE_REQUIRED', message: 'ean or sku is required' }],
  });
}

export interface Scanned extends ConferenceView {
  scanned: { line: number; sku: string; quantity: number };
}

/**
 * POST /orders/{id}/conference/scans: counts `quantity` (default 1) units of the line the EAN or SKU names.
 * The first scan starts the count. An EAN or SKU not in the order, or more units than the line still
 * lacks, is refused (422) and counts nothing.
 */
export function recordScan(
  db: Db,
  caller: orders.OrderCaller,
  orderId: string,
  input: ScanInput,
): Promise<Result<Scanned>> {
  return transaction(db, async (tx) => {
    const code = codeOf(input);
    if (!code.ok) return code;
    const state = await counting(tx, caller, orderId);
    if (!state.ok) return state;
    const { details, mode } = state.value;
    let conference = state.value.conference;
    const lines = await linesOf(tx, details, conference);
    const quantity = input.quantity ?? 1;
    const field = code.value.ean !== undefined ? '/ean' : '/sku';
    const scanned = code.value.ean ?? code.value.sku;
    const outcome = scanLine(lines, code.value, quantity);
    if (!outcome.ok && outcome.reason === 'not_in_order')
      return fail(
        'invalid',
        'CONFERENCE.NOT_IN_ORDER',
        `${field === '/ean' ? 'EAN' : 'SKU'} ${scanned} is not an item of order ${details.order.number}; nothing was counted.`,
        {
          errors: [
            {
              path: field,
              code: 'CONFERENCE.NOT_IN_ORDER',
              params: { [field.slice(1)]: scanned },
              message: 'is not an item of this order',
            },
          ],
        },
      );
    if (!outcome.ok) {
      const { line, remaining } = outcome;
      return fail(
        'invalid',
        'CONFERENCE.OVER_QUANTITY',
        `${line.sku}: ${line.expected} ordered, ${line.counted} counted already; ${quantity} more would pass ` +
          `the ordered quantity (${remaining} left). Nothing was counted.`,
        {
          errors: [
            {
              path: input.quantity !== undefined ? '/quantity' : field,
              code: 'CONFERENCE.OVER_QUANTITY',
              params: { sku: line.sku, expected: line.expected, counted: line.counted, remaining, quantity },
              message: `exceeds what is left to count (${remaining})`,
            },
          ],
        },
      );
    }
    if (!conference) {
      conference = await store.openConference(tx, {
        id: randomUUID(),
        orderId,
        startedAt: new Date(),
        startedById: caller.id,
        startedByName: caller.name,
        startedByRole: caller.actor,
      });
    }
    await store.setCount(tx, conference.id, outcome.line.line, outcome.counted);
    const after = lines.map((l) => (l.line === outcome.line.line ? { ...l, counted: outcome.counted } : l));
    return ok({
      ...viewOf(details, mode, conference, after),
      scanned: { line: outcome.line.line, sku: outcome.line.sku, quantity },
    });
  });
}

/** What the history says when a count is finished (pt-BR: the back office shows reasons as written). */
const finishedNote = (units: number) => `Conferência finalizada: ${units} unidade(s) conferida(s)`;

/**
 * POST /orders/{id}/conference/finish: refused (409 CONFERENCE.INCOMPLETE, per line what is missing) until
 * every unit is counted. A pickup order then moves to ready_for_pickup; a ship order may be invoiced.
 */
export function finish(db: Db, caller: orders.OrderCaller, orderId: string): Promise<Result<ConferenceView>> {
  return transaction(db, async (tx) => {
    const state = await counting(tx, caller, orderId);
    if (!state.ok) return state;
    const { details, mode, conference } = state.value;
    const lines = await linesOf(tx, details, conference);
    if (!conference || !isComplete(lines)) {
      const missing: MissingLine[] = missingOf(lines);
      return fail(
        'conflict',
        'CONFERENCE.INCOMPLETE',
        `Every unit must be counted before finishing: ${missing
          .map((m) => `${m.sku} ${m.counted} of ${m.expected} (${m.missing} missing)`)
          .join('; ')}.`,
        { data: { missing } },
      );
    }
    const at = new Date();
    await store.finishConference(tx, conference.id, {
      at,
      id: caller.id,
      name: caller.name,
      role: caller.actor,
    });
    await orders.setConferred(tx, orderId, at);
    const note = finishedNote(totalsOf(lines).counted);
    let order = details.order;
    if (order.deliveryType === 'pickup') {
      // Seeds 003: "Após encerrar a conferência e o pedido for PICKUP STORE, deve ser atualizado seu status
      // para 'Disponível para retirada'".
      const moved = await orders.changeStatus(tx, caller, orderId, 'ready_for_pickup', { reason: note });
      if (!moved.ok) return moved;
      order = moved.value;
    } else {
      await orders.recordFact(tx, caller, order, { note });
    }
    const finished = (await store.currentConference(tx, orderId))!;
    return ok(viewOf({ ...details, order: { ...order, conferredAt: at } }, mode, finished, lines));
  });
}

/**
 * DELETE /orders/{id}/conference: a manager throws the count away (with a reason, in the order's history)
 * and the next scan starts a new one. Possible while the order is in picking, also after a ship order's
 * count was finished (its invoicing is locked again); once a finished count moved the order on, refused.
 */
export function restart(
  db: Db,
  caller: orders.OrderCaller,
  orderId: string,
  reason: string | undefined,
): Promise<Result<ConferenceView>> {
  return transaction(db, async (tx) => {
    const details = await orders.lockOrder(tx, caller, orderId);
    if (!details.ok) return details;
    const { order } = details.value;
    const mode = await modeAt(tx, order.storeId);
    if (mode === 'at_acceptance') return atAcceptanceRefusal();
    const why = reason?.trim();
    if (!why)
      return fail('invalid', 'CONFERENCE.REASON_REQUIRED', 'Say why the conference is restarted.', {
        errors: [{ path: '/reason', code: 'CONFERENCE.REASON_REQUIRED', message: 'is required' }],
      });
    const conference = await store.currentConference(tx, orderId);
    if (order.status !== countingStatus)
      return fail(
        'conflict',
        'CONFERENCE.MOVED_ON',
        `The order is ${order.status}: its conference can only be restarted while it is in picking.`,
        { data: { orderStatus: order.status } },
      );
    if (!conference)
      return fail(
        'conflict',
        'CONFERENCE.NOT_STARTED',
        'Nothing has been counted yet: the first scanned item starts the conference.',
      );
    await store.restartConference(tx, conference.id, { at: new Date(), name: caller.name, reason: why });
    if (conference.status === 'finished') await orders.setConferred(tx, orderId, null);
    await orders.recordFact(tx, caller, order, { note: `Conferência reiniciada: ${why}` });
    const refreshed = { ...details.value, order: { ...order, conferredAt: null } };
    return ok(viewOf(refreshed, mode, undefined, await linesOf(tx, refreshed, undefined)));
  });
}
