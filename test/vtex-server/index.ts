import { randomUUID } from 'node:crypto';
import { type Exchange, listen, type Reply } from '../shared-carrier-server.ts';
import type { VtexOrderFixture } from './orders.ts';

export { type VtexOrderFixture, type VtexOrderOptions, vtexOrder, vtexOrderId } from './orders.ts';

/**
 * A local VTEX OMS (the `/api/oms/pvt/orders` paths of {account}.vtexcommercestable.com.br) for tests,
 * journeys and the bench: app key and token checked on every call (none → 401, wrong → 403, as VTEX
 * answers), orders from the fixtures a test registers, start-handling 204, invoice and cancel 200 with
 * VTEX's `{date, orderId, receipt}`, tracking updates, and every call recorded.
 *
 *   const vtex = await startVtexServer({ appKey: 'vtexappkey-loja-ABC', appToken: 'TOKEN' });
 *   vtex.addOrder(vtexOrder({ … }))     // what GET /api/oms/pvt/orders/{id} answers
 *   vtex.failNext(2)                    // the next 2 calls answer 503 (VTEX down)
 *   vtex.calls                          // every exchange, in order
 */
export interface VtexServerOptions {
  readonly appKey: string;
  readonly appToken: string;
}

export interface VtexServer {
  readonly url: string;
  readonly calls: Exchange[];
  readonly orders: Map<string, VtexOrderFixture>;
  addOrder(order: VtexOrderFixture): void;
  /** The next `n` calls answer 503, as VTEX does when the OMS is unavailable. */
  failNext(n: number): void;
  /** The calls to one path suffix of one order (`start-handling`, `invoice`, …). */
  callsTo(orderId: string, suffix: string, method?: string): Exchange[];
  close(): Promise<void>;
}

const ORDER = /^\/api\/oms\/pvt\/orders\/([^/]+)(?:\/(.*))?$/;

export async function startVtexServer(opts: VtexServerOptions): Promise<VtexServer> {
  const calls: Exchange[] = [];
  const orders = new Map<string, VtexOrderFixture>();
  let failing = 0;

  const receipt = (orderId: string): Reply => ({
    status: 200,
    json: { date: new Date().toISOString(), orderId, receipt: randomUUID().replaceAll('-', '') },
  });
  const vtexError = (status: number, code: string, message: string): Reply => ({
    status,
    json: { error: { code, message, exception: null } },
  });

  function handle(ex: Exchange): Reply {
    if (failing > 0) {
      failing--;
      return { status: 503, body: Buffer.from('Service Unavailable'), type: 'text/plain' };
    }
    const key = ex.headers['x-vtex-api-appkey'];
    const token = ex.headers['x-vtex-api-apptoken'];
    if (!key || !token) return vtexError(401, '1', 'Unauthorized');
    if (key !== opts.appKey || token !== opts.appToken) return vtexError(403, '1', 'Forbidden');
    const m = ORDER.exec(ex.path);
    if (!m) return vtexError(404, '1', 'Not found');
    const orderId = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    const order = orders.get(orderId);
    if (!order) return vtexError(404, '1', `Pedido ${orderId} não encontrado`);
    if (ex.method === 'GET' && rest === '') return { status: 200, json: order };
    if (ex.method === 'POST' && rest === 'start-handling') {
      if (order.status !== 'ready-for-handling')
        return vtexError(409, 'OMS003', `Order status ${order.status} does not allow start handling`);
      order.status = 'handling';
      return { status: 204 };
    }
    if (ex.method === 'POST' && rest === 'invoice') {
      const b = ex.body ?? {};
      if (typeof b.invoiceNumber !== 'string' || !Number.isInteger(b.invoiceValue) || !b.issuanceDate)
        return vtexError(400, 'OMS006', 'Invalid invoice');
      order.status = 'invoiced';
      return receipt(orderId);
    }
    if (ex.method === 'PATCH' && /^invoice\/[^/]+$/.test(rest)) return receipt(orderId);
    if (ex.method === 'PUT' && /^invoice\/[^/]+\/tracking$/.test(rest)) return receipt(orderId);
    if (ex.method === 'POST' && rest === 'cancel') {
      order.status = 'canceled';
      return receipt(orderId);
    }
    return vtexError(404, '1', 'Not found');
  }

  const server = await listen(handle, () => 'none', calls);
  return {
    url: server.url,
    calls,
    orders,
    addOrder: (order) => orders.set(order.orderId, order),
    failNext(n) {
      failing = n;
    },
    callsTo: (orderId, suffix, method) =>
      calls.filter(
        (c) =>
          c.path === `/api/oms/pvt/orders/${orderId}${suffix ? `/${suffix}` : ''}` &&
          (!method || c.method === method),
      ),
    close: server.close,
  };
}
