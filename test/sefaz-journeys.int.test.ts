/**
 * Issue 14's acceptance journeys: a store's documents go through the real SEFAZ client to a local
 * mutual-TLS SEFAZ (test/sefaz-server) — synchronous and asynchronous authorisation, denial, a lost answer
 * adopted, a timeout resolved by consulting, cancellation in and out of its window, the correction letter,
 * a voided range, SVC contingency — and the journeys that do not need a misbehaving SEFAZ run against the
 * simulator too, so both authorisers keep the same behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../src/app.ts';
import { AUTHORISE_QUEUE, loadEndpointTable } from '../src/fiscal/authorizer/index.ts';
import { reserveDocumentNumber } from '../src/fiscal/records.ts';
import { documentsFor } from '../src/fiscal/service.ts';
import { validateXml } from '../src/fiscal/xml/index.ts';
import { invoiceOrder } from '../src/orders/invoicing.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import { transaction } from '../src/platform/db/transaction.ts';
import { type Job, startWorker } from '../src/platform/jobs/service.ts';
import { databaseKinds, startTestApp, type TestApp } from './harness.ts';
import { ADMIN, confer, createOrder, LOJA11, PLATFORM } from './order-fixtures.ts';
import { textOf } from './pdf.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';
import { type SefazTestServer, startSefazTestServer } from './sefaz-server/index.ts';

const HOUR = 3_600_000;
const authorisers = ['sefaz', 'simulator'] as const;

const cases = databaseKinds().flatMap((kind) => authorisers.map((authoriser) => ({ kind, authoriser })));

describe.each(cases)('SEFAZ journeys on $kind with the $authoriser authoriser', ({ kind, authoriser }) => {
  let t: TestApp;
  let server: SefazTestServer | undefined;
  /** Shared by Omnihub and the local SEFAZ: a test steps it past the cancellation window. */
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const onSefaz = authoriser === 'sefaz';

  beforeAll(async () => {
    if (onSefaz) server = await startSefazTestServer({ clock });
    t = await startTestApp(kind, {
      clock,
      sefaz: server && {
        // Through the contract's override file, as an installation pointing at a proxy would.
        endpoints: loadEndpointTable({ OMNIHUB_SEFAZ_ENDPOINTS: server.endpointsFile }),
        trustedCa: [server.caPem],
        timeoutMs: 1500,
      },
    });
    if (!server) return;
    const [store] = await rows<{ cnpj: string; legal_name: string }>(
      t.database.db,
      sql`select cnpj, legal_name from nodes where code = '11'`,
    );
    const current = await t.request('GET', '/api/v1/nodes/11/fiscal-settings', { auth: ADMIN });
    // A legacy RC2-40 .pfx, as many stores' A1 files are: Node's OpenSSL 3 alone would refuse it.
    const { pkcs12 } = server.issueClientCertificate({
      legalName: store!.legal_name,
      cnpj: store!.cnpj,
      password: 'a1-da-loja',
      legacy: true,
    });
    const put = await t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
      auth: ADMIN,
      body: {
        taxRegime: current.body.taxRegime,
        authorizer: 'sefaz',
        certificate: { pkcs12: pkcs12.toString('base64'), password: 'a1-da-loja' },
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.authorizer).toBe('sefaz');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  async function move(id: string, to: string) {
    const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, { auth: LOJA11, body: { to } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** One unit of each SKU store 11 holds, as many times as it holds it: a dozen orders need more than one SKU. */
  let units: string[] = [];
  async function shipOrderInPicking() {
    if (units.length === 0) {
      const stock = await t.request('GET', '/api/v1/stock?storeCode=11', { auth: PLATFORM });
      units = stock.body.items.flatMap((i: { sku: string; available: number }) =>
        Array.from({ length: i.available }, () => i.sku),
      );
    }
    const sku = units.shift() ?? 'CAL-002';
    const order = await createOrder(t, { deliveryType: 'ship', freight: '9.90', lines: [[sku, 1, '99.90']] });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(order.id, 'picking');
    await confer(t, order.id);
    return order.id as string;
  }

  const invoice = (orderId: string) =>
    t.request('POST', `/api/v1/orders/${orderId}/invoice`, { auth: LOJA11 });

  const document = async (id: string) =>
    (await t.request('GET', `/api/v1/fiscal-documents/${id}`, { auth: LOJA11 })).body;

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`still waiting for ${what}`);
  }

  /** The calls the local SEFAZ received of a service, since `from`. */
  const calls = (service: string, from = 0) =>
    (server?.received ?? []).slice(from).filter((call) => call.service === service);

  it('invoices a ship order: the NF-e authorised, its nfeProc valid against the official schema', async () => {
    const before = server?.received.length ?? 0;
    const res = await invoice(await shipOrderInPicking());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.order.status).toBe('invoiced');
    const doc = await document(res.body.fiscalDocument.id);
    expect(doc).toMatchObject({ status: 'authorised' });
    expect(doc.protocol).toMatch(/^[0-9]{15}$/);
    const xml = await t.request('GET', `/api/v1/fiscal-documents/${doc.id}/xml`, { auth: LOJA11 });
    expect(xml.body).toContain(`<nProt>${doc.protocol}</nProt>`);
    expect((await validateXml(xml.body, 'procNFe')).ok).toBe(true);
    if (!server) return;
    const [sent] = calls('NFeAutorizacao4', before);
    // Store 11 is in São Paulo: its own authoriser, homologação, the store's certificate at TLS.
    expect(sent).toMatchObject({
      model: '55',
      authoriser: 'SP',
      environment: 'homologacao',
      itemStatus: 100,
    });
    expect(sent!.clientSubject).toContain(doc.accessKey.slice(6, 20));
  });

  it('cancels within the window; past 24 h SEFAZ answers 501 and the NF-e stays authorised', async () => {
    const first = await invoice(await shipOrderInPicking());
    const cancelled = await t.request(
      'POST',
      `/api/v1/fiscal-documents/${first.body.fiscalDocument.id}/cancel`,
      {
        auth: LOJA11,
        body: { justification: 'Cliente desistiu da compra antes do envio' },
      },
    );
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');

    const second = await invoice(await shipOrderInPicking());
    offset += 25 * HOUR;
    try {
      const late = await t.request(
        'POST',
        `/api/v1/fiscal-documents/${second.body.fiscalDocument.id}/cancel`,
        {
          auth: LOJA11,
          body: { justification: 'Cliente desistiu da compra depois do prazo' },
        },
      );
      expect(late.status, JSON.stringify(late.body)).toBe(422);
      expect(late.body.rejection).toMatchObject({ code: 501 });
      expect((await document(second.body.fiscalDocument.id)).status).toBe('authorised');
    } finally {
      offset -= 25 * HOUR;
    }
  });

  it('registers a correction letter, then a second one with the next sequence', async () => {
    const res = await invoice(await shipOrderInPicking());
    const eventsBefore = server?.received.length ?? 0;
    const id = res.body.fiscalDocument.id;
    for (const [sequence, text] of [
      [1, 'Corrigir o complemento do endereço de entrega: bloco B'],
      [2, 'Corrigir o complemento do endereço de entrega: bloco C, apto 12'],
    ] as const) {
      const letter = await t.request('POST', `/api/v1/fiscal-documents/${id}/correction-letters`, {
        auth: LOJA11,
        body: { text },
      });
      expect(letter.status, JSON.stringify(letter.body)).toBe(200);
      const event = letter.body.events.find(
        (e: { sequence: number; kind: string }) => e.sequence === sequence,
      );
      expect(event).toMatchObject({ status: 'registered', text });
    }
    // SEFAZ registered each letter (135). On a loaded machine the client may time out and send one again,
    // which SEFAZ answers 573 (already registered) and the protocol is read back: still one letter each.
    if (server)
      expect(calls('NFeRecepcaoEvento4', eventsBefore).filter((c) => c.itemStatus === 135)).toHaveLength(2);
  });

  it('voids a number a crash left unused (inutilização), and SEFAZ answers 102', async () => {
    const res = await invoice(await shipOrderInPicking());
    const doc = await document(res.body.fiscalDocument.id);
    const [store] = await rows<{ id: string }>(t.database.db, sql`select id from nodes where code = '11'`);
    // A crash between taking the number and recording its document leaves it unused.
    const reserved = await transaction(t.database.db, (tx) =>
      reserveDocumentNumber(tx, { storeId: store!.id, model: 55, series: doc.series }),
    );
    if (!reserved.ok) throw new Error(reserved.failure.code);
    await invoice(await shipOrderInPicking()); // the next document is issued: the gap is behind it
    const voided = await t.request('POST', '/api/v1/fiscal/voided-ranges', {
      auth: LOJA11,
      body: {
        storeCode: '11',
        model: 55,
        series: doc.series,
        from: reserved.value,
        to: reserved.value,
        justification: 'Numero pulado por queda do sistema na emissao',
      },
    });
    expect([200, 201, 202], JSON.stringify(voided.body)).toContain(voided.status);
    const range = await until(
      async () =>
        (await t.request('GET', `/api/v1/fiscal/voided-ranges/${voided.body.id}`, { auth: LOJA11 })).body,
      (r) => r.status !== 'sending',
      'the voided range',
    );
    expect(range).toMatchObject({ status: 'voided' });
    expect(range.protocol).toMatch(/^[0-9]{15}$/);
    if (server) expect(calls('NFeInutilizacao4').at(-1)).toMatchObject({ cStat: 102 });
  });

  it('SVC contingency: the admin confirms it, the NF-e goes to SVC-AN with tpEmis 6, and the mode is left', async () => {
    const enter = await t.request('POST', '/api/v1/fiscal/contingency/svc', {
      auth: ADMIN,
      body: { storeCode: '11', justification: 'SEFAZ-SP fora do ar desde as 10h, sem previsao' },
    });
    expect([200, 201], JSON.stringify(enter.body)).toContain(enter.status);
    try {
      const before = server?.received.length ?? 0;
      const res = await invoice(await shipOrderInPicking());
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const doc = await document(res.body.fiscalDocument.id);
      expect(doc.status).toBe('authorised');
      expect(doc.accessKey[34]).toBe('6');
      const xml = await t.request('GET', `/api/v1/fiscal-documents/${doc.id}/xml`, { auth: LOJA11 });
      expect(xml.body).toContain('<tpEmis>6</tpEmis>');
      expect(xml.body).toContain('<xJust>SEFAZ-SP fora do ar desde as 10h, sem previsao</xJust>');
      const danfe = await t.app.inject({
        method: 'GET',
        url: `/api/v1/fiscal-documents/${doc.id}/danfe.pdf`,
        headers: { authorization: `Bearer ${await t.token(LOJA11)}` },
      });
      expect(textOf(danfe.rawPayload)).toContain('EMITIDA EM CONTINGÊNCIA SVC-AN');
      if (server)
        expect(calls('NFeAutorizacao4', before)[0]).toMatchObject({ authoriser: 'SVCAN', itemStatus: 100 });
    } finally {
      const reason = encodeURIComponent('SEFAZ-SP voltou a responder');
      const leave = await t.request(
        'DELETE',
        `/api/v1/fiscal/contingency/svc?storeCode=11&reason=${reason}`,
        {
          auth: ADMIN,
        },
      );
      expect(leave.status, JSON.stringify(leave.body)).toBeLessThan(300);
    }
    const after = await invoice(await shipOrderInPicking());
    expect((await document(after.body.fiscalDocument.id)).accessKey[34]).toBe('1');
  });

  describe.skipIf(!onSefaz)('what only a misbehaving SEFAZ shows', () => {
    it('authorises through an asynchronous batch: 103, then 105, then 104 with the protocol', async () => {
      server!.behave('NFeAutorizacao4', { async: { tMed: 1, pending: 1 } });
      const before = server!.received.length;
      const res = await invoice(await shipOrderInPicking());
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.order.status).toBe('invoiced');
      expect(calls('NFeAutorizacao4', before).map((c) => c.cStat)).toEqual([103]);
      expect(calls('NFeRetAutorizacao4', before).map((c) => c.cStat)).toEqual([105, 104]);
    });

    it('a denial (302) uses the number up: the order goes back to picking and the next NF-e takes a new number', async () => {
      server!.behave('NFeAutorizacao4', { deny: 302 });
      const orderId = await shipOrderInPicking();
      const denied = await invoice(orderId);
      expect(denied.status, JSON.stringify(denied.body)).toBe(422);
      expect(denied.body.code).toBe('FISCAL.DENIED');
      const deniedDoc = (await t.request('GET', `/api/v1/orders/${orderId}`, { auth: LOJA11 })).body;
      expect(deniedDoc.status).toBe('picking');
      await confer(t, orderId).catch(() => undefined);
      const again = await invoice(orderId);
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      const first = await document(denied.body.fiscalDocument?.id ?? again.body.fiscalDocument.id);
      const second = await document(again.body.fiscalDocument.id);
      expect(second.status).toBe('authorised');
      expect(second.id).not.toBe(first.id);
      expect(second.number).toBeGreaterThan(first.number);
    });

    it('an answer lost after SEFAZ authorised: the retry meets 204, consults and adopts the protocol', async () => {
      server!.behave('NFeAutorizacao4', 'lost-answer');
      const before = server!.received.length;
      const res = await invoice(await shipOrderInPicking());
      const id = res.body.fiscalDocument.id;
      const doc = await until(
        () => document(id),
        (d) => d.status !== 'sending',
        'the NF-e',
      );
      expect(doc.status).toBe('authorised');
      const authorised = calls('NFeAutorizacao4', before).filter((c) => c.itemStatus === 100);
      expect(authorised).toHaveLength(1);
      expect(calls('NFeConsultaProtocolo4', before).length).toBeGreaterThan(0);
    });

    it.each([
      ['resets the connection', 'reset'],
      ['answers HTTP 500', { http: 500 }],
      ['answers garbage', 'garbage'],
      ['answers a SOAP fault', 'soap-fault'],
    ] as const)(
      'a SEFAZ that %s: the NF-e is authorised once on the retry, nothing lost',
      async (_, behaviour) => {
        server!.behave('NFeAutorizacao4', behaviour);
        const before = server!.received.length;
        const res = await invoice(await shipOrderInPicking());
        const id = res.body.fiscalDocument.id;
        const doc = await until(
          () => document(id),
          (d) => d.status !== 'sending',
          'the NF-e',
        );
        expect(doc.status).toBe('authorised');
        const sends = calls('NFeAutorizacao4', before);
        expect(sends[0]?.fault).toBeDefined();
        expect(sends.filter((c) => c.itemStatus === 100)).toHaveLength(1);
        const order = (await t.request('GET', `/api/v1/orders/${res.body.order.id}`, { auth: LOJA11 })).body;
        expect(order.status).toBe('invoiced');
      },
    );

    it('a correction letter whose answer was lost: the resend meets 573 and the protocol is read back', async () => {
      const res = await invoice(await shipOrderInPicking());
      const id = res.body.fiscalDocument.id;
      server!.behave('NFeRecepcaoEvento4', 'lost-answer');
      const before = server!.received.length;
      const text = 'Corrigir a referência do endereço: em frente à praça';
      await t.request('POST', `/api/v1/fiscal-documents/${id}/correction-letters`, {
        auth: LOJA11,
        body: { text },
      });
      const doc = await until(
        () => document(id),
        (d) => d.events.some((e: { status: string }) => e.status !== 'sending'),
        'the correction letter',
      );
      expect(doc.events.find((e: { text: string }) => e.text === text)).toMatchObject({
        status: 'registered',
      });
      expect(doc.events.find((e: { text: string }) => e.text === text).protocol).toMatch(/^[0-9]{15}$/);
      expect(calls('NFeRecepcaoEvento4', before).map((c) => c.itemStatus)).toEqual([135, 573]);
    });

    it('a SEFAZ that hangs: the client times out, the retry consults (217) and sends once', async () => {
      server!.behave('NFeAutorizacao4', 'hang');
      const before = server!.received.length;
      const res = await invoice(await shipOrderInPicking());
      const id = res.body.fiscalDocument.id;
      const doc = await until(
        () => document(id),
        (d) => d.status !== 'sending',
        'the NF-e',
      );
      expect(doc.status).toBe('authorised');
      const sends = calls('NFeAutorizacao4', before);
      expect(sends.filter((c) => c.itemStatus === 100)).toHaveLength(1);
      const consults = calls('NFeConsultaProtocolo4', before);
      expect(consults[0]).toMatchObject({ cStat: 217 });
      // A real 1.5 s client timeout, a retry after the worker's backoff and a consult: seconds on an idle
      // machine, but the whole budget of the default timeout when the other test worker loads the CPU.
    }, 120_000);

    it('SEFAZ answers twice (two workers send the same NF-e, a lease that ran out mid-call): one authorisation, the order invoiced once', async () => {
      await t.worker.stop();
      const [node] = await rows<{ id: string; path: string; network_id: string }>(
        t.database.db,
        sql`select id, path, network_id from nodes where code = '11'`,
      );
      const manager = {
        kind: 'user' as const,
        id: 'journey-manager',
        name: 'Gerente',
        actor: 'store_manager' as const,
        nodeId: node!.id,
        nodePath: node!.path,
        networkId: node!.network_id,
      };
      const handlers = jobHandlers(t.database, t.authorizers, { secretKey: TEST_SECRET_KEY, clock });
      try {
        const orderId = await shipOrderInPicking();
        const issued = await invoiceOrder(t.database.db, { secretKey: TEST_SECRET_KEY }, manager, orderId);
        expect(issued.ok, JSON.stringify(issued)).toBe(true);
        const [doc] = await documentsFor(t.database.db, 'order', orderId);
        const before = server!.received.length;
        const ctx = {
          db: t.database.db,
          job: { payload: { documentId: doc!.id } } as unknown as Job,
          progress: async () => undefined,
        };
        const attempts = await Promise.allSettled([
          handlers[AUTHORISE_QUEUE]!(ctx),
          handlers[AUTHORISE_QUEUE]!(ctx),
        ]);
        expect(attempts.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled']);
        expect((await document(doc!.id)).status).toBe('authorised');
        const sends = calls('NFeAutorizacao4', before);
        // Both sent it: SEFAZ authorised the first and answered the second 204, which consulted and adopted.
        expect(sends.map((c) => c.itemStatus)).toEqual([100, 204]);
        expect(calls('NFeConsultaProtocolo4', before).map((c) => c.cStat)).toEqual([100]);
        const order = (await t.request('GET', `/api/v1/orders/${orderId}`, { auth: LOJA11 })).body;
        expect(order.status).toBe('invoiced');
        expect(order.history.filter((h: { to: string }) => h.to === 'invoiced')).toHaveLength(1);
      } finally {
        t.worker = startWorker(t.database.db, handlers, { pollMs: 50 });
      }
    });
  });
});
