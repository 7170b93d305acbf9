import { type Static, Type } from '@sinclair/typebox';
import * as fiscal from '../fiscal/service.ts';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import type { Feed } from '../platform/events/feed.ts';
import { principalOf } from '../platform/http/access.ts';
import { type EventStream, openEventStream } from '../platform/http/event-stream.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { bareBodyIsEmpty } from '../platform/http/validation.ts';
import * as pos from './service.ts';
import { posTicket } from './ticket.ts';

export interface PosRouteOptions extends fiscal.IssuingDeps {
  /** Every committed order change (orders/live.ts), for the POS's live badge. */
  changes: Feed<{ storeId: string; orderId: string; status: string }>;
  /** Wakes the in-process job worker, so SEFAZ is asked now rather than at the next poll. */
  wakeWorker?: () => void;
  /** How long finishing waits for SEFAZ's answer before answering 202 with the NFC-e still sending. */
  answerWithinMs?: number;
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Action = StringEnum(pos.posActions, {
  description:
    'rescue, finish, release (POST /pos/orders/{number}/…) or handover (POST /orders/{id}/handover)',
});
const Actions = Type.Array(Action, { description: 'What the POS may do with the order now' });
const DocumentRef = Nullable(fiscal.DocumentRefPayload);
const Notice = Nullable(
  Type.Object({
    code: Type.String({ description: 'POS.STORE_NOT_OMNI (9253 off) or POS.OFFLINE_LOOKUP (9285 off)' }),
    message: Type.String(),
  }),
);

const NumberParams = Type.Object({
  number: Type.Integer({
    minimum: 1,
    maximum: 2_147_483_647,
    description: 'The order number the customer has',
  }),
});
const NumberQuery = Type.Object({
  number: Type.Integer({
    minimum: 1,
    maximum: 2_147_483_647,
    description: 'The order number the customer has',
  }),
});
const EmptyBody = Type.Object({}, { additionalProperties: false });
const ReleaseBody = Type.Object(
  { reason: Type.String({ maxLength: 500, description: 'Why the cashier gives the order back (required)' }) },
  { additionalProperties: false },
);
const FinishBody = Type.Object(
  {
    customerDocument: Type.Optional(
      Type.String({
        maxLength: 20,
        description:
          'The CPF (or CNPJ) the customer asked to put on the receipt, with or without punctuation; absent or ' +
          'empty: an NFC-e without recipient',
      }),
    ),
  },
  { additionalProperties: false },
);

const Pending = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  customerName: Type.String(),
  itemsSummary: Type.String({ description: 'e.g. "2× Camiseta básica, 1× Calça jeans"' }),
  units: Type.Integer({ description: 'Units in the order' }),
  total: Type.String({ description: 'Decimal with two places' }),
  placedAt: Type.String({ format: 'date-time' }),
  readyAt: Type.String({ format: 'date-time', description: 'When it became ready for pickup' }),
  downloadedAt: Type.String({
    format: 'date-time',
    description: 'When a POS of the store first downloaded it (this read, the first time)',
  }),
});
const PendingList = Type.Object({
  count: Type.Integer({ description: 'Pickup orders ready at the store (all of them; the list shows 200)' }),
  online: Type.Boolean({ description: '9285: false when the online look-up is off' }),
  notice: Notice,
  orders: Type.Array(Pending),
});
const Counter = Type.Object({ order: orders.OrderPayload, actions: Actions, fiscalDocument: DocumentRef });
const Finished = Type.Object({
  order: orders.OrderPayload,
  fiscalDocument: fiscal.DocumentRefPayload,
  actions: Actions,
});
const Setup = Type.Object({
  store: Type.Object({ code: Type.String(), name: Type.String() }),
  participates: Type.Boolean({ description: '9253: the store takes part in the omnichannel process' }),
  serviceUrl: Type.String({ description: '9254: the base URL the POS calls the omni services at' }),
  pendingOrdersUrl: Type.String({ description: '9242: the URL pending orders are queried at' }),
  online: Type.Boolean({ description: '9285: online pending-order look-up' }),
});

const conflicts =
  '409 POS.ACTION_NOT_ALLOWED names `currentStatus` and `allowed` (the next POS actions); 409 ' +
  'POS.STORE_NOT_OMNI when the store does not take part (9253 off); 404 POS.ORDER_NOT_FOUND for a number ' +
  'that is not this store’s.';

