import * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type Failure, fail, ok, type Result } from '../platform/errors.ts';
import {
  actionsFor,
  askedDocument,
  type CounterOrder,
  PENDING_LIMIT,
  type PosAction,
  type PosSettings,
  pendingNotice,
  refusal,
  releaseReason,
} from './domain.ts';

/**
 * The POS at the counter (seeds 000 §3.5, §4.1): a store's POS key lists the pickup orders waiting at its
 * store, finds one by number (pré-venda), rescues it (`invoicing`), gives it back, or finishes it with an
 * NFC-e. The order's lifecycle, history and webhooks stay the orders context's; this context decides what
 * the counter may do and says so in the counter's terms (the next POS actions).
 */

export type { PosAction, PosSettings } from './domain.ts';
export { actionEndpoints, posActions } from './domain.ts';

/** The POS acting: an API key of the `pos` scope, bound to its store. */
export type PosCaller = orders.OrderCaller & { nodeId: string };

export interface PosStore {
  id: string;
  code: string;
}

/**
 * The store the POS key is bound to; a key bound to any other node cannot work a counter. From the
 * network's in-memory identities: every poll asks, and nodes never move.
 */
async function storeOf(db: Db, caller: PosCaller): Promise<Result<PosStore>> {
  const node = (await network.lineage(db, caller.nodeId)).at(-1);
  if (node?.kind !== 'store' || node.id !== caller.nodeId)
    return fail('forbidden', 'POS.NOT_A_STORE', 'This POS key is not bound to a store.');
  return ok({ id: node.id, code: node.code });
}

/** The store's parameters the POS works by (seeds 000 §2). */
export async function settingsOf(db: Db, storeId: string): Promise<PosSettings> {
  const v = await parameters.resolveMany(db, storeId, ['9253', '9254', '9242', '9285']);
  return {
    participates: v['9253'].value === true,
    serviceUrl: v['9254'].value,
    pendingOrdersUrl: v['9242'].value,
    online: v['9285'].value !== false,
  };
}

export interface PosSetup extends PosSettings {
  store: { code: string; name: string };
}

/** What the POS downloads to configure itself: its store and the parameters it works by. */
export async function setup(db: Db, caller: PosCaller): Promise<Result<PosSetup>> {
  const store = await storeOf(db, caller);
  if (!store.ok) return store;
  const settings = await settingsOf(db, store.value.id);
  const name = (await network.getNodeById(db, store.value.id))?.name ?? store.value.code;
  return ok({ store: { code: store.value.code, name }, ...settings });
}

export interface PendingList {
  count: number;
  /** 9285: false when the online look-up is off (the list is then empty; find orders by number). */
  online: boolean;
  /** Why the list is empty whatever the orders; null when it lists them. */
  notice: { code: string; message: string } | null;
  orders: orders.PendingPickup[];
}

/**
 * The pickup orders ready at the POS's store. Reading them is the POS's download: each listed order not yet
 * downloaded is marked so (the back office's "Confirmado loja"), once, in one statement for the batch.
 */
export async function pendingOrders(
  db: Db,
  caller: PosCaller,
  now = new Date(),
): Promise<Result<PendingList>> {
  const store = await storeOf(db, caller);
  if (!store.ok) return store;
  const settings = await settingsOf(db, store.value.id);
  const notice = pendingNotice(settings);
  if (notice) return ok({ count: 0, online: settings.online, notice, orders: [] });
  const { orders: listed, count } = await orders.pendingPickups(db, store.value.id, PENDING_LIMIT);
  const fresh = listed.filter((o) => o.posDownloadedAt === null).map((o) => o.id);
  if (fresh.length === 0) return ok({ count, online: true, notice: null, orders: listed });
  const marked = new Set(
    await transaction(db, async (tx) => ok(await orders.markDownloadedByPos(tx, fresh, caller, now))).then(
      (r) => (r.ok ? r.value : []),
    ),
  );
  return ok({
    count,
    online: true,
    notice: null,
    orders: listed.map((o) => (marked.has(o.id) ? { ...o, posDownloadedAt: now } : o)),
  });
}

/** How many pickup orders wait at the POS's store (the badge), or null when the list would be empty. */
export async function pendingCount(db: Db, storeId: string): Promise<number> {
  if (pendingNotice(await settingsOf(db, storeId))) return 0;
  return orders.pendingPickupCount(db, storeId);
}

