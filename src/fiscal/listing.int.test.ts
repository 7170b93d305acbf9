import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, confer, createOrder, LOJA8, LOJA11 } from '../../test/order-fixtures.ts';
import { invoicedPickupOrder } from '../../test/pickup-fixtures.ts';
import { TEST_SECRET_KEY } from '../../test/secret-key.ts';
import { buildApp, jobHandlers, simulatorAuthorizer } from '../app.ts';
import { invoiceOrder } from '../orders/invoicing.ts';
import type * as orders from '../orders/service.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { saoPauloDay } from '../platform/format-br.ts';
import { startWorker } from '../platform/jobs/service.ts';
import { type Authorizer, SefazFault } from './authorizer/index.ts';
import { documentsFor, type FiscalDocumentRow } from './service.ts';

interface Item {
  id: string;
  model: number;
  number: number;
  accessKey: string;
  status: string;
  storeCode: string;
  protocol: string | null;
  total: string | null;
  recipient: { name: string; document: string } | null;
  reference: { type: string; id: string; label: string | null };
}

/** The fiscal documents screen's API (issue 14 §6): the list, its filters and paging, and the consultation. */
describe.each(databaseKinds())('the fiscal documents list on %s', (kind) => {
  let t: TestApp;
  let nfce1: FiscalDocumentRow;
  let nfce2: FiscalDocumentRow;
  let nfe: FiscalDocumentRow;
  let manager: orders.OrderCaller;

  async function shipOrderInPicking() {
    const order = await createOrder(t, { deliveryType: 'ship', freight: '12.00' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status, JSON.stringify(picking.body)).toBe(200);
    await confer(t, order.id);
    return order;
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    nfce1 = (await invoicedPickupOrder(t)).document;
    nfce2 = (await invoicedPickupOrder(t)).document;
    const order = await shipOrderInPicking();
    const invoiced = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    [nfe] = (await documentsFor(t.database.db, 'order', order.id)) as [FiscalDocumentRow];
    const [node] = await rows<{ id: string; path: string; network_id: string }>(
      t.database.db,
      sql`select id, path, network_id from nodes where code = '11'`,
    );
    manager = {
      kind: 'user',
      id: 'test-manager',
      name: 'Gerente',
      actor: 'store_manager',
      nodeId: node!.id,
      nodePath: node!.path,
      networkId: node!.network_id,
    };
  }, 120_000);
  afterAll(() => t?.close());

  const list = (query = '', auth = LOJA11) =>
    t.request('GET', `/api/v1/fiscal-documents${query ? `?${query}` : ''}`, { auth });
  const ids = (body: { items: Item[] }) => body.items.map((i) => i.id);
  const consult = (id: string, auth = LOJA11) =>
    t.request('POST', `/api/v1/fiscal-documents/${id}/consult`, { auth });

  it('lists the store’s documents newest first, with what a clerk reads in the table', async () => {
    const res = await list();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const mine = ids(res.body).filter((id) => [nfce1.id, nfce2.id, nfe.id].includes(id));
    expect(mine).toEqual([nfe.id, nfce2.id, nfce1.id]);
    const item = (res.body.items as Item[]).find((i) => i.id === nfe.id)!;
    expect(item).toMatchObject({
      model: 55,
      storeCode: '11',
      status: 'authorised',
      accessKey: nfe.accessKey,
      protocol: nfe.protocol,
      reference: { type: 'order', id: nfe.referenceId },
    });
    expect(item.reference.label).toMatch(/^Pedido \d+/);
    expect(item.total).toMatch(/^\d+\.\d{2}$/);
    expect(item.recipient?.name).toBeTruthy();
    const receipt = (res.body.items as Item[]).find((i) => i.id === nfce1.id)!;
    expect(receipt).toMatchObject({
      model: 65,
      number: nfce1.number,
      recipient: { document: '52998224725' },
    });
  });

  it('filters by model, status, number, key (whole or its beginning), recipient and period', async () => {
    const only = async (query: string) => ids((await list(query)).body);
    expect(await only('model=55')).toContain(nfe.id);
    expect(await only('model=55')).not.toContain(nfce1.id);
    expect(await only('model=65')).toEqual(expect.arrayContaining([nfce1.id, nfce2.id]));
    expect(await only('model=65')).not.toContain(nfe.id);
    expect(await only('status=cancelled')).not.toContain(nfe.id);
    expect(await only('status=authorised&status=cancelled')).toContain(nfe.id);
    expect(await only(`model=55&number=${nfe.number}`)).toEqual([nfe.id]);
    expect(await only(`accessKey=${nfce2.accessKey}`)).toEqual([nfce2.id]);
    // The first 25 digits: UF, month, CNPJ, model and series; then the number tells them apart.
    const prefix = nfce1.accessKey.slice(0, 25);
    expect(await only(`accessKey=${prefix}`)).toEqual(expect.arrayContaining([nfce1.id, nfce2.id]));
    expect(await only(`accessKey=${prefix}`)).not.toContain(nfe.id);
    expect(await only('q=52998224725')).toEqual(expect.arrayContaining([nfce1.id, nfce2.id]));
    expect(await only('q=ninguem-com-este-nome')).toEqual([]);
    const today = saoPauloDay(new Date());
    expect(await only(`from=${today}&to=${today}`)).toEqual(expect.arrayContaining([nfe.id, nfce1.id]));
    expect(await only('from=2020-01-01&to=2020-01-31')).toEqual([]);
    expect(await only('purpose=transfer_out')).not.toContain(nfe.id);
  });

  it('answers 422 to bad filters and changes nothing', async () => {
    for (const query of [
      'model=57',
      'from=2026-02-30',
      'from=2026-03-10&to=2026-03-01',
      'from=2024-01-01&to=2026-01-01',
      'accessKey=abc',
      'cursor=not-a-cursor',
      `cursor=${Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url')}`,
      `cursor=${Buffer.from(JSON.stringify(['2026-02-30 10:00:00+00', '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`,
      `cursor=${Buffer.from(JSON.stringify(['2026-02-10 25:61:00+00', '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`,
      'limit=101',
      'number=0',
      'status=lost',
    ]) {
      const res = await list(query);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(422);
    }
  });

  it('pages newest first without repeating or skipping a document', async () => {
    const all = ids((await list('limit=100')).body);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...ids(res.body));
      cursor = res.body.nextCursor;
    } while (cursor && seen.length < 200);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('shows another store’s user none of them: an empty list, 404 for the store and the consultation', async () => {
    const other = await list('', LOJA8);
    expect(other.status).toBe(200);
    expect(ids(other.body)).not.toContain(nfe.id);
    expect((other.body.items as Item[]).every((i) => i.storeCode === '8')).toBe(true);
    expect((await list('storeCode=11', LOJA8)).status).toBe(404);
    expect((await consult(nfe.id, LOJA8)).status).toBe(404);
    expect(ids((await list('storeCode=11', ADMIN)).body)).toContain(nfe.id);
  });

  it('consults SEFAZ: the authorisation it holds agrees with ours', async () => {
    const res = await consult(nfce1.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      ours: { status: 'authorised', protocol: nfce1.protocol },
      sefaz: { view: 'authorised', status: 100, protocol: nfce1.protocol },
      agrees: true,
      queued: false,
    });
    expect((await consult('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('refuses an eleventh consultation of one key within a minute (SEFAZ’s cStat 656), not of another', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await consult(nfce1.id)).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect((await consult(nfce1.id)).status).toBe(429);
    expect((await consult(nfce2.id)).status).toBe(200);
  });

  it('consults a cancelled NF-e: SEFAZ says 101 with the cancellation’s protocol', async () => {
    const cancelled = await t.request('POST', `/api/v1/fiscal-documents/${nfe.id}/cancel`, {
      auth: LOJA11,
      body: { justification: 'Cliente desistiu da compra antes do envio' },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const res = await consult(nfe.id);
    expect(res.body).toMatchObject({
      ok: true,
      ours: { status: 'cancelled' },
      sefaz: { view: 'cancelled', status: 101 },
      agrees: true,
    });
    expect(ids((await list('status=cancelled')).body)).toContain(nfe.id);
  });

  it('finds an authorisation whose answer was lost and queues its adoption, which runs once', async () => {
    await t.worker.stop();
    let doc: FiscalDocumentRow;
    try {
      const order = await shipOrderInPicking();
      const issued = await invoiceOrder(t.database.db, { secretKey: TEST_SECRET_KEY }, manager, order.id);
      expect(issued.ok, JSON.stringify(issued)).toBe(true);
      [doc] = (await documentsFor(t.database.db, 'order', order.id)) as [FiscalDocumentRow];
      const first = await simulatorAuthorizer(t.database).authorize(doc.xml);
      expect(first.outcome).toBe('authorized');

      const res = await consult(doc.id);
      expect(res.body).toMatchObject({
        ok: true,
        ours: { status: 'sending', protocol: null },
        sefaz: { view: 'authorised', status: 100 },
        agrees: false,
        queued: true,
      });
    } finally {
      t.worker = startWorker(
        t.database.db,
        jobHandlers(t.database, simulatorAuthorizer(t.database), { secretKey: TEST_SECRET_KEY }),
        { pollMs: 50 },
      );
    }
    let now = doc;
    for (let i = 0; i < 400 && now.status === 'sending'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      [now] = (await documentsFor(t.database.db, 'order', doc.referenceId)) as [FiscalDocumentRow];
    }
    expect(now.status).toBe('authorised');
    const order = await t.request('GET', `/api/v1/orders/${doc.referenceId}`, { auth: LOJA11 });
    expect(order.body.status).toBe('invoiced');
    expect(order.body.history.filter((h: { to: string }) => h.to === 'invoiced')).toHaveLength(1);
    expect((await consult(doc.id)).body).toMatchObject({ agrees: true, queued: false });
  });

  it('answers a fault as 200 ok:false with its kind, and writes nothing', async () => {
    const failing = {
      consult: async () => {
        throw new SefazFault(
          'timeout',
          'NFeConsultaProtocolo4',
          'NFeConsultaProtocolo4 did not answer in 30 s',
        );
      },
    } as unknown as Authorizer;
    const app = await buildApp(t.database, {
      logger: false,
      secretKey: TEST_SECRET_KEY,
      authorizers: Object.assign(async () => failing, {
        choose: async () => ({ kind: 'simulator' as const, environment: '2' as const, authorizer: failing }),
      }),
    });
    try {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/fiscal-documents/${nfce2.id}/consult`,
        headers: { authorization: `Bearer ${await t.token(LOJA11)}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        ok: false,
        kind: 'timeout',
        message: 'NFeConsultaProtocolo4 did not answer in 30 s',
      });
    } finally {
      await app.close();
    }
    const [after] = (await documentsFor(t.database.db, 'order', nfce2.referenceId)) as [FiscalDocumentRow];
    expect(after.status).toBe('authorised');
  });
});