/** The POS API of a store's POS key (`pos` scope, bound to the store). */
export function registerPosRoutes(app: App, db: Db, opts: PosRouteOptions) {
  const tags = ['pos'];
  const access = { access: ['pos'] as const, ticket: posTicket };
  const answerWithin = opts.answerWithinMs ?? 15_000;
  const caller = (req: Parameters<typeof principalOf>[0]): pos.PosCaller => {
    const p = principalOf(req);
    return { ...orders.callerOf(p), nodeId: p.nodeId };
  };

  app.get(
    '/api/v1/pos/setup',
    {
      config: access,
      schema: {
        tags,
        summary: 'What the POS configures itself with: its store and parameters 9253, 9254, 9242, 9285',
        response: { 200: Setup },
      },
    },
    async (req) => unwrap(await pos.setup(db, caller(req))),
  );

  app.get(
    '/api/v1/pos/pending-orders',
    {
      config: access,
      schema: {
        tags,
        summary: 'Pickup orders ready at this store (the POS badge); reading them is the POS’s download',
        description:
          'The store’s pickup orders in `ready_for_pickup`, oldest first. Each one listed for the first time is ' +
          'marked as downloaded by the POS (`downloadedAt`; the back office then shows "Confirmado loja" instead ' +
          'of "Pedido recebido", and the order’s history notes it once). Empty with a `notice` when the store ' +
          'does not take part (9253 off) or the online look-up is off (9285 off: `online: false`; the cashier ' +
          'finds orders by number with GET /pos/orders?number=).',
        response: { 200: PendingList },
      },
    },
    async (req) => {
      const list = unwrap(await pos.pendingOrders(db, caller(req)));
      return {
        ...list,
        orders: list.orders.map((o) => ({
          id: o.id,
          number: o.number,
          customerName: o.customerName,
          itemsSummary: o.itemsSummary,
          units: o.units,
          total: o.total,
          placedAt: o.placedAt.toISOString(),
          readyAt: o.readyAt.toISOString(),
          downloadedAt: (o.posDownloadedAt ?? new Date()).toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/pos/orders',
    {
      config: access,
      schema: {
        tags,
        summary: 'Pré-venda: one of this store’s omni orders by number, whatever its status',
        description:
          'The order with items, payments, customer and status, the actions the POS may take now and its ' +
          'latest fiscal document (the NFC-e once finished). 404 POS.ORDER_NOT_FOUND when the number is not ' +
          'one of this store’s orders.',
        querystring: NumberQuery,
        response: { 200: Counter },
      },
    },
    async (req) =>
      unwrap(await pos.lookUp(db, caller(req), (req.query as Static<typeof NumberQuery>).number)),
  );

  app.post(
    '/api/v1/pos/orders/:number/rescue',
    {
      config: access,
      schema: {
        tags,
        summary: 'Rescue (resgatar) a pickup order ready at the counter → invoicing',
        description: `The cashier takes the order to finish its receipt. ${conflicts}`,
        params: NumberParams,
        body: EmptyBody,
        response: { 200: Counter },
      },
      preValidation: bareBodyIsEmpty,
    },
    async (req) =>
      unwrap(await pos.rescue(db, caller(req), (req.params as Static<typeof NumberParams>).number)),
  );

  app.post(
    '/api/v1/pos/orders/:number/release',
    {
      config: access,
      schema: {
        tags,
        summary: 'Give a rescued order back (the cashier gave up) → ready_for_pickup',
        description:
          `The reason is required (422 naming /reason) and goes to the order’s history. 409 ` +
          `POS.RECEIPT_IN_PROGRESS while its NFC-e is with SEFAZ. ${conflicts}`,
        params: NumberParams,
        body: ReleaseBody,
        response: { 200: Counter },
      },
      preValidation: bareBodyIsEmpty,
    },
    async (req) =>
      unwrap(
        await pos.release(
          db,
          caller(req),
          (req.params as Static<typeof NumberParams>).number,
          (req.body as Static<typeof ReleaseBody>).reason,
        ),
      ),
  );

  app.post(
    '/api/v1/pos/orders/:number/finish',
    {
      config: access,
      schema: {
        tags,
        summary: 'Finish a rescued order: its NFC-e (model 65) → invoiced once SEFAZ authorises it',
        description:
          'Issues, signs and sends the NFC-e, with the customer’s CPF or CNPJ as recipient (`dest`) when given ' +
          '(422 naming /customerDocument when its check digits fail). 200 once authorised (the order is ' +
          '`invoiced`); 202 when SEFAZ has not answered in time (the order stays `invoicing`, the answer ' +
          'arrives by itself; GET /pos/orders?number= shows it); 422 FISCAL.REJECTED when SEFAZ refused it ' +
          '(the order stays `invoicing`: finish again or release). The receipt: GET ' +
          `/api/v1/fiscal-documents/{id}/danfe.pdf. ${conflicts}`,
        params: NumberParams,
        body: FinishBody,
        response: { 200: Finished, 202: Finished },
      },
      preValidation: bareBodyIsEmpty,
    },
    async (req, reply) => {
      const who = caller(req);
      const body = (req.body ?? {}) as Static<typeof FinishBody>;
      const issued = unwrap(
        await pos.finish(
          db,
          opts,
          who,
          (req.params as Static<typeof NumberParams>).number,
          body.customerDocument,
        ),
      );
      opts.wakeWorker?.();
      const doc = await pos.settledDocument(db, issued.documentId, answerWithin);
      if (!doc) throw new Error(`fiscal document ${issued.documentId} vanished`);
      const fiscalDocument = { id: doc.id, accessKey: doc.accessKey, status: doc.status };
      // A denial (uso denegado, 110/301/302) is answered like a rejection; finishing again takes a new number.
      if (doc.status === 'rejected' || doc.status === 'denied')
        unwrap(
          fail(
            'invalid',
            doc.status === 'denied' ? 'FISCAL.DENIED' : 'FISCAL.REJECTED',
            `SEFAZ ${doc.status === 'denied' ? 'denied' : 'rejected'} the NFC-e: ${doc.rejectionCode} ${doc.rejectionReason}. The order stays rescued: finish again or release it.`,
            {
              data: {
                fiscalDocument,
                rejection: { code: doc.rejectionCode, reason: doc.rejectionReason },
                allowed: ['finish', 'release'],
              },
            },
          ),
        );
      const view = unwrap(await pos.counterView(db, who, issued.orderId));
      return reply
        .code(doc.status === 'sending' ? 202 : 200)
        .send({ order: view.order, fiscalDocument, actions: view.actions });
    },
  );

  registerPosEvents(app, db, opts.changes);
}

/**
 * `GET /api/v1/pos/events`: the POS badge, live. `event: pending` with `{count}` on connecting and whenever
 * an order of the store changes (a new one ready, one rescued, released, finished), and `event: order` with
 * `{orderId, status}` for each change. Counts are re-read, coalesced, so a burst of changes costs one count.
 */
function registerPosEvents(app: App, db: Db, changes: PosRouteOptions['changes']) {
  const open = new Set<EventStream>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.close();
  });

  app.get(
    '/api/v1/pos/events',
    {
      config: { access: ['pos'], ticket: posTicket },
      schema: {
        tags: ['pos'],
        summary: 'Live pending count of this store’s counter (server-sent events)',
        description:
          'A `text/event-stream`: `event: pending` with `{count}` (pickup orders ready at the store, 0 when ' +
          '9253 or 9285 is off) first and after every change of one of the store’s orders, `event: order` ' +
          'with `{orderId, status}` per change, and a comment line every 20 s. Reconnect when it ends.',
        response: {
          200: {
            description: 'The event stream',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
        },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const store = unwrap(await pos.posStore(db, { ...orders.callerOf(p), nodeId: p.nodeId }));
      const stream = openEventStream(req, reply);
      open.add(stream);
      let counting: Promise<void> | null = null;
      let again = false;
      const recount = () => {
        if (counting) {
          again = true;
          return;
        }
        counting = (async () => {
          do {
            again = false;
            try {
              stream.send('pending', { count: await pos.pendingCount(db, store.id) });
            } catch {
              // The database is away for a moment: the next change or the client's own poll catches up.
            }
          } while (again);
          counting = null;
        })();
      };
      recount();
      const unsubscribe = changes.subscribe((change) => {
        if (change.storeId !== store.id) return;
        stream.send('order', { orderId: change.orderId, status: change.status });
        recount();
      });
      stream.onClose(() => {
        unsubscribe();
        open.delete(stream);
      });
    },
  );
}
