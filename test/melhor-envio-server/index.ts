import { createHmac, randomUUID } from 'node:crypto';
import { type Exchange, type Failure, labelPdf, listen, type Reply } from '../shared-carrier-server.ts';

/**
 * A local Melhor Envio (API v2, `/api/v2/me/...`) for tests and journeys: Bearer token, the User-Agent they
 * require, quote, cart → checkout → generate → print (a real PDF behind the answered URL), tracking,
 * cancel, order search by tag, and webhooks signed as Melhor Envio signs them.
 *
 *   const me = await startMelhorEnvioServer({ token: 'tok', webhookSecret: 'app-secret' });
 *   me.url                                   // settings.baseUrl of the account
 *   me.orders                                // id → the order as Melhor Envio keeps it (status, tracking, tags, …)
 *   me.addEvent(orderIdOrTracking, 'posted' | 'delivered' | 'undelivered' | 'canceled')  // script tracking
 *   await me.pushWebhook(url, 'order.posted', orderId)    // POSTs {event, data} with X-ME-Signature
 *   me.signedWebhook('order.posted', orderId)          // the same {body, headers}, to send with app.inject
 *   me.failure = 'http500' | 'hang' | 'garbage' | 'unauthorized' | 'none'
 *   me.requests                              // every exchange, in order
 *   await me.close()
 *
 * Tracking codes are assigned at generation (`ME` + digits), as Melhor Envio does for most carriers.
 * Option `failCheckoutOnce`: the first checkout buys but its answer is 500 (a retry must not buy twice).
 */
export interface MelhorEnvioServerOptions {
  readonly token: string;
  readonly webhookSecret: string;
  /** Service id → {name, company, price "18.36", days}; Correios PAC (1) and SEDEX (2) by default. */
  readonly services?: Readonly<
    Record<string, { name: string; company: string; price: string; days: number }>
  >;
  readonly unservedPostalCodes?: readonly string[];
  readonly failCheckoutOnce?: boolean;
}

export interface MeOrder {
  id: string;
  protocol: string;
  service_id: number;
  status: string;
  tracking: string | null;
  tags: { tag: string; url: string | null }[];
  body: any;
  purchases: number;
  paid_at: string | null;
  generated_at: string | null;
  posted_at: string | null;
  delivered_at: string | null;
  canceled_at: string | null;
  updated_at: string;
}

