import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, nfeOf } from '../../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import {
  ADMIN,
  addDemoUsers,
  confer,
  createOrder,
  LOJA8,
  LOJA11,
  STAFF11,
} from '../../../test/order-fixtures.ts';
import { sql } from '../../platform/db/sql.ts';
import { type Authorizer, SefazFault } from '../authorizer/index.ts';
import { documentsFor } from '../service.ts';
import { reviveStatusChecks, SVC_CHECK_QUEUE } from './modes.ts';

const JUSTIFICATION = 'SEFAZ-SP sem resposta desde as 10h: contingência SVC confirmada pelo gerente';

/**
 * Issue 14 §4: the NF-e contingency in SVC through the API, with the simulator playing the state's
 * authoriser down (its switch) while SVC answers.
 */
describe.each(databaseKinds())('NF-e contingency in SVC on %s', (kind) => {
  let t: TestApp;
  let simulator: Authorizer;
  /** The state authorises the normal NF-e but its answer is lost: the client meets a timeout. */
  let loseAnswers = false;
  /** The state refuses the envelope (a SOAP fault: not the authoriser down by itself). */
  let refuseEnvelopes = false;
  /** What the state's NFeStatusServico4 answers instead of the simulator's 107. */
  let stateStatus: number | undefined;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      // SEFAZ is kept down here: a request answers 202 after a second rather than 15.
      fiscalAnswerWithinMs: 1000,
      authorizer: (sim) => {
        simulator = sim;
        return {
          ...sim,
          async authorize(xml) {
            if (loseAnswers && xml.includes('<tpEmis>1</tpEmis>') && xml.includes('<mod>55</mod>')) {
              await sim.authorize(xml);
              throw new SefazFault('timeout', 'NFeAutorizacao4', 'NFeAutorizacao4: no answer within 30 s');
            }
            if (refuseEnvelopes && xml.includes('<tpEmis>1</tpEmis>') && xml.includes('<mod>55</mod>'))
              throw new SefazFault('soap_fault', 'NFeAutorizacao4', 'soap:Receiver: Serviço paralisado');
            return sim.authorize(xml);
          },
          async consult(accessKey, xml) {
            // The state is down for its consultation too: the retry cannot read the lost answer back.
            if (loseAnswers && accessKey[34] === '1' && accessKey.slice(20, 22) === '55')
              throw new SefazFault(
                'timeout',
                'NFeConsultaProtocolo4',
                'NFeConsultaProtocolo4: no answer within 30 s',
              );
            return sim.consult(accessKey, xml);
          },
          async status(model) {
            if (stateStatus === undefined) return sim.status(model);
            return {
              status: stateStatus,
              reason: 'Serviço Paralisado Momentaneamente (curto prazo)',
              checkedAt: new Date(),
            };
          },
        };
      },
    });
    await addDemoUsers(t);
  }, 60_000);
  afterAll(() => t?.close());

  const sefaz = (available: boolean) =>
    t.request('PUT', '/api/v1/fiscal/simulator', { auth: ADMIN, body: { available } });
  const modeOf11 = async (auth = LOJA11) =>
    (await t.request('GET', '/api/v1/fiscal/contingency/svc', { auth })).body.items.find(
      (m: { storeCode: string }) => m.storeCode === '11',
    );
  const enter = (justification = JUSTIFICATION, auth = ADMIN, storeCode = '11') =>
    t.request('POST', '/api/v1/fiscal/contingency/svc', { auth, body: { storeCode, justification } });
  const leave = (reason: string, auth = ADMIN) =>
    t.request('DELETE', `/api/v1/fiscal/contingency/svc?storeCode=11&reason=${encodeURIComponent(reason)}`, {
      auth,
    });

  async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** A ship order of store 11 invoiced (its NF-e issued and handed to the outbox). */
  async function invoiceShipOrder() {
    const order = await createOrder(t, { deliveryType: 'ship', freight: '10.00' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status, JSON.stringify(picking.body)).toBe(200);
    await confer(t, order.id);
    const res = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect([200, 202], JSON.stringify(res.body)).toContain(res.status);
    return order.id as string;
  }
  const documentOf = async (orderId: string) => (await documentsFor(t.database.db, 'order', orderId))[0]!;
  const settled = (orderId: string) =>
    until(
      () => documentOf(orderId),
      (d) => d.status !== 'sending',
      `the NF-e of ${orderId}`,
    );
  const listed = async (query = 'state=all') =>
    (await t.request('GET', `/api/v1/fiscal/contingency/documents?${query}`, { auth: LOJA11 })).body;

  let unreachableOrder = '';

  it('the state down without the parameter: the alarm, and the NF-e waits under its normal key', async () => {
    expect(await modeOf11()).toMatchObject({ state: 'off', authoriser: 'SVC-AN', emissionType: 6 });
    expect((await sefaz(false)).status).toBe(200);
    unreachableOrder = await invoiceShipOrder();
    const mode = await until(modeOf11, (m) => m.state === 'alarm', 'the alarm');
    expect(mode.raisedBy).toContain('unreachable');
    expect(mode.since).toBeNull();
    const doc = await documentOf(unreachableOrder);
    expect(doc.status).toBe('sending');
    expect(doc.accessKey[34]).toBe('1');
    // The panel lists it among the documents waiting? Not yet in contingency: only its key in normal emission.
    expect((await listed('state=pending')).items.map((i: { id: string }) => i.id)).not.toContain(doc.id);
    // A status check chain that was lost is queued again by the periodic resend, once.
    await t.database.db.execute(sql`delete from jobs where queue = ${SVC_CHECK_QUEUE} and status = 'queued'`);
    // Two processes' resends at once (`--processes N` start their timers together) queue it once.
    const both = await Promise.all([reviveStatusChecks(t.database.db), reviveStatusChecks(t.database.db)]);
    expect(both.sort()).toEqual([0, 1]);
    expect(await reviveStatusChecks(t.database.db)).toBe(0);
  });

  it('refuses a bad confirmation and changes nothing', async () => {
    const short = await enter('curta');
    expect(short.status).toBe(422);
    expect(short.body.code).toBe('FISCAL.CONTINGENCY_JUSTIFICATION');
    const dash = await enter('SEFAZ-SP fora do ar — desde as 10h');
    expect(dash.status).toBe(422);
    expect(dash.body.code).toBe('FISCAL.CONTINGENCY_JUSTIFICATION_CHARACTER');
    expect((await enter(JUSTIFICATION, STAFF11)).status).toBe(403);
    expect((await enter(JUSTIFICATION, LOJA8)).status).toBe(404);
    expect((await enter(JUSTIFICATION, ADMIN, 'NOPE')).status).toBe(404);
    const missing = await t.request('POST', '/api/v1/fiscal/contingency/svc', {
      auth: ADMIN,
      body: { storeCode: '11' },
    });
    expect(missing.status).toBe(422);
    expect((await leave('x')).status).toBe(422);
    expect((await modeOf11()).state).toBe('alarm');
  });

  it('an admin confirms: the waiting NF-e is issued again in SVC (tpEmis 6) and authorised there; new ones go to SVC', async () => {
    const res = await enter();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ state: 'active', authoriser: 'SVC-AN', justification: JUSTIFICATION });
    expect((await enter()).status).toBe(409);

    const doc = await settled(unreachableOrder);
    expect(doc.status).toBe('authorised');
    expect(doc.accessKey.slice(0, 2)).toBe('35');
    expect(doc.accessKey[34]).toBe('6');
    expect(doc.onlineAccessKey?.[34]).toBe('1');
    expect(doc.accessKey.slice(22, 34)).toBe(doc.onlineAccessKey!.slice(22, 34));
    expect(doc.xml).toContain('<tpEmis>6</tpEmis>');
    expect(doc.xml).toContain(`<xJust>${JUSTIFICATION}</xJust>`);
    expect(doc.xml).toMatch(/<dhCont>[^<]+<\/dhCont>/);
    await expectValidSigned(nfeOf(doc.xml), 'infNFe', 'nfe');
    const order = (await t.request('GET', `/api/v1/orders/${unreachableOrder}`, { auth: LOJA11 })).body;
    expect(order.status).toBe('invoiced');

    const fresh = await invoiceShipOrder();
    const direct = await settled(fresh);
    expect(direct).toMatchObject({ status: 'authorised', onlineAccessKey: null });
    expect(direct.accessKey[34]).toBe('6');

    const page = await listed();
    expect(page.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: doc.id, kind: 'svc', model: 55, emissionType: 6, level: 'done' }),
        expect.objectContaining({ id: direct.id, kind: 'svc', deadline: null }),
      ]),
    );
    expect((await listed('state=all&limit=1')).items).toHaveLength(1);
    expect((await listed('limit=0')).code).toBeDefined();
  });

  it('leaving: new NF-e go to the state again; a document whose send never left needs no reconciliation', async () => {
    expect((await sefaz(true)).status).toBe(200);
    const res = await leave('SEFAZ-SP voltou a responder');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ state: 'off', endReason: 'SEFAZ-SP voltou a responder' });
    expect((await leave('de novo, sem modo')).status).toBe(409);
    const doc = await documentOf(unreachableOrder);
    const item = await until(
      async () => (await listed()).items.find((i: { id: string }) => i.id === doc.id),
      (i) => i?.reconciliation != null,
      'the reconciliation',
    );
    expect(item.reconciliation.state).toBe('not_sent');
    const normal = await settled(await invoiceShipOrder());
    expect(normal.status).toBe('authorised');
    expect(normal.accessKey[34]).toBe('1');
  });

  it('reconciliation: the state had authorised the normal key whose answer was lost → cancelled there, the SVC one stands', async () => {
    loseAnswers = true;
    let orderId: string;
    let onlineKey: string;
    let doc: Awaited<ReturnType<typeof settled>>;
    try {
      orderId = await invoiceShipOrder();
      await until(modeOf11, (m) => m.state === 'alarm', 'the alarm after a timeout');
      const before = await documentOf(orderId);
      expect(before.status).toBe('sending');
      onlineKey = before.accessKey;
      expect((await simulator.consult(onlineKey)).outcome).toBe('authorized');

      expect((await enter()).status).toBe(200);
      doc = await settled(orderId);
      expect(doc.status).toBe('authorised');
      expect(doc.accessKey[34]).toBe('6');
      expect(doc.onlineAccessKey).toBe(onlineKey);
    } finally {
      loseAnswers = false;
    }

    expect((await leave('SEFAZ-SP voltou a responder')).status).toBe(200);
    const item = await until(
      async () => (await listed()).items.find((i: { id: string }) => i.id === doc.id),
      (i) => i?.reconciliation != null,
      'the reconciliation',
    );
    expect(item.reconciliation).toMatchObject({
      state: 'online_cancelled',
      protocol: expect.stringMatching(/^\d{15}$/),
    });
    const state = await simulator.consult(onlineKey);
    expect(state).toMatchObject({ outcome: 'authorized', cancelledProtocol: item.reconciliation.protocol });
    const svc = await simulator.consult(doc.accessKey);
    expect(svc.outcome === 'authorized' && svc.cancelledProtocol).toBeFalsy();
    expect((await documentOf(orderId)).status).toBe('authorised');
    const order = (await t.request('GET', `/api/v1/orders/${orderId}`, { auth: LOJA11 })).body;
    expect(order.status).toBe('invoiced');
  });

  it('with IN_CONTINGENCIA_SVC_AUTO: enters by itself when the state is down, leaves when it answers 107', async () => {
    const set = await t.request('PUT', '/api/v1/nodes/11/parameters/IN_CONTINGENCIA_SVC_AUTO', {
      auth: ADMIN,
      body: { value: true },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    try {
      expect((await sefaz(false)).status).toBe(200);
      const doc = await settled(await invoiceShipOrder());
      expect(doc.status).toBe('authorised');
      expect(doc.accessKey[34]).toBe('6');
      expect(await modeOf11()).toMatchObject({ state: 'active', confirmedBy: 'system' });

      expect((await sefaz(true)).status).toBe(200);
      // The periodic status check runs now rather than in a minute.
      await t.database.db.execute(
        sql`update jobs set run_at = now() where queue = 'fiscal.svc-check' and status = 'queued'`,
      );
      t.worker.wake();
      const mode = await until(modeOf11, (m) => m.state === 'off', 'the automatic exit');
      expect(mode).toMatchObject({ endedBy: 'system' });
      expect(mode.endReason).toContain('107');
    } finally {
      await t.request('DELETE', '/api/v1/nodes/11/parameters/IN_CONTINGENCIA_SVC_AUTO', { auth: ADMIN });
    }
  });

  it('a refused envelope is not the state down, unless NFeStatusServico4 answers 108/109', async () => {
    refuseEnvelopes = true;
    try {
      const waiting = await invoiceShipOrder();
      await until(
        () => documentOf(waiting),
        (d) => d.lastTransportError !== null,
        'the failed send',
      );
      expect((await modeOf11()).state).toBe('off');
      expect((await documentOf(waiting)).status).toBe('sending');
      const now = await t.request(
        'POST',
        `/api/v1/fiscal/contingency/documents/${(await documentOf(waiting)).id}/transmit`,
        { auth: LOJA11 },
      );
      expect(now.status, JSON.stringify(now.body)).toBe(202);

      stateStatus = 108;
      const paralysed = await invoiceShipOrder();
      const mode = await until(modeOf11, (m) => m.state === 'alarm', 'the alarm after 108');
      expect(mode.raisedBy).toContain('108');
      // Confirmed, both waiting NF-e go out in SVC.
      expect((await enter()).status).toBe(200);
      for (const id of [waiting, paralysed]) {
        const doc = await settled(id);
        expect(doc.status).toBe('authorised');
        expect(doc.accessKey[34]).toBe('6');
      }
    } finally {
      refuseEnvelopes = false;
      stateStatus = undefined;
    }
    expect((await leave('SEFAZ-SP voltou a responder')).status).toBe(200);
  });

  it('"transmitir agora" only for a document still waiting, of a store you see', async () => {
    const doc = await documentOf(unreachableOrder);
    const done = await t.request('POST', `/api/v1/fiscal/contingency/documents/${doc.id}/transmit`, {
      auth: ADMIN,
    });
    expect(done.status).toBe(409);
    const hidden = await t.request('POST', `/api/v1/fiscal/contingency/documents/${doc.id}/transmit`, {
      auth: 'loja8@demo.local',
    });
    expect(hidden.status).toBe(404);
    const bad = await t.request('POST', '/api/v1/fiscal/contingency/documents/nope/transmit', {
      auth: ADMIN,
    });
    expect(bad.status).toBe(422);
  });
});