/** The store a POS works for, for the routes (the event stream). */
export const posStore = storeOf;

const orderNotAtStore = (number: number) =>
  fail('not_found', 'POS.ORDER_NOT_FOUND', `There is no order ${number} at this store.`);

/** One of the POS store's orders by its number; another store's is not found. */
async function orderAt(db: Db, caller: PosCaller, number: number): Promise<Result<orders.OrderRow>> {
  const store = await storeOf(db, caller);
  if (!store.ok) return store;
  const found = await orders.findByNumber(db, caller, store.value.id, number);
  if (!found.ok) return found;
  return found.value ? ok(found.value) : orderNotAtStore(number);
}

/** A store that does not take part in the omnichannel process finishes no hub order (9253). */
async function mustTakePart(db: Db, order: orders.OrderRow): Promise<Result<null>> {
  if ((await settingsOf(db, order.storeId)).participates) return ok(null);
  return fail(
    'conflict',
    'POS.STORE_NOT_OMNI',
    'The store does not take part in the omnichannel process (parameter 9253 off): its POS does not rescue or finish omni orders.',
    { data: { parameter: '9253', allowed: [] } },
  );
}

function notAllowed(action: PosAction, order: CounterOrder): { ok: false; failure: Failure } {
  const allowed = actionsFor(order);
  return fail('conflict', 'POS.ACTION_NOT_ALLOWED', refusal(action, order, allowed), {
    data: { action, currentStatus: order.status, allowed },
  });
}

/** The order's refusal of a move, told in the counter's terms (the next POS actions). */
function asCounterFailure(
  action: PosAction,
  order: orders.OrderRow,
  failure: { ok: false; failure: Failure },
): { ok: false; failure: Failure } {
  if (failure.failure.code !== 'ORDER.TRANSITION_NOT_ALLOWED') return failure;
  const status = (failure.failure.data?.currentStatus as string | undefined) ?? order.status;
  return notAllowed(action, { status, deliveryType: order.deliveryType });
}

export interface CounterView {
  order: orders.OrderView;
  /** What the POS may do next with it. */
  actions: PosAction[];
  /** The order's latest fiscal document (its NFC-e once finished), for the receipt; null before. */
  fiscalDocument: { id: string; accessKey: string; status: fiscal.FiscalDocumentStatus } | null;
}

/** The order as the counter shows it: the order, its next POS actions, its receipt. */
export async function counterView(db: Db, caller: PosCaller, orderId: string): Promise<Result<CounterView>> {
  const order = await orders.getOrder(db, caller, orderId);
  if (!order.ok) return order;
  const docs = await fiscal.documentsFor(db, orders.ORDER_REFERENCE, orderId);
  const doc = docs.at(-1);
  return ok({
    order: order.value,
    actions: actionsFor(order.value),
    fiscalDocument: doc ? { id: doc.id, accessKey: doc.accessKey, status: doc.status } : null,
  });
}

/** Pré-venda: one of the store's omni orders by number, whatever its status. */
export async function lookUp(db: Db, caller: PosCaller, number: number): Promise<Result<CounterView>> {
  const order = await orderAt(db, caller, number);
  if (!order.ok) return order;
  return counterView(db, caller, order.value.id);
}

/** Rescue ("resgatar"): the cashier takes the order to finish its receipt → `invoicing`. */
export async function rescue(db: Db, caller: PosCaller, number: number): Promise<Result<CounterView>> {
  const order = await orderAt(db, caller, number);
  if (!order.ok) return order;
  const omni = await mustTakePart(db, order.value);
  if (!omni.ok) return omni;
  if (order.value.deliveryType !== 'pickup') return notAllowed('rescue', order.value);
  const moved = await orders.transition(db, caller, order.value.id, 'invoicing');
  if (!moved.ok) return asCounterFailure('rescue', order.value, moved);
  return counterView(db, caller, order.value.id);
}

/**
 * Release: the cashier gives a rescued order back, saying why → `ready_for_pickup`. Refused while its NFC-e
 * is with SEFAZ (the answer decides), and after it was authorised (then the order is invoiced).
 */
