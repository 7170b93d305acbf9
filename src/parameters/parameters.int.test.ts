import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import * as parameters from './service.ts';

const admin = 'admin@demo.local';
const loja11 = 'loja11@demo.local';

describe.each(databaseKinds())('parameters on the %s database', (kind) => {
  let t: TestApp;
  const param = (node: string, code: string) => `/api/v1/nodes/${node}/parameters/${code}`;
  const put = (node: string, code: string, body: unknown, auth = admin) =>
    t.request('PUT', param(node, code), { auth, body });
  const get = (node: string, code: string, auth = admin) => t.request('GET', param(node, code), { auth });

  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it('lists the registry with types, allowed values, defaults and scope', async () => {
    const res = await t.request('GET', '/api/v1/parameters', { auth: loja11 });
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const byCode = new Map(res.body.items.map((d: { code: string }) => [d.code, d]));
    expect(byCode.get('9253')).toMatchObject({
      type: 'boolean',
      default: false,
      scope: ['central', 'store'],
    });
    expect(byCode.get('TP_VALIDA_SLD_ACEITE_PED')).toMatchObject({
      type: 'enum',
      default: '02',
      allowedValues: expect.arrayContaining([{ value: '01', label: expect.stringContaining('split') }]),
    });
    expect(byCode.get('DS_LST_TRANSPORT_OMNI')).toMatchObject({ type: 'list', default: [] });
    expect(byCode.get('9258')).toMatchObject({ default: null });
  });

  it('says which parameters change something today (honoured) and which not yet', async () => {
    const res = await t.request('GET', '/api/v1/parameters', { auth: loja11 });
    const honoured = Object.fromEntries(
      res.body.items.map((d: { code: string; honoured: boolean }) => [d.code, d.honoured]),
    );
    expect(honoured).toMatchObject({
      IN_BLOQ_SALDO_NEG: true,
      TP_VALIDA_SLD_ACEITE_PED: true,
      CD_TIPOCLAS_OMNI: true,
      TP_EMPRESA_POOL_DIFERENTE: true,
      '9254': true,
      TP_IMP_ETIQ_LOGISTICA_PED: true,
    });
    expect(Object.values(honoured).every((h) => typeof h === 'boolean')).toBe(true);
  });

  it('shows the demo values with the node each one comes from', async () => {
    const res = await t.request('GET', '/api/v1/nodes/11/parameters', { auth: loja11 });
    expect(res.status).toBe(200);
    const byCode = new Map(res.body.items.map((p: { code: string }) => [p.code, p]));
    expect(byCode.get('9253')).toEqual({
      code: '9253',
      value: true,
      source: { nodeCode: '11', kind: 'store' },
      hidden: false,
    });
    expect(byCode.get('9258')).toMatchObject({ value: '55', source: { nodeCode: 'SUL', kind: 'central' } });
    expect(byCode.get('9259')).toMatchObject({ value: '1', source: { nodeCode: '11' } });
    expect(byCode.get('TP_VALIDA_SLD_ACEITE_PED')).toMatchObject({
      value: '01',
      source: { nodeCode: 'DEMO', kind: 'network' },
    });
    expect(byCode.get('DS_LST_TRANSPORT_OMNI')).toMatchObject({ value: ['CORREIOS', 'JADLOG'] });
    expect(byCode.get('IN_MANTER_SALD_ADIAN')).toEqual({
      code: 'IN_MANTER_SALD_ADIAN',
      value: false,
      source: null,
      hidden: false,
    });
  });

  it('inherits network → central → store, reports the source, overrides and unsets', async () => {
    const code = 'IN_MANTER_SALD_ADIAN';
    expect((await put('DEMO', code, { value: true })).body).toMatchObject({
      value: true,
      source: { nodeCode: 'DEMO', kind: 'network' },
    });
    expect((await get('11', code, loja11)).body).toMatchObject({ value: true, source: { nodeCode: 'DEMO' } });

    expect((await put('SUL', code, { value: false })).status).toBe(200);
    expect((await get('11', code, loja11)).body).toMatchObject({ value: false, source: { nodeCode: 'SUL' } });
    expect((await get('DEMO', code, loja11)).body).toMatchObject({
      value: true,
      source: { nodeCode: 'DEMO' },
    });

    const own = await put('11', code, { value: true });
    expect(own.body).toEqual({ code, value: true, source: { nodeCode: '11', kind: 'store' }, hidden: false });
    expect((await get('8', code, 'loja8@demo.local')).body).toMatchObject({
      value: false,
      source: { nodeCode: 'SUL' },
    });

    const unset = await t.request('DELETE', param('11', code), { auth: admin });
    expect(unset.status).toBe(200);
    expect(unset.body).toMatchObject({ value: false, source: { nodeCode: 'SUL', kind: 'central' } });
    expect((await t.request('DELETE', param('SUL', code), { auth: admin })).body).toMatchObject({
      value: true,
      source: { nodeCode: 'DEMO' },
    });
    expect((await t.request('DELETE', param('DEMO', code), { auth: admin })).body).toMatchObject({
      value: false,
      source: null,
    });
    // Removing a value that is not there changes nothing.
    expect((await t.request('DELETE', param('DEMO', code), { auth: admin })).status).toBe(200);
  });

  it('keeps string values exactly as sent (jsonb round trip)', async () => {
    expect((await put('8', '9259', { value: '10' })).body.value).toBe('10');
    expect((await put('8', 'TP_IMP_ETIQ_LOGISTICA_PED', { value: '2' })).body.value).toBe('2');
    expect((await get('8', '9259')).body.value).toBe('10');
    expect((await put('8', '9259', { value: '1' })).status).toBe(200);
  });

  it('resolves typed values for the other contexts', async () => {
    const store11 = (await t.request('GET', '/api/v1/nodes/11', { auth: admin })).body;
    const participates = await parameters.resolve(t.database.db, store11.id, '9253');
    expectTypeOf(participates.value).toEqualTypeOf<boolean>();
    expect(participates).toEqual({ value: true, source: { nodeCode: '11', kind: 'store' } });
    const fiscal = await parameters.resolveMany(t.database.db, store11.id, [
      '9258',
      '9259',
      'CD_LOGOTIPO_EMP',
    ]);
    expectTypeOf(fiscal['9258'].value).toEqualTypeOf<'55' | '65' | null>();
    expect(fiscal).toEqual({
      '9258': { value: '55', source: { nodeCode: 'SUL', kind: 'central' } },
      '9259': { value: '1', source: { nodeCode: '11', kind: 'store' } },
      CD_LOGOTIPO_EMP: { value: null, source: null },
    });
  });

  it('answers 422 PARAMETER.UNKNOWN for an unknown code, on reads and writes', async () => {
    for (const res of [
      await get('11', 'NO_SUCH_PARAM', loja11),
      await put('11', 'NO_SUCH_PARAM', { value: true }),
      await t.request('DELETE', param('11', 'constructor'), { auth: admin }),
    ]) {
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('PARAMETER.UNKNOWN');
    }
  });

  it('answers 422 PARAMETER.INVALID_VALUE for a wrong type or a value not allowed', async () => {
    const wrongType = await put('11', '9253', { value: 'yes' });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body).toMatchObject({
      code: 'PARAMETER.INVALID_VALUE',
      errors: [{ path: '/value', message: 'must be true or false' }],
    });
    const notAllowed = await put('SUL', 'TP_VALIDA_SLD_ACEITE_PED', { value: '07' });
    expect(notAllowed.status).toBe(422);
    expect(notAllowed.body.code).toBe('PARAMETER.INVALID_VALUE');
    expect(notAllowed.body.errors).toEqual([
      {
        path: '/value',
        code: 'PARAMETER.NOT_ALLOWED',
        params: { allowedValues: ['01', '02'] },
        message: 'must be one of "01" or "02"',
      },
    ]);
    const badItem = await put('DEMO', 'DS_LST_TRANSPORT_OMNI', { value: ['JADLOG', 42] });
    expect(badItem.status).toBe(422);
    expect(badItem.body.errors).toEqual([
      { path: '/value/1', code: 'PARAMETER.NOT_STRING', message: 'must be a string' },
    ]);
    const nul = await put('DEMO', '9254', { value: 'http://hub.local/\u0000' });
    // Refused for every endpoint by the request guard, before the parameter rules run.
    expect(nul.status).toBe(422);
    expect(nul.body.errors).toEqual([
      {
        path: '/value',
        code: 'REQUEST.UNSTORABLE_TEXT',
        params: { part: 'body' },
        message: 'contains a NUL character or broken Unicode (in body)',
      },
    ]);
    const empty = await put('11', '9253', { value: null });
    expect(empty.status).toBe(422);
    expect(empty.body.code).toBe('PARAMETER.INVALID_VALUE');
    // Nothing was written: the seeded values still apply.
    expect((await get('11', '9253')).body.value).toBe(true);
    expect((await get('SUL', 'TP_VALIDA_SLD_ACEITE_PED')).body.value).toBe('01');
  });

  it('refuses malformed bodies through the schema', async () => {
    const extra = await put('11', '9253', { value: true, note: 'x' });
    expect(extra.status).toBe(422);
    expect(extra.body.errors).toContainEqual(expect.objectContaining({ path: '/note' }));
    expect((await put('11', '9253', {})).status).toBe(422);
    expect((await put('11', '9253', '{"value":')).status).toBe(400);
  });

  it('answers 422 PARAMETER.OUT_OF_SCOPE at a node kind that may not hold the parameter', async () => {
    const res = await put('DEMO', '9253', { value: true });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'PARAMETER.OUT_OF_SCOPE', scope: ['central', 'store'] });
    expect((await put('SUL', 'CD_TIPOCLAS_OMNI', { value: 'OMNI2' })).body.code).toBe(
      'PARAMETER.OUT_OF_SCOPE',
    );
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = await t.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/parameters',
        '/api/v1/nodes/{code}/parameters',
        '/api/v1/nodes/{code}/parameters/{param}',
      ]),
    );
    expect(Object.keys(doc.body.paths['/api/v1/nodes/{code}/parameters/{param}'])).toEqual(
      expect.arrayContaining(['get', 'put', 'delete']),
    );
  });

  it('lets store users read but not write (403), and hides sibling stores (404)', async () => {
    expect((await put('11', '9253', { value: false }, loja11)).status).toBe(403);
    expect((await t.request('DELETE', param('11', '9253'), { auth: loja11 })).status).toBe(403);
    const sibling = await t.request('GET', '/api/v1/nodes/8/parameters', { auth: loja11 });
    expect(sibling.status).toBe(404);
    expect((await get('8', '9253', loja11)).status).toBe(404);
    expect((await get('NOPE', '9253', admin)).status).toBe(404);
    expect((await t.request('GET', '/api/v1/nodes/11/parameters')).status).toBe(401);
  });

  it('keeps a central admin to its subtree and hides private values set above a viewer', async () => {
    const created = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: {
        email: 'central.sul@demo.local',
        name: 'Admin Central Sul',
        password: 'Norte-Bravo-4821',
        role: 'central_admin',
        nodeCode: 'SUL',
      },
    });
    expect(created.status).toBe(201);
    const login = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'central.sul@demo.local', password: 'Norte-Bravo-4821' },
    });
    const central = login.body.token as string;

    expect((await put('DEMO', 'IN_GERA_CRT_MKTPLACE_OMNI', { value: true }, central)).status).toBe(403);
    expect((await put('3', 'IN_GERA_CRT_MKTPLACE_OMNI', { value: true }, central)).body).toMatchObject({
      value: true,
      source: { nodeCode: '3' },
    });

    expect((await put('DEMO', '9242', { value: 'https://hub.demo.local/api/v1/' })).status).toBe(200);
    expect((await get('11', '9242', admin)).body).toMatchObject({ value: 'https://hub.demo.local/api/v1/' });
    expect((await get('11', '9242', loja11)).body).toEqual({
      code: '9242',
      value: null,
      source: { nodeCode: 'DEMO', kind: 'network' },
      hidden: true,
    });
    expect((await get('SUL', '9242', central)).body).toMatchObject({ value: null, hidden: true });
  });
});
