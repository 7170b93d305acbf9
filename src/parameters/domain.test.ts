import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ChainLink,
  type Definition,
  definitionOf,
  definitions,
  invoiceLeadDays,
  isParameterCode,
  type NodeKind,
  type ParameterValue,
  resolveEffective,
  validateValue,
} from './domain.ts';

interface TestNode {
  code: string;
  kind: NodeKind;
}
const root: TestNode = { code: 'DEMO', kind: 'network' };
const central: TestNode = { code: 'SUL', kind: 'central' };
const store: TestNode = { code: '11', kind: 'store' };
const link = (node: TestNode, values: Record<string, unknown> = {}): ChainLink<TestNode> => ({
  node,
  values,
});

const def = (code: string) => definitionOf(code)!;
const base = {
  label: 'x',
  description: 'x',
  group: 'hub',
  honoured: false,
  scope: ['network', 'central', 'store'],
  public: true,
};

describe('the registry', () => {
  it('holds every parameter the seeds name, plus the omni payment method', () => {
    const codes = definitions.map((d) => d.code);
    for (const code of [
      '9242',
      '9253',
      '9254',
      '9258',
      '9259',
      '9285',
      'CD_FORMA_PAGTO_OMNI',
      'IN_BLOQ_SALDO_NEG',
      'TP_VALIDA_SLD_ACEITE_PED',
      'TP_VISUAL_EMP_PRATELEIRA',
      'TP_UTILIZA_PRATELEIRA',
      'CD_REPRE_PRATELEIRA',
      'CD_MOTIVOBLOQ_PED_PRATELE',
      'CD_MOT_CANC_PED_PRATELEIR',
      'CD_MOD_VENDA_PRATELEIRA',
      'TP_DADO_ADIC_BX_PED_ECOMM',
      'TP_EMPRESA_POOL_DIFERENTE',
      'DS_FORMA_NOTIFICA_CLIENTE',
      'TP_IMPRESSAO_TRA_PRATELEI',
      'TP_ENVIO_NFE_AUTOMATIC',
      'DS_LST_DTPREV_OMNI',
      'TP_IMP_ETIQ_LOGISTICA_PED',
      'DS_LST_TRANSPORT_OMNI',
      'IN_MANTER_SALD_ADIAN',
      'IN_GERA_CRT_MKTPLACE_OMNI',
      'TP_CONF_ACEITE_PED',
      'IN_BAIXA_PED_POOL_EMP',
      'CD_EMAIL_ENVPRATELEIRAPDV',
      'CD_LOGOTIPO_EMP',
      'CD_TIPOCLAS_OMNI',
    ]) {
      expect(codes).toContain(code);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(definitions.map((d) => [d.code, d] as const))('%s has a default that fits it, or none', (_, d) => {
    if (d.default !== null) expect(validateValue(d, d.default)).toEqual([]);
    expect(d.scope.length).toBeGreaterThan(0);
    expect(d.label).not.toBe('');
    if (d.type === 'enum') expect(new Set(d.values.map((v) => v.value)).size).toBe(d.values.length);
  });

  it('types each value from its definition', () => {
    expectTypeOf<ParameterValue<'9253'>>().toEqualTypeOf<boolean>();
    expectTypeOf<ParameterValue<'9258'>>().toEqualTypeOf<'55' | '65' | null>();
    expectTypeOf<ParameterValue<'9259'>>().toEqualTypeOf<string | null>();
    expectTypeOf<ParameterValue<'TP_VALIDA_SLD_ACEITE_PED'>>().toEqualTypeOf<'01' | '02'>();
    expectTypeOf<ParameterValue<'DS_LST_TRANSPORT_OMNI'>>().toEqualTypeOf<readonly string[]>();
    expect(isParameterCode('9253')).toBe(true);
    expect(isParameterCode('toString')).toBe(false);
  });
});

describe('resolution: the nearest node holding a value wins, else the default', () => {
  const code = 'TP_IMP_ETIQ_LOGISTICA_PED';

  it('walks store → central → network → default', () => {
    const d = def(code);
    expect(resolveEffective(code, d, [link(root), link(central), link(store)])).toEqual({
      value: '1',
      source: null,
    });
    expect(resolveEffective(code, d, [link(root, { [code]: '2' }), link(central), link(store)])).toEqual({
      value: '2',
      source: root,
    });
    expect(
      resolveEffective(code, d, [link(root, { [code]: '2' }), link(central, { [code]: '3' }), link(store)]),
    ).toEqual({ value: '3', source: central });
    expect(
      resolveEffective(code, d, [
        link(root, { [code]: '2' }),
        link(central, { [code]: '3' }),
        link(store, { [code]: '4' }),
      ]),
    ).toEqual({ value: '4', source: store });
  });

  it('ignores values of other parameters and stored values that no longer fit', () => {
    const d = def(code);
    expect(
      resolveEffective(code, d, [link(root, { [code]: '2' }), link(store, { [code]: '9', OTHER: '4' })]),
    ).toEqual({ value: '2', source: root });
  });

  it('ignores a value held by a node kind outside the scope', () => {
    expect(resolveEffective('9253', def('9253'), [link(root, { '9253': true }), link(store)])).toEqual({
      value: false,
      source: null,
    });
  });

  it('is the last set link of any chain (property)', () => {
    const d = def(code);
    const choice = fc.constantFrom('1', '2', '3', '4');
    const nodes = [root, central, store];
    fc.assert(
      fc.property(fc.array(fc.option(choice, { nil: undefined }), { minLength: 1, maxLength: 3 }), (set) => {
        const chain = set.map((v, i) => link(nodes[i]!, v === undefined ? {} : { [code]: v }));
        const last = set.findLastIndex((v) => v !== undefined);
        expect(resolveEffective(code, d, chain)).toEqual(
          last < 0 ? { value: d.default, source: null } : { value: set[last], source: nodes[last] },
        );
      }),
    );
  });
});

describe('value validation', () => {
  const invalid = (code: string, value: unknown) => validateValue(def(code), value);

  it('checks booleans, enums, strings, URLs and lists with errors at /value', () => {
    expect(invalid('9253', true)).toEqual([]);
    expect(invalid('9253', 'yes')).toEqual([
      { path: '/value', code: 'PARAMETER.NOT_BOOLEAN', message: 'must be true or false' },
    ]);
    expect(invalid('9253', 1)).toHaveLength(1);
    expect(invalid('TP_VALIDA_SLD_ACEITE_PED', '01')).toEqual([]);
    expect(invalid('TP_VALIDA_SLD_ACEITE_PED', '07')).toEqual([
      {
        path: '/value',
        code: 'PARAMETER.NOT_ALLOWED',
        params: { allowedValues: ['01', '02'] },
        message: 'must be one of "01" or "02"',
      },
    ]);
    expect(invalid('TP_VALIDA_SLD_ACEITE_PED', 1)).toHaveLength(1);
    expect(invalid('9259', '1')).toEqual([]);
    expect(invalid('9259', '001')[0]?.message).toBe('must be a series from 0 to 999 without leading zeros');
    expect(invalid('9259', '')).toEqual([
      { path: '/value', code: 'PARAMETER.EMPTY', message: 'must not be empty' },
    ]);
    expect(invalid('9254', 'https://omni.example.com/api/v1/')).toEqual([]);
    expect(invalid('9254', 'ftp://omni.example.com')).toHaveLength(1);
    expect(invalid('9254', 'not a url')).toHaveLength(1);
    expect(invalid('DS_LST_TRANSPORT_OMNI', ['CORREIOS', 'JADLOG'])).toEqual([]);
    expect(invalid('DS_LST_TRANSPORT_OMNI', [])).toEqual([]);
    expect(invalid('DS_LST_TRANSPORT_OMNI', 'CORREIOS')).toEqual([
      { path: '/value', code: 'PARAMETER.NOT_LIST', message: 'must be an array of strings' },
    ]);
    expect(invalid('DS_LST_TRANSPORT_OMNI', ['JADLOG', 7, 'jadlog', 'JADLOG']).map((e) => e.path)).toEqual([
      '/value/1',
      '/value/2',
      '/value/3',
    ]);
    expect(invalid('DS_FORMA_NOTIFICA_CLIENTE', ['email', 'sms'])).toEqual([
      {
        path: '/value/1',
        code: 'PARAMETER.NOT_ALLOWED',
        params: { allowedValues: ['email', 'whatsapp'] },
        message: 'must be one of "email" or "whatsapp"',
      },
    ]);
    expect(invalid('DS_LST_DTPREV_OMNI', ['pickup:0', 'pickup:2'])).toEqual([
      { path: '/value', code: 'PARAMETER.INVALID', message: 'names a delivery type twice' },
    ]);
  });

  it('refuses control characters, which PostgreSQL jsonb cannot store (NUL, lone surrogates)', () => {
    const message = 'must not contain control characters';
    expect(invalid('9254', 'http://hub.local/\u0000')).toEqual([
      { path: '/value', code: 'PARAMETER.CONTROL_CHARACTERS', message },
    ]);
    expect(invalid('CD_LOGOTIPO_EMP', 'http://hub.local/\ud800.png')).toEqual([
      { path: '/value', code: 'PARAMETER.CONTROL_CHARACTERS', message },
    ]);
    expect(invalid('DS_LST_TRANSPORT_OMNI', ['A\nB'])).toEqual([
      { path: '/value', code: 'PARAMETER.CONTROL_CHARACTERS', message },
    ]);
    expect(invalid('CD_LOGOTIPO_EMP', 'https://cdn.local/logo-ção-😀.png')).toEqual([]);
  });

  it('refuses null with a hint to remove the value instead', () => {
    expect(invalid('9253', null)[0]?.message).toMatch(/remove the value/);
  });

  it('checks integers with their bounds', () => {
    const d: Definition = { ...base, type: 'integer', min: 0, max: 30, default: 5 } as Definition;
    expect(validateValue(d, 30)).toEqual([]);
    expect(validateValue(d, 31)).toEqual([
      { path: '/value', code: 'PARAMETER.ABOVE_MAX', params: { max: 30 }, message: 'must be at most 30' },
    ]);
    expect(validateValue(d, -1)).toEqual([
      { path: '/value', code: 'PARAMETER.BELOW_MIN', params: { min: 0 }, message: 'must be at least 0' },
    ]);
    expect(validateValue(d, 1.5)).toEqual([
      { path: '/value', code: 'PARAMETER.NOT_INTEGER', message: 'must be an integer' },
    ]);
    expect(validateValue(d, '3')).toEqual([
      { path: '/value', code: 'PARAMETER.NOT_INTEGER', message: 'must be an integer' },
    ]);
  });

  it('never accepts a value of the wrong JSON type, and always answers under /value (property)', () => {
    const json = fc.jsonValue();
    fc.assert(
      fc.property(fc.constantFrom(...definitions), json, (d, value) => {
        const errors = validateValue(d, value);
        for (const e of errors) expect(e.path).toMatch(/^\/value(\/[0-9]+)?$/);
        if (errors.length > 0) return;
        const expected = {
          boolean: 'boolean',
          integer: 'number',
          string: 'string',
          url: 'string',
          enum: 'string',
          list: 'array',
        }[d.type];
        expect(Array.isArray(value) ? 'array' : typeof value).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly the allowed values of an enum (property)', () => {
    const enums = definitions.filter((d) => d.type === 'enum');
    fc.assert(
      fc.property(fc.constantFrom(...enums), fc.string({ maxLength: 4 }), (d, value) => {
        const allowed = d.type === 'enum' && d.values.some((c) => c.value === value);
        expect(validateValue(d, value).length === 0).toBe(allowed);
      }),
    );
  });
});

describe('DS_LST_DTPREV_OMNI lead days', () => {
  it('reads the days of a delivery type, 0 when it is not listed', () => {
    expect(invoiceLeadDays(['pickup:0', 'ship:3'], 'ship')).toBe(3);
    expect(invoiceLeadDays(['ship:3'], 'pickup')).toBe(0);
  });
});
