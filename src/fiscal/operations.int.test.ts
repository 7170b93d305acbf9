import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import * as fiscal from './service.ts';

const admin = 'admin@demo.local';
const loja11 = 'loja11@demo.local';
const loja8 = 'loja8@demo.local';

describe.each(databaseKinds())('fiscal operations on the %s database', (kind) => {
  let t: TestApp;
  const url = (node: string, operation?: string) =>
    `/api/v1/nodes/${node}/fiscal-operations${operation ? `/${operation}` : ''}`;
  const list = async (node: string, auth = loja11) => {
    const res = await t.request('GET', url(node), { auth });
    expect(res.status).toBe(200);
    return new Map(res.body.items.map((o: { operation: string }) => [o.operation, o]));
  };
  const put = (node: string, operation: string, body: unknown, auth = admin) =>
    t.request('PUT', url(node, operation), { auth, body });

  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it('answers the legislation’s defaults where nobody configured anything', async () => {
    const ops = await list('11');
    expect([...ops.keys()]).toEqual([
      'sale',
      'home_delivery',
      'pickup',
      'transfer_out',
      'transfer_in',
      'customer_return',
    ]);
    expect(ops.get('sale')).toEqual({
      operation: 'sale',
      direction: 'exit',
      cfopIntrastate: '5102',
      cfopInterstate: '6102',
      cfopInterstateNonContributor: '6108',
      natOp: 'Venda de mercadoria adquirida ou recebida de terceiros',
      source: null,
    });
    expect(ops.get('transfer_out')).toMatchObject({ cfopIntrastate: '5152', cfopInterstate: '6152' });
    expect(ops.get('transfer_in')).toMatchObject({
      direction: 'entry',
      cfopIntrastate: '1152',
      cfopInterstate: '2152',
      cfopInterstateNonContributor: null,
    });
  });

  it('inherits a network setting, lets the store override it, and inherits again once removed', async () => {
    const network = await put('DEMO', 'home_delivery', {
      cfopIntrastate: '5403',
      cfopInterstate: '6403',
      cfopInterstateNonContributor: null,
      natOp: 'Venda de mercadoria sujeita a ST',
    });
    expect(network.status).toBe(200);
    expect(network.body).toMatchObject({
      cfopIntrastate: '5403',
      source: { nodeCode: 'DEMO', kind: 'network' },
    });
    expect((await list('11')).get('home_delivery')).toMatchObject({
      cfopIntrastate: '5403',
      cfopInterstateNonContributor: null,
      natOp: 'Venda de mercadoria sujeita a ST',
      source: { nodeCode: 'DEMO', kind: 'network' },
    });

    const own = await put('11', 'home_delivery', { cfopIntrastate: '5405', cfopInterstate: '6404' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      cfopIntrastate: '5405',
      // natOp left out: the built-in one.
      natOp: 'Venda de mercadoria adquirida ou recebida de terceiros',
      source: { nodeCode: '11', kind: 'store' },
    });
    expect((await list('11')).get('home_delivery')).toMatchObject({ cfopIntrastate: '5405' });
    expect((await list('8', loja8)).get('home_delivery')).toMatchObject({ source: { nodeCode: 'DEMO' } });

    const store11 = (await list('11')).get('home_delivery') as { source: unknown };
    const resolved = await fiscal.resolveOperation(t.database.db, await storeId('11'), 'home_delivery');
    expect(resolved).toMatchObject({ cfopIntrastate: '5405', source: store11.source });

    const removed = await t.request('DELETE', url('11', 'home_delivery'), { auth: admin });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ cfopIntrastate: '5403', source: { nodeCode: 'DEMO' } });
    expect((await t.request('DELETE', url('DEMO', 'home_delivery'), { auth: admin })).body).toMatchObject({
      cfopIntrastate: '5102',
      source: null,
    });
  });

  it('refuses a CFOP of the wrong direction or destination, or not of 4 digits, naming the field', async () => {
    const wrongDigit = await put('11', 'transfer_in', { cfopIntrastate: '5152', cfopInterstate: '2152' });
    expect(wrongDigit.status).toBe(422);
    expect(wrongDigit.body).toMatchObject({
      code: 'FISCAL.INVALID_OPERATION',
      errors: [
        expect.objectContaining({
          path: '/cfopIntrastate',
          message: expect.stringContaining('start with 1'),
        }),
      ],
    });
    const short = await put('11', 'sale', { cfopIntrastate: '5102', cfopInterstate: '610' });
    expect(short.status).toBe(422);
    expect(short.body.errors).toEqual([expect.objectContaining({ path: '/cfopInterstate' })]);
    const interAsIntra = await put('11', 'sale', { cfopIntrastate: '6102', cfopInterstate: '6102' });
    expect(interAsIntra.body.errors).toEqual([expect.objectContaining({ path: '/cfopIntrastate' })]);
    expect((await put('11', 'barter', { cfopIntrastate: '5102', cfopInterstate: '6102' })).status).toBe(422);
    expect((await list('11')).get('sale')).toMatchObject({ source: null });
  });

  it('lets only admins change settings, and hides other stores’ settings from a store', async () => {
    const byStore = await put('11', 'sale', { cfopIntrastate: '5102', cfopInterstate: '6102' }, loja11);
    expect(byStore.status).toBe(403);
    expect((await t.request('DELETE', url('11', 'sale'), { auth: loja11 })).status).toBe(403);
    const hidden = await t.request('GET', url('11'), { auth: loja8 });
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('NETWORK.NODE_NOT_FOUND');
    expect((await put('NOPE', 'sale', { cfopIntrastate: '5102', cfopInterstate: '6102' })).status).toBe(404);
  });

  async function storeId(code: string): Promise<string> {
    const res = await t.request('GET', `/api/v1/nodes/${code}`, { auth: admin });
    return res.body.id;
  }
});
