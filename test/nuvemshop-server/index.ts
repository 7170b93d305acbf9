import { createHmac } from 'node:crypto';
import type { NuvemshopOrder } from '../../src/connector/nuvemshop/mapping.ts';
import { type Exchange, type Failure, listen, type Reply } from '../shared-carrier-server.ts';

/**
 * A local Nuvemshop API (REST v1, `/{store_id}/…`) for tests and journeys: its auth header
 * (`Authentication: bearer <token>`, a wrong one is 401), its demand for a User-Agent (400 without one),
 * orders by id, and fulfilments, cancellations and metafields recorded as sent.
 *
 *   const ns = await startNuvemshopServer({ storeId: '123', accessToken: 'tok-…', appSecret: 'sec-…' });
 *   ns.url                      // the connection's baseUrl
 *   ns.orders.set('456', order) // what GET /orders/456 answers
 *   ns.failNext(2)              // the next 2 requests answer 503
 *   ns.hook('order/paid', 456)  // a webhook body and its x-linkedstore-hmac-sha256, as Nuvemshop signs it
 *   ns.fulfilments / ns.cancellations / ns.metafields / ns.requests
 */
export interface NuvemshopServerOptions {
  storeId: string;
  accessToken: string;
  appSecret: string;
}

export interface NuvemshopServer {
  readonly url: string;
  failure: Failure;
  readonly requests: Exchange[];
  readonly orders: Map<string, NuvemshopOrder>;
  readonly fulfilments: { orderId: string; body: any }[];
  readonly cancellations: { orderId: string; body: any }[];
  readonly metafields: any[];
  failNext(count: number): void;
  hook(event: string, orderId: number | string): { body: string; signature: string };
  close(): Promise<void>;
}

const problem = (status: number, message: string, description: string): Reply => ({
  status,
  json: { code: status, message, description },
});

export async function startNuvemshopServer(opts: NuvemshopServerOptions): Promise<NuvemshopServer> {
  const requests: Exchange[] = [];
  const orders = new Map<string, NuvemshopOrder>();
  const fulfilments: { orderId: string; body: any }[] = [];
  const cancellations: { orderId: string; body: any }[] = [];
  const metafields: any[] = [];
  let failing = 0;
  let nextMetafield = 1;

  function handle(ex: Exchange): Reply {
    if (failing > 0) {
      failing -= 1;
      return problem(503, 'Service Unavailable', 'Try again later');
    }
    const agent = String(ex.headers['user-agent'] ?? '');
    // Nuvemshop refuses calls whose User-Agent does not name the app and a contact.
    if (!agent || agent === 'node') return problem(400, 'Bad Request', 'A User-Agent header is required');
    if (String(ex.headers.authentication ?? '').toLowerCase() !== `bearer ${opts.accessToken}`.toLowerCase())
      return problem(401, 'Unauthorized', 'Invalid access token');
    const prefix = `/${opts.storeId}`;
    if (!ex.path.startsWith(`${prefix}/`)) return problem(404, 'Not Found', 'Unknown store');
    const path = ex.path.slice(prefix.length);

    const order = /^\/orders\/(\d+)(\/fulfill|\/cancel)?$/.exec(path);
    if (order) {
      const [, id, action] = order;
      const found = orders.get(id!);
      if (!found) return problem(404, 'Not Found', 'Order with such id does not exist');
      if (!action && ex.method === 'GET') return { status: 200, json: found };
      if (action === '/fulfill' && ex.method === 'POST') {
        fulfilments.push({ orderId: id!, body: ex.body });
        return { status: 200, json: { ...found, shipping_status: 'shipped' } };
      }
      if (action === '/cancel' && ex.method === 'POST') {
        cancellations.push({ orderId: id!, body: ex.body });
        found.status = 'cancelled';
        return { status: 200, json: found };
      }
    }
    if (path === '/metafields' && ex.method === 'POST') {
      const b = ex.body ?? {};
      const missing = ['namespace', 'key', 'value', 'owner_resource', 'owner_id'].filter((k) => b[k] == null);
      if (missing.length) return problem(422, 'Unprocessable Entity', `${missing.join(', ')} required`);
      const created = { id: nextMetafield++, ...b, created_at: new Date().toISOString() };
      metafields.push(created);
      return { status: 201, json: created };
    }
    return problem(404, 'Not Found', `No route for ${ex.method} ${path}`);
  }

  const server: { failure: Failure } = { failure: 'none' };
  const listening = await listen(handle, () => server.failure, requests);
  return {
    url: listening.url,
    get failure() {
      return server.failure;
    },
    set failure(f: Failure) {
      server.failure = f;
    },
    requests,
    orders,
    fulfilments,
    cancellations,
    metafields,
    failNext(count) {
      failing = count;
    },
    hook(event, orderId) {
      const body = JSON.stringify({ store_id: Number(opts.storeId), event, id: Number(orderId) });
      return { body, signature: createHmac('sha256', opts.appSecret).update(body).digest('hex') };
    },
    close: listening.close,
  };
}

/** A paid Nuvemshop order as `GET /orders/{id}` answers it, shipped to São Paulo and paid by card. */
export function nuvemshopOrder(id: number, overrides: Partial<NuvemshopOrder> = {}): NuvemshopOrder {
  return {
    id,
    number: 1000 + (id % 1000),
    contact_email: 'maria@example.com',
    contact_name: 'Maria Silva',
    contact_phone: '+55 11 99999-0000',
    contact_identification: '52998224725',
    shipping_address: {
      name: 'Maria Silva',
      address: 'Rua Augusta',
      number: '1200',
      floor: 'apto 5',
      locality: 'Consolação',
      city: 'São Paulo',
      province: 'São Paulo',
      zipcode: '01304-001',
      country: 'BR',
      phone: '+55 11 99999-0000',
    },
    products: [
      { id: 1, product_id: 10, variant_id: 100, sku: 'CAL-002', name: 'Calça', price: '199.90', quantity: 1 },
    ],
    subtotal: '199.90',
    discount: '0.00',
    shipping_cost_customer: '15.00',
    total: '214.90',
    currency: 'BRL',
    gateway: 'pagseguro',
    payment_status: 'paid',
    payment_details: { method: 'credit_card', credit_card_company: 'visa', installments: 2 },
    shipping_pickup_type: 'ship',
    shipping_option: 'Correios - PAC',
    status: 'open',
    created_at: new Date().toISOString(),
    ...overrides,
  };
}