export interface MelhorEnvioServer {
  readonly url: string;
  failure: Failure;
  readonly requests: Exchange[];
  readonly orders: Map<string, MeOrder>;
  addEvent(orderIdOrTracking: string, status: 'posted' | 'delivered' | 'undelivered' | 'canceled'): MeOrder;
  /** The body and headers Melhor Envio would POST for `event` about the order (for app.inject). */
  signedWebhook(
    event: string,
    orderId: string,
    secret?: string,
  ): { body: string; headers: Record<string, string> };
  /** POSTs that webhook to `url`; answers the status and body the receiver gave. */
  pushWebhook(
    url: string,
    event: string,
    orderId: string,
    secret?: string,
  ): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** "2026-03-10 14:32:05": São Paulo time, as Melhor Envio writes it. */
const meNow = () => new Date(Date.now() - 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

const defaultServices = {
  '1': { name: 'PAC', company: 'Correios', price: '18.36', days: 6 },
  '2': { name: 'SEDEX', company: 'Correios', price: '31.90', days: 2 },
};

export async function startMelhorEnvioServer(opts: MelhorEnvioServerOptions): Promise<MelhorEnvioServer> {
  const requests: Exchange[] = [];
  const orders = new Map<string, MeOrder>();
  const prints = new Map<string, string>();
  const services = opts.services ?? defaultServices;
  const unserved = new Set(opts.unservedPostalCodes ?? []);
  let failCheckout = opts.failCheckoutOnce ?? false;
  let sequence = 100_000_000;
  let baseUrl = '';

  const invalid = (errors: Record<string, string[]>): Reply => ({
    status: 422,
    json: { message: 'The given data was invalid.', errors },
  });
  const idsOf = (ex: Exchange): string[] | null =>
    Array.isArray(ex.body?.orders) ? ex.body.orders.map(String) : null;

  async function handle(ex: Exchange): Promise<Reply> {
    const printed = /^\/imprimir\/([\w-]+)$/.exec(ex.path);
    if (ex.method === 'GET' && printed) {
      const id = prints.get(printed[1]!);
      if (!id) return { status: 404, json: { message: 'Not found' } };
      const o = orders.get(id)!;
      return {
        status: 200,
        body: await labelPdf('Melhor Envio', o.tracking ?? o.protocol),
        type: 'application/pdf',
      };
    }
    if (String(ex.headers.authorization ?? '') !== `Bearer ${opts.token}`)
      return { status: 401, json: { message: 'Unauthenticated.' } };
    // Melhor Envio refuses calls without the application's name and contact e-mail in the User-Agent.
    if (!/\(.+@.+\)/.test(String(ex.headers['user-agent'] ?? '')))
      return { status: 403, json: { message: 'User-Agent must name the application and a contact e-mail.' } };
    const path = ex.path.replace(/^\/api\/v2\/me/, '');

    if (ex.method === 'POST' && path === '/shipment/calculate') {
      const to = String(ex.body?.to?.postal_code ?? '');
      if (!/^\d{8}$/.test(to))
        return invalid({ 'to.postal_code': ['O campo to.postal code é obrigatório.'] });
      const wanted = String(ex.body?.services ?? Object.keys(services).join(',')).split(',');
      return {
        status: 200,
        json: wanted.map((id) => {
          const s = services[id as keyof typeof services] as (typeof defaultServices)['1'] | undefined;
          if (!s) return { id: Number(id), name: id, error: 'Serviço inexistente.' };
          if (unserved.has(to))
            return {
              id: Number(id),
              name: s.name,
              error: 'Transportadora não atende este trecho.',
              company: { id: 1, name: s.company },
            };
          return {
            id: Number(id),
            name: s.name,
            price: s.price,
            custom_price: s.price,
            discount: '0.00',
            currency: 'R$',
            delivery_time: s.days,
            custom_delivery_time: s.days,
            delivery_range: { min: s.days - 1, max: s.days },
            company: { id: 1, name: s.company, picture: '' },
          };
        }),
      };
    }

    if (ex.method === 'POST' && path === '/cart') {
      const b = ex.body;
      if (!b?.service || !b?.from?.postal_code || !b?.to?.postal_code || !Array.isArray(b?.volumes))
        return invalid({ service: ['O campo service é obrigatório.'] });
      if (!b.options?.non_commercial && !b.options?.invoice?.key)
        return invalid({
          'options.invoice.key': ['A chave da nota fiscal é obrigatória para envios comerciais.'],
        });
      const id = randomUUID();
      const order: MeOrder = {
        id,
        protocol: `ORD-2026${sequence++}`,
        service_id: Number(b.service),
        status: 'pending',
        tracking: null,
        tags: Array.isArray(b.options?.tags) ? b.options.tags : [],
        body: b,
        purchases: 0,
        paid_at: null,
        generated_at: null,
        posted_at: null,
        delivered_at: null,
        canceled_at: null,
        updated_at: meNow(),
      };
      orders.set(id, order);
      return { status: 201, json: view(order) };
    }

    if (ex.method === 'GET' && path === '/orders/search') {
      const q = ex.query.get('q') ?? '';
      const found = [...orders.values()].filter(
        (o) => o.id === q || o.protocol === q || o.tracking === q || o.tags.some((t) => t.tag === q),
      );
      return { status: 200, json: found.map(view) };
    }

    if (ex.method === 'POST' && path === '/shipment/checkout') {
      const ids = idsOf(ex);
      if (!ids?.length || !ids.every((id) => orders.get(id)?.status === 'pending'))
        return invalid({ orders: ['Os envios informados não estão no carrinho.'] });
      for (const id of ids) {
        const o = orders.get(id)!;
        o.status = 'released';
        o.purchases++;
        o.paid_at = o.updated_at = meNow();
      }
      if (failCheckout) {
        failCheckout = false;
        return { status: 500, json: { message: 'Server Error' } };
      }
      return {
        status: 200,
        json: {
          purchase: {
            id: randomUUID(),
            protocol: `PUR-2026${sequence++}`,
            status: 'paid',
            orders: ids.map((id) => view(orders.get(id)!)),
          },
        },
      };
    }

    if (ex.method === 'POST' && path === '/shipment/generate') {
      const ids = idsOf(ex);
      if (!ids?.length) return invalid({ orders: ['O campo orders é obrigatório.'] });
      const answer: Record<string, { status: boolean; message: string }> = {};
      for (const id of ids) {
        const o = orders.get(id);
        if (o?.status !== 'released') {
          answer[id] = { status: false, message: 'Envio não está pago.' };
          continue;
        }
        o.status = 'generated';
        o.tracking = `ME26${sequence++}`;
        o.generated_at = o.updated_at = meNow();
        answer[id] = { status: true, message: 'Envio gerado com sucesso' };
      }
      return { status: 200, json: answer };
    }

    if (ex.method === 'POST' && path === '/shipment/print') {
      const ids = idsOf(ex);
      if (
        !ids?.length ||
        !ids.every((id) => ['generated', 'posted', 'delivered'].includes(orders.get(id)?.status ?? ''))
      )
        return invalid({ orders: ['Etiquetas não geradas.'] });
      const key = randomUUID();
      prints.set(key, ids[0]!);
      return { status: 200, json: { url: `${baseUrl}/imprimir/${key}` } };
    }

    if (ex.method === 'POST' && path === '/shipment/tracking') {
      const ids = idsOf(ex);
      if (!ids?.length) return invalid({ orders: ['O campo orders é obrigatório.'] });
      const answer: Record<string, unknown> = {};
      for (const id of ids) {
        const o = orders.get(id);
        if (o)
          answer[id] = {
            id: o.id,
            protocol: o.protocol,
            status: o.status,
            tracking: o.tracking,
            melhorenvio_tracking: o.tracking ? `ME${o.protocol}` : null,
            created_at: o.updated_at,
            paid_at: o.paid_at,
            generated_at: o.generated_at,
            posted_at: o.posted_at,
            delivered_at: o.delivered_at,
            canceled_at: o.canceled_at,
            expired_at: null,
            updated_at: o.updated_at,
          };
      }
      return { status: 200, json: answer };
    }

    if (ex.method === 'POST' && path === '/shipment/cancel') {
      const id = String(ex.body?.order?.id ?? '');
      const o = orders.get(id);
      if (!o) return invalid({ 'order.id': ['Envio não encontrado.'] });
      if (['posted', 'delivered'].includes(o.status))
        return { status: 200, json: { [id]: { canceled: false } } };
      o.status = 'canceled';
      o.canceled_at = o.updated_at = meNow();
      return { status: 200, json: { [id]: { canceled: true } } };
    }
    return { status: 404, json: { message: `Not found: ${ex.method} ${ex.path}` } };
  }

  function view(o: MeOrder) {
    const { body: _body, purchases: _purchases, ...rest } = o;
    return { ...rest, service_id: o.service_id };
  }

  const api = {
    url: '',
    failure: 'none' as Failure,
    requests,
    orders,
    addEvent(key: string, status: 'posted' | 'delivered' | 'undelivered' | 'canceled') {
      const o = orders.get(key) ?? [...orders.values()].find((x) => x.tracking === key);
      if (!o) throw new Error(`no Melhor Envio order ${key}`);
      o.status = status;
      o.updated_at = meNow();
      if (status === 'posted') o.posted_at = o.updated_at;
      if (status === 'delivered') o.delivered_at = o.updated_at;
      if (status === 'canceled') o.canceled_at = o.updated_at;
      return o;
    },
    signedWebhook(event: string, orderId: string, secret = opts.webhookSecret) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no Melhor Envio order ${orderId}`);
      const body = JSON.stringify({
        event,
        data: {
          ...view(o),
          user_id: 'user-1',
          self_tracking: o.tracking,
          tracking_url: o.tracking ? `https://melhorrastreio.com.br/rastreio/${o.tracking}` : null,
        },
      });
      const signature = createHmac('sha256', secret).update(body).digest('base64');
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-me-signature': signature,
          'user-agent': 'MelhorEnvio-Webhook',
        },
      };
    },
    async pushWebhook(url: string, event: string, orderId: string, secret = opts.webhookSecret) {
      const { body, headers } = api.signedWebhook(event, orderId, secret);
      const res = await fetch(url, { method: 'POST', headers, body });
      return { status: res.status, body: await res.text() };
    },
    close: async () => {},
  };
  const server = await listen(handle, () => api.failure, requests);
  api.url = baseUrl = server.url;
  api.close = server.close;
  return api;
}
