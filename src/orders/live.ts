import { Type } from '@sinclair/typebox';
import * as network from '../network/service.ts';
import type { Database, Db } from '../platform/db/index.ts';
import { type Feed, feedOf, parseJson } from '../platform/events/feed.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { type EventStream, openEventStream } from '../platform/http/event-stream.ts';
import type { App } from '../platform/http/server.ts';
import { ORDER_CHANNEL, type OrderChange } from './store.ts';

/** Every committed order change of every process, as NOTIFYed by ingest and `changeStatus`. */
export const orderChanges = (database: Pick<Database, 'listen'>): Feed<OrderChange> =>
  feedOf(database, ORDER_CHANNEL, parseJson<OrderChange>);

/**
 * `GET /api/v1/orders/events`: the back office's live queue. Each change of an order of a store the user
 * acts on arrives as `event: order` with `{orderId, storeCode, status}`; the screen re-reads its page.
 */
export function registerLiveOrderRoutes(app: App, db: Db, feed: Feed<OrderChange>) {
  const open = new Set<EventStream>();
  // Hijacked streams never end by themselves: end them so the server can close.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.close();
    await feed.close();
  });

  app.get(
    '/api/v1/orders/events',
    {
      config: { access: backOffice },
      schema: {
        tags: ['orders'],
        summary: 'Live changes of your stores’ orders (server-sent events)',
        description:
          'A `text/event-stream`: first `event: ready` with `{stores}` (how many stores you act on), then one ' +
          '`event: order` with `{orderId, storeCode, status}` per order created or changed at one of them, ' +
          'and a comment line every 20 s. Changes are hints to re-read the queue; reconnect when the stream ' +
          'ends (the browser waits the `retry` the stream sets).',
        response: {
          200: {
            description: 'The event stream',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
        },
      },
    },
    async (req, reply) => {
      const stores = await network.storesWithin(db, principalOf(req));
      const codeOf = new Map(stores.map((s) => [s.id, s.code]));
      const stream = openEventStream(req, reply);
      open.add(stream);
      stream.send('ready', { stores: codeOf.size });
      const unsubscribe = feed.subscribe((change) => {
        const storeCode = codeOf.get(change.storeId);
        if (storeCode) stream.send('order', { orderId: change.orderId, storeCode, status: change.status });
      });
      stream.onClose(() => {
        unsubscribe();
        open.delete(stream);
      });
    },
  );
}
