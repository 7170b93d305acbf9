import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, RECEIVER_HOSTS, startTestApp, type TestApp } from '../../test/harness.ts';
import { generateTestCertificate } from '../fiscal/xml/index.ts';
import { pgErrorCode, rows } from '../platform/db/sql.ts';
import { MASK, MASK_CHANGED } from './domain.ts';

const admin = 'admin@demo.local';
const central = 'central.audit@demo.local';
const CENTRAL_PASSWORD = 'Registro-do-Sul-2026';
const url = '/api/v1/audit-events';

interface Event {
  id: string;
  at: string;
  actor: { kind: string; id: string | null; name: string; role: string | null; address: string | null };
  action: string;
  target: { type: string; id: string; label: string; nodeCode: string | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe.each(databaseKinds())('the audit log on the %s database', (kind) => {
  let t: TestApp;
  const events = async (query = '', auth = admin): Promise<Event[]> => {
    const res = await t.request('GET', `${url}${query}`, { auth });
    expect(res.status).toBe(200);
    return res.body.items;
  };
  /** The newest event of an action (the log answers newest first). */
  const latest = async (action: string) => (await events(`?action=${action}`))[0];

  beforeAll(async () => {
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS });
    await t.deliveries.stop();
    const res = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: {
        email: central,
        name: 'Central Sul',
        password: CENTRAL_PASSWORD,
        role: 'central_admin',
        nodeCode: 'SUL',
      },
    });
    expect(res.status).toBe(201);
    const login = await t.request('POST', '/api/v1/auth/login', {
      body: { email: central, password: CENTRAL_PASSWORD },
    });
    expect(login.status).toBe(200);
    centralToken = login.body.token;
  });
  let centralToken: string;
  afterAll(() => t?.close());

  it('refuses UPDATE, DELETE and TRUNCATE of audit_events in the database itself', async () => {
    await t.request('PUT', '/api/v1/nodes/SUL/parameters/TP_UTILIZA_PRATELEIRA', {
      auth: admin,
      body: { value: false },
    });
    const db = t.database.db;
    const count = async () =>
      Number((await rows<{ n: number | string }>(db, sql`select count(*) as n from audit_events`))[0]!.n);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    const refusal = async (statement: Promise<unknown>) => {
      const error = await statement.then(
        () => null,
        (e: unknown) => e,
      );
      return { code: pgErrorCode(error), message: String((error as { cause?: Error })?.cause?.message) };
    };
    const refused = { code: '42501', message: expect.stringContaining('append-only') };
    expect(await refusal(db.execute(sql`update audit_events set action = 'forged'`))).toEqual(refused);
    expect(await refusal(db.execute(sql`delete from audit_events`))).toEqual(refused);
    expect(await refusal(db.execute(sql`truncate audit_events`))).toEqual(refused);
    expect(await count()).toBe(before);
    expect((await events('?action=forged')).length).toBe(0);
  });

  it('records a parameter set and cleared with before, after, actor and scope; a refused value writes nothing', async () => {
    const path = '/api/v1/nodes/11/parameters/9259';
    expect((await t.request('PUT', path, { auth: admin, body: { value: '7' } })).status).toBe(200);
    const set = await latest('parameter.set');
    expect(set).toMatchObject({
      action: 'parameter.set',
      actor: { kind: 'user', name: expect.any(String), role: 'network_admin', address: expect.any(String) },
      target: { type: 'parameter', id: '9259@11', label: '9259', nodeCode: '11' },
      before: { value: '1' },
      after: { value: '7' },
    });
    expect(set!.actor.address).not.toBe('');
    const count = (await events('?action=parameter')).length;
    // A value of the wrong type is refused before anything is written: no event.
    expect((await t.request('PUT', path, { auth: admin, body: { value: 42 } })).status).toBe(422);
    // The same value again changes nothing: no event either.
    expect((await t.request('PUT', path, { auth: admin, body: { value: '7' } })).status).toBe(200);
    expect((await events('?action=parameter')).length).toBe(count);

    expect((await t.request('DELETE', path, { auth: admin })).status).toBe(200);
    expect(await latest('parameter.cleared')).toMatchObject({ before: { value: '7' }, after: null });
    // Clearing what is not held is no change.
    expect((await t.request('DELETE', path, { auth: admin })).status).toBe(200);
    expect((await events('?action=parameter')).length).toBe(count + 1);
  });

  it('records fiscal settings with the certificate by subject and validity, its password and the CSC masked', async () => {
    const password = 'senha-do-certificado-secreta';
    const own = generateTestCertificate({ legalName: 'Loja 11 Nova', cnpj: '45997418000153', password });
    const pkcs12 = own.pkcs12.toString('base64');
    const wrong = await t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
      auth: admin,
      body: { taxRegime: 1, certificate: { pkcs12, password: 'errada' } },
    });
    expect(wrong.status).toBe(422);
    expect((await events('?action=fiscal_settings')).length).toBe(0);

    const put = await t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
      auth: admin,
      body: {
        taxRegime: 1,
        certificate: { pkcs12, password },
        csc: { id: '2', token: 'ABCDEF0123456789ABCDEF' },
      },
    });
    expect(put.status).toBe(200);
    const e = (await latest('fiscal_settings.changed'))!;
    expect(e.target).toMatchObject({ type: 'fiscal_settings', nodeCode: '11' });
    expect(e.before).toMatchObject({ certificatePassword: MASK, cscToken: MASK, cscId: '1' });
    expect(e.after).toMatchObject({
      certificateSubject: expect.stringContaining('45997418000153'),
      certificateValidUntil: own.certificate.notAfter.toISOString(),
      certificatePassword: MASK_CHANGED,
      cscToken: MASK_CHANGED,
      cscId: '2',
    });
    const raw = JSON.stringify(e);
    expect(raw).not.toContain(password);
    expect(raw).not.toContain('ABCDEF0123456789');
    expect(raw).not.toContain(pkcs12.slice(0, 40));
  });

  it('records fiscal operations set and cleared at their node', async () => {
    const path = '/api/v1/nodes/SUL/fiscal-operations/home_delivery';
    const put = await t.request('PUT', path, {
      auth: admin,
      body: { cfopIntrastate: '5405', cfopInterstate: '6404' },
    });
    expect(put.status).toBe(200);
    expect(await latest('fiscal_operation.set')).toMatchObject({
      target: { type: 'fiscal_operation', id: 'home_delivery@SUL', nodeCode: 'SUL' },
      before: null,
      after: { cfopIntrastate: '5405', cfopInterstate: '6404' },
    });
    expect((await t.request('DELETE', path, { auth: admin })).status).toBe(200);
    expect(await latest('fiscal_operation.cleared')).toMatchObject({
      before: { cfopIntrastate: '5405' },
      after: null,
    });
  });

  it('records a webhook with its secret masked, and its removal', async () => {
    const clients = (await t.request('GET', '/api/v1/api-clients', { auth: admin })).body.items;
    const client = clients.find((c: { scope: string }) => c.scope === 'platform');
    const hook = `/api/v1/api-clients/${client.id}/webhook`;
    const secret = 'webhook-secret-never-logged-1234';
    const body = { url: 'http://127.0.0.1:9/hook', secret };
    expect((await t.request('PUT', hook, { auth: admin, body })).status).toBe(200);
    expect(await latest('webhook.set')).toMatchObject({
      target: { type: 'webhook', id: client.id, nodeCode: client.nodeCode },
      before: null,
      after: { url: body.url, active: true, secret: MASK },
    });
    const rotated = { url: body.url, secret: 'another-secret-never-logged-9876' };
    expect((await t.request('PUT', hook, { auth: admin, body: rotated })).status).toBe(200);
    expect(await latest('webhook.set')).toMatchObject({
      before: { secret: MASK },
      after: { secret: MASK_CHANGED },
    });
    expect((await t.request('DELETE', hook, { auth: admin })).status).toBe(204);
    expect(await latest('webhook.removed')).toMatchObject({ before: { url: body.url }, after: null });
    const raw = JSON.stringify(await events('?target=webhook'));
    expect(raw).not.toContain('never-logged');
  });

  it('records delivery experiences and the transit table', async () => {
    const created = await t.request('POST', '/api/v1/delivery-experiences', {
      auth: admin,
      body: { code: 'AUD', description: 'Retirada auditada', type: 'pickup', storeCodes: ['11'] },
    });
    expect(created.status).toBe(201);
    expect(await latest('delivery_experience.created')).toMatchObject({
      target: { type: 'delivery_experience', id: 'AUD', nodeCode: 'DEMO' },
      before: null,
      after: { description: 'Retirada auditada', type: 'pickup', stores: ['11'] },
    });
    const stores = await t.request('PUT', '/api/v1/delivery-experiences/AUD/stores', {
      auth: admin,
      body: { storeCodes: ['11', '8'] },
    });
    expect(stores.status).toBe(200);
    expect(await latest('delivery_experience.stores_changed')).toMatchObject({
      before: { stores: ['11'] },
      after: { stores: ['11', '8'] },
    });
    const patch = await t.request('PATCH', '/api/v1/delivery-experiences/AUD', {
      auth: admin,
      body: { version: stores.body.version, description: 'Retirada no balcão auditada' },
    });
    expect(patch.status).toBe(200);
    expect(await latest('delivery_experience.updated')).toMatchObject({
      before: { description: 'Retirada auditada' },
      after: { description: 'Retirada no balcão auditada' },
    });
    expect((await t.request('DELETE', '/api/v1/delivery-experiences/AUD', { auth: admin })).status).toBe(204);
    expect(await latest('delivery_experience.deleted')).toMatchObject({ after: null });

    const table = await t.request('PUT', '/api/v1/carrier-transit-times', {
      auth: admin,
      body: {
        items: [{ carrierCode: 'JADLOG', serviceCode: null, fromState: 'SP', toState: 'RJ', days: 2 }],
      },
    });
    expect(table.status).toBe(200);
    const e = (await latest('carrier_transit_times.replaced'))!;
    expect(e.target.nodeCode).toBe('DEMO');
    expect(e.before).toMatchObject({ 'CORREIOS 04014 SP>PR': 3 });
    expect(e.after).toEqual({ 'JADLOG * SP>RJ': 2 });
  });

  it('records catalogue changes: product, e-commerce flags one by one and in bulk, prices, promotions', async () => {
    const product = (await t.request('GET', '/api/v1/products/CAM-002', { auth: admin })).body;
    const patch = await t.request('PATCH', '/api/v1/products/CAM-002', {
      auth: admin,
      body: { version: product.version, description: 'Camiseta auditada' },
    });
    expect(patch.status).toBe(200);
    expect(await latest('product.updated')).toMatchObject({
      target: { type: 'product', id: 'CAM-002', nodeCode: 'DEMO' },
      before: { description: product.description },
      after: { description: 'Camiseta auditada' },
    });

    const flags = await t.request('PUT', '/api/v1/products/CAM-002/ecommerce', {
      auth: admin,
      body: { integratesEcommerce: true, activeEcommerce: !product.activeEcommerce },
    });
    expect(flags.status).toBe(200);
    expect(await latest('product.ecommerce_changed')).toMatchObject({
      target: { id: 'CAM-002' },
      after: { activeEcommerce: !product.activeEcommerce },
    });

    const skus = ['CAL-001', 'VES-001', 'BOL-001'];
    const listed = await Promise.all(
      skus.map(async (s) => (await t.request('GET', `/api/v1/products/${s}`, { auth: admin })).body),
    );
    const toChange = listed.filter((p) => p.integratesEcommerce).map((p) => p.sku);
    const before = (await events('?action=product.ecommerce_changed')).length;
    const bulk = await t.request('POST', '/api/v1/products/ecommerce/bulk', {
      auth: admin,
      body: { filter: { sku: skus }, set: { integratesEcommerce: false } },
    });
    expect(bulk.status).toBe(202);
    t.worker.wake();
    let job: { status: string } = { status: 'queued' };
    for (let i = 0; i < 200 && !['done', 'failed'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await t.request('GET', `/api/v1/jobs/${bulk.body.jobId}`, { auth: admin })).body;
    }
    expect(job.status).toBe('done');
    const after = await events('?action=product.ecommerce_changed');
    expect(after.length - before).toBe(toChange.length);
    for (const e of after.slice(0, toChange.length)) {
      expect(toChange).toContain(e.target.id);
      expect(e.actor).toMatchObject({ kind: 'user', role: 'network_admin', address: expect.any(String) });
      expect(e).toMatchObject({
        before: { integratesEcommerce: true },
        after: { integratesEcommerce: false },
      });
    }

    const price = await t.request('PUT', '/api/v1/products/CAM-001/prices/8', {
      auth: admin,
      body: { price: '44.90' },
    });
    expect(price.status).toBe(200);
    expect(await latest('price.set')).toMatchObject({
      target: { type: 'price', id: 'CAM-001@8', nodeCode: '8' },
      before: null,
      after: { price: '44.90' },
    });
    expect((await t.request('DELETE', '/api/v1/products/CAM-001/prices/8', { auth: admin })).status).toBe(
      204,
    );
    expect(await latest('price.removed')).toMatchObject({ before: { price: '44.90' }, after: null });

    const promo = (await t.request('GET', '/api/v1/promotions/VERAO-ECOM', { auth: admin })).body;
    const changed = await t.request('PATCH', '/api/v1/promotions/VERAO-ECOM', {
      auth: admin,
      body: { version: promo.version, discountPercent: '12.00' },
    });
    expect(changed.status).toBe(200);
    expect(await latest('promotion.updated')).toMatchObject({
      target: { type: 'promotion', id: 'VERAO-ECOM', nodeCode: 'DEMO' },
      before: { discountPercent: '10.00' },
      after: { discountPercent: '12.00' },
    });
  });

  it("shows a central admin only its subtree's events and 404 for a node outside it", async () => {
    await t.request('PUT', '/api/v1/nodes/8/parameters/9259', { auth: centralToken, body: { value: '5' } });
    const mine = await events('', centralToken);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => ['SUL', '11', '8', '3'].includes(e.target.nodeCode ?? ''))).toBe(true);
    expect(mine[0]).toMatchObject({
      action: 'parameter.set',
      actor: { name: 'Central Sul', role: 'central_admin' },
      target: { nodeCode: '8' },
    });
    // The network-wide changes (products, the transit table) are the root's: not the central's to read.
    expect(mine.some((e) => e.target.type === 'product')).toBe(false);
    const outside = await t.request('GET', `${url}?node=DEMO`, { auth: centralToken });
    expect(outside.status).toBe(404);
    const inside = await events('?node=8', centralToken);
    expect(inside.every((e) => e.target.nodeCode === '8')).toBe(true);
    expect((await t.request('GET', url, { auth: 'loja11@demo.local' })).status).toBe(403);
  });

  it('filters by period (dates and date-times), actor, target, action and node', async () => {
    const all = await events('?limit=200');
    const newest = all[0]!;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(new Date());
    expect((await events(`?from=${today}&to=${today}&limit=200`)).length).toBe(all.length);
    expect(await events('?to=2020-01-01')).toEqual([]);
    const instant = new Date(new Date(newest.at).getTime() + 1).toISOString();
    expect((await events(`?from=${encodeURIComponent(instant)}`)).length).toBe(0);
    expect((await events(`?to=${encodeURIComponent(instant)}&limit=200`)).length).toBe(all.length);
    // A date-time without an offset is São Paulo time: 3 hours behind UTC.
    const future = new Date(Date.now() + 2 * 3600_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'America/Sao_Paulo',
      dateStyle: 'short',
      timeStyle: 'short',
    })
      .format(future)
      .replace(' ', 'T');
    expect(await events(`?from=${local}`)).toEqual([]);

    const byCentral = await events('?actor=Central%20Sul');
    expect(byCentral.length).toBeGreaterThan(0);
    expect(byCentral.every((e) => e.actor.name === 'Central Sul')).toBe(true);
    const byId = await events(`?actor=${byCentral[0]!.actor.id}`);
    expect(byId.map((e) => e.id)).toEqual(byCentral.map((e) => e.id));
    expect((await events('?target=CAM-002')).every((e) => e.target.id === 'CAM-002')).toBe(true);
    expect((await events('?target=webhook')).every((e) => e.target.type === 'webhook')).toBe(true);
    expect((await events('?action=price')).map((e) => e.action).sort()).toEqual([
      'price.removed',
      'price.set',
    ]);
    expect(
      (await events('?node=SUL&limit=200')).every((e) =>
        ['SUL', '11', '8', '3'].includes(e.target.nodeCode!),
      ),
    ).toBe(true);
  });

  it('pages newest first with a keyset cursor that skips and repeats nothing', async () => {
    const all = await events('?limit=200');
    expect(all.length).toBeGreaterThan(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Event[]; nextCursor: string | null } } = await t.request(
        'GET',
        `${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { auth: admin },
      );
      seen.push(...res.body.items.map((e) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    const ats = all.map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const forged = Buffer.from(JSON.stringify(['not a date', 1])).toString('base64url');
    expect((await t.request('GET', `${url}?cursor=${forged}`, { auth: admin })).status).toBe(422);
  });

  it('answers 422 naming the field for a bad period', async () => {
    for (const [query, path] of [
      ['?from=ontem', '/from'],
      ['?to=2026-02-30', '/to'],
      ['?from=1', '/from'],
      ['?from=2026-05-02&to=2026-05-01', '/to'],
    ] as const) {
      const res = await t.request('GET', `${url}${query}`, { auth: admin });
      expect(res.status, query).toBe(422);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        query,
      ).toEqual([path]);
      const csv = await t.request('GET', `${url}.csv${query}`, { auth: admin });
      expect(csv.status, query).toBe(422);
    }
  });

  it('exports CSV with a BOM, a header, quoting, and formulas neutralised', async () => {
    // A name a spreadsheet would run as a formula, with a comma and quotes to quote.
    const name = '=2+3,"Auditor"';
    const created = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: {
        email: 'formula@demo.local',
        name,
        password: CENTRAL_PASSWORD,
        role: 'network_admin',
        nodeCode: 'DEMO',
      },
    });
    expect(created.status).toBe(201);
    const login = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'formula@demo.local', password: CENTRAL_PASSWORD },
    });
    const put = await t.request('PUT', '/api/v1/nodes/3/parameters/9259', {
      auth: login.body.token,
      body: { value: '9' },
    });
    expect(put.status).toBe(200);
    const res = await t.request('GET', `${url}.csv?action=parameter.set&node=3`, { auth: admin });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toContain('auditoria.csv');
    const text = res.body as string;
    expect(text.startsWith('\uFEFFat,actor,role,address,action,target_type,target,node,changes\r\n')).toBe(
      true,
    );
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    expect(lines.length).toBe(2);
    const [, line] = lines;
    expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T[^,]+Z,"'=2\+3,""Auditor""",network_admin,/);
    expect(line).toContain(',parameter.set,parameter,9259,3,"value: ""1"" → ""9"""');
  });
});