export async function release(
  db: Db,
  caller: PosCaller,
  number: number,
  reason: string | undefined,
): Promise<Result<CounterView>> {
  const why = releaseReason(reason);
  if (!why)
    return fail('invalid', 'POS.REASON_REQUIRED', 'Say why the order is given back.', {
      errors: [{ path: '/reason', code: 'POS.REASON_REQUIRED', message: 'is required' }],
    });
  const order = await orderAt(db, caller, number);
  if (!order.ok) return order;
  if (order.value.deliveryType !== 'pickup') return notAllowed('release', order.value);
  const moved = await transaction(db, async (tx) => {
    const changed = await orders.changeStatus(tx, caller, order.value.id, 'ready_for_pickup', {
      reason: why,
    });
    if (!changed.ok) return asCounterFailure('release', order.value, changed);
    // The order's row is locked now: a finish cannot slip a document in between.
    const inFlight = (await fiscal.documentsFor(tx, orders.ORDER_REFERENCE, order.value.id)).find(
      (d) => d.status === 'sending',
    );
    if (inFlight)
      return fail(
        'conflict',
        'POS.RECEIPT_IN_PROGRESS',
        `The NFC-e ${inFlight.accessKey} is with SEFAZ: wait for its answer before giving the order back.`,
        {
          data: {
            fiscalDocument: { id: inFlight.id, accessKey: inFlight.accessKey, status: inFlight.status },
            allowed: [],
          },
        },
      );
    return ok(changed.value);
  });
  if (!moved.ok) return moved;
  return counterView(db, caller, order.value.id);
}

/** The customer's CPF or CNPJ asked at the counter, checked (422 naming /customerDocument); null: none. */
export function customerDocumentOf(value: string | undefined): Result<string | null> {
  const asked = askedDocument(value);
  if (asked === null) return ok(null);
  const doc = orders.normaliseDocument(asked);
  const invalid = (message: string) =>
    fail('invalid', 'POS.CUSTOMER_DOCUMENT_INVALID', `The customer document ${value} ${message}.`, {
      errors: [{ path: '/customerDocument', code: 'POS.CUSTOMER_DOCUMENT_INVALID', message }],
    });
  if (!doc) return invalid('is not a valid CPF or CNPJ (check digits)');
  // The NFC-e layout in force takes a numeric CNPJ (fiscal's recipient rules).
  if (doc.kind === 'cnpj' && !/^[0-9]{14}$/.test(doc.value))
    return invalid('is an alphanumeric CNPJ, which the NFC-e does not carry yet');
  return ok(doc.value);
}

/**
 * Finish: the rescued order's NFC-e (model 65), with the customer's document as recipient when given, is
 * issued and queued for SEFAZ; the order becomes `invoiced` when SEFAZ authorises it. Answers the document
 * to wait for.
 */
export async function finish(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: PosCaller,
  number: number,
  customerDocument: string | undefined,
): Promise<Result<{ orderId: string; documentId: string }>> {
  const document = customerDocumentOf(customerDocument);
  if (!document.ok) return document;
  const order = await orderAt(db, caller, number);
  if (!order.ok) return order;
  const omni = await mustTakePart(db, order.value);
  if (!omni.ok) return omni;
  if (order.value.deliveryType !== 'pickup' || order.value.status !== 'invoicing')
    return notAllowed('finish', order.value);
  const issued = await orders.issueConsumerReceipt(
    db,
    deps,
    caller,
    order.value.id,
    document.value ?? undefined,
  );
  if (issued.ok) return ok({ orderId: order.value.id, documentId: issued.value.documentId });
  const { code, data } = issued.failure;
  if (code === 'FISCAL.NOT_INVOICING') {
    const now = await orders.getOrder(db, caller, order.value.id);
    return notAllowed('finish', now.ok ? now.value : order.value);
  }
  if (code === 'FISCAL.ALREADY_ISSUED')
    return fail(
      'conflict',
      data?.status === 'authorised' ? 'POS.ACTION_NOT_ALLOWED' : 'POS.RECEIPT_IN_PROGRESS',
      data?.status === 'authorised'
        ? 'The order’s NFC-e is already authorised: it is finished.'
        : 'The order’s NFC-e is with SEFAZ: wait for its answer.',
      {
        data: {
          action: 'finish',
          allowed: data?.status === 'authorised' ? ['handover'] : [],
          fiscalDocument: { id: data?.documentId, status: data?.status },
        },
      },
    );
  return issued;
}

/** The document once SEFAZ answered, or as it stands after `timeoutMs` (then the route answers 202). */
export const settledDocument = (db: Db, id: string, timeoutMs: number) =>
  fiscal.settledDocument(db, id, timeoutMs);
