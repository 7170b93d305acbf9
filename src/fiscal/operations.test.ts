import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cfopFor,
  defaultOperations,
  type FiscalOperation,
  fiscalOperations,
  type OperationConfig,
  operationDirection,
  resolveOperationConfig,
  validateOperationConfig,
} from './operations.ts';

const sp = { emitterUf: 'SP', recipientUf: 'SP', recipientIsContributor: false };
const toRj = { emitterUf: 'SP', recipientUf: 'RJ', recipientIsContributor: true };
const toRjConsumer = { ...toRj, recipientIsContributor: false };

describe('cfopFor with the built-in defaults', () => {
  it('sells with 5102 inside the state, 6102 to a contributor elsewhere, 6108 to a consumer elsewhere', () => {
    expect(cfopFor('sale', sp)).toBe('5102');
    expect(cfopFor('sale', toRj)).toBe('6102');
    expect(cfopFor('sale', toRjConsumer)).toBe('6108');
    expect(cfopFor('home_delivery', toRjConsumer)).toBe('6108');
  });

  it('treats a pickup as an in-person sale: intrastate whatever the buyer’s state', () => {
    expect(cfopFor('pickup', toRjConsumer)).toBe('5102');
    expect(cfopFor('pickup', toRj)).toBe('5102');
  });

  it('transfers with 5152/6152 out and 1152/2152 in, contributor or not', () => {
    expect(cfopFor('transfer_out', sp)).toBe('5152');
    expect(cfopFor('transfer_out', toRjConsumer)).toBe('6152');
    expect(cfopFor('transfer_in', sp)).toBe('1152');
    expect(cfopFor('transfer_in', toRjConsumer)).toBe('2152');
  });

  it('takes a customer’s goods back with 1202 in the same UF and 2202 from another', () => {
    expect(cfopFor('customer_return', sp)).toBe('1202');
    expect(cfopFor('customer_return', toRjConsumer)).toBe('2202');
  });

  it('falls back to the interstate CFOP when no non-contributor CFOP is set', () => {
    const config = { ...defaultOperations.sale, cfopInterstateNonContributor: null };
    expect(cfopFor('sale', toRjConsumer, config)).toBe('6102');
  });

  it('agrees in its first digit with direction and destination, for every operation and party', () => {
    const uf = fc.constantFrom('SP', 'RJ', 'MG', 'RS');
    fc.assert(
      fc.property(
        fc.constantFrom(...fiscalOperations),
        uf,
        uf,
        fc.boolean(),
        (operation, a, b, contributor) => {
          const cfop = cfopFor(operation, {
            emitterUf: a,
            recipientUf: b,
            recipientIsContributor: contributor,
          });
          const inter = a !== b && operation !== 'pickup';
          const expected = operationDirection[operation] === 'exit' ? (inter ? '6' : '5') : inter ? '2' : '1';
          expect(cfop[0]).toBe(expected);
        },
      ),
    );
  });
});

describe('validateOperationConfig', () => {
  it('accepts every default', () => {
    for (const operation of fiscalOperations)
      expect(validateOperationConfig(operation, defaultOperations[operation])).toEqual([]);
  });

  it('names the field whose CFOP has the wrong first digit or is not 4 digits', () => {
    const bad: OperationConfig = {
      cfopIntrastate: '6102',
      cfopInterstate: '610',
      cfopInterstateNonContributor: '5108',
      natOp: 'Venda',
    };
    expect(validateOperationConfig('sale', bad)).toEqual([
      {
        path: '/cfopIntrastate',
        code: 'FISCAL.CFOP_DIRECTION',
        params: { first: '5', direction: 'exit' },
        message: expect.stringContaining('start with 5'),
      },
      { path: '/cfopInterstate', code: 'FISCAL.CFOP_FORMAT', message: expect.stringContaining('4 digits') },
      {
        path: '/cfopInterstateNonContributor',
        code: 'FISCAL.CFOP_DIRECTION',
        params: { first: '6', direction: 'exit' },
        message: expect.stringContaining('start with 6'),
      },
    ]);
  });

  it('wants 1/2 for entries and no non-contributor CFOP on them', () => {
    const errors = validateOperationConfig('transfer_in', {
      cfopIntrastate: '5152',
      cfopInterstate: '2152',
      cfopInterstateNonContributor: '2152',
      natOp: 'Transferência',
    });
    expect(errors.map((e) => e.path)).toEqual(['/cfopIntrastate', '/cfopInterstateNonContributor']);
  });

  it('wants a natOp of 1 to 60 characters', () => {
    const at = (natOp: string) => validateOperationConfig('sale', { ...defaultOperations.sale, natOp });
    expect(at('  ')).toEqual([
      {
        path: '/natOp',
        code: 'FISCAL.NAT_OP_LENGTH',
        params: { min: 1, max: 60 },
        message: expect.any(String),
      },
    ]);
    expect(at('x'.repeat(61))).toHaveLength(1);
    expect(at('x'.repeat(60))).toEqual([]);
  });
});

describe('resolveOperationConfig', () => {
  const own: OperationConfig = { ...defaultOperations.sale, cfopIntrastate: '5405' };
  const network: OperationConfig = { ...defaultOperations.sale, cfopIntrastate: '5403' };
  const resolve = (op: FiscalOperation, configs: (OperationConfig | undefined)[]) =>
    resolveOperationConfig(
      op,
      configs.map((config, i) => ({ node: ['DEMO', 'SUL', '11'][i]!, config })),
    );

  it('takes the nearest node’s setting, else the default', () => {
    expect(resolve('sale', [network, undefined, own])).toEqual({ config: own, source: '11' });
    expect(resolve('sale', [network, undefined, undefined])).toEqual({ config: network, source: 'DEMO' });
    expect(resolve('sale', [undefined, undefined, undefined])).toEqual({
      config: defaultOperations.sale,
      source: null,
    });
  });
});
