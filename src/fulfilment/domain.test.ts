import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatDocument,
  formatInteger,
  formatMoney,
  formatPostalCode,
  pickingSlip,
  type SlipOrder,
  uniqueIds,
} from './domain.ts';

const decimal = (cents: bigint) => {
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

describe('money in pt-BR', () => {
  it.each([
    ['1234.56', 'R$ 1.234,56'],
    ['0.00', 'R$ 0,00'],
    ['199.9', 'R$ 199,90'],
    ['1000000.00', 'R$ 1.000.000,00'],
    ['-5.00', '-R$ 5,00'],
    ['-0.00', 'R$ 0,00'],
  ])('%s → %s', (amount, shown) => expect(formatMoney(amount)).toBe(shown));

  it('reads back as the same cents, grouped by thousands', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), (cents) => {
        const shown = formatMoney(decimal(cents));
        const m = /^(-?)R\$ (\d{1,3}(?:\.\d{3})*),(\d{2})$/.exec(shown);
        expect(m, shown).not.toBeNull();
        const back = BigInt(`${m![2]!.replaceAll('.', '')}${m![3]}`) * (m![1] ? -1n : 1n);
        expect(back).toBe(cents);
      }),
    );
  });

  it('groups integers the same way', () => {
    expect(formatInteger(1234567)).toBe('1.234.567');
    expect(formatInteger(12)).toBe('12');
  });
});

describe('documents', () => {
  it.each([
    ['52998224725', 'cpf', '529.982.247-25'],
    ['529.982.247-25', 'cpf', '529.982.247-25'],
    ['11222333000181', 'cnpj', '11.222.333/0001-81'],
    ['12ABC34501DE35', 'cnpj', '12.ABC.345/01DE-35'],
    ['X-123', 'other', 'X-123'],
  ])('%s is a %s shown as %s', (value, kind, text) => expect(formatDocument(value)).toEqual({ kind, text }));

  it('masks any 11 or 14 characters without losing one, and masking twice changes nothing', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
    fc.assert(
      fc.property(fc.oneof(digits(11), fc.stringMatching(/^[0-9A-Z]{12}[0-9]{2}$/)), (value) => {
        const { text } = formatDocument(value);
        expect(text.replace(/[./-]/g, '')).toBe(value);
        expect(formatDocument(text).text).toBe(text);
      }),
    );
  });

  it('shows a CEP with its dash', () => {
    expect(formatPostalCode('01304001')).toBe('01304-001');
    expect(formatPostalCode('01304-001')).toBe('01304-001');
  });
});

describe('times in São Paulo', () => {
  it.each([
    ['2026-11-23T12:34:00Z', '23/11/2026 09:34'],
    ['2026-01-01T02:00:00Z', '31/12/2025 23:00'],
    // Daylight saving time (until 2019): UTC−2.
    ['2018-12-01T12:00:00Z', '01/12/2018 10:00'],
  ])('%s → %s', (at, shown) => expect(formatDateTime(new Date(at))).toBe(shown));

  // Up to a past date: tzdata may bring daylight saving time back for years to come.
  it('is UTC−3 since daylight saving time ended (2019)', () => {
    const from = Date.UTC(2019, 3, 1);
    fc.assert(
      fc.property(fc.integer({ min: from, max: Date.UTC(2026, 0, 1) }), (ms) => {
        const local = new Date(ms - 3 * 3_600_000);
        const two = (n: number) => String(n).padStart(2, '0');
        expect(formatDateTime(new Date(ms))).toBe(
          `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ` +
            `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`,
        );
      }),
    );
  });
});

describe('the slip of an order', () => {
  const order: SlipOrder = {
    number: 42,
    externalId: 'EC-1',
    storeCode: '11',
    storeName: 'Loja Centro',
    channel: 'ecommerce',
    deliveryType: 'pickup',
    carrier: null,
    placedAt: '2026-11-23T12:00:00.000Z',
    customer: {
      name: 'Ana',
      document: '52998224725',
      phone: '11999990000',
      address: {
        street: 'Rua Augusta',
        number: '1200',
        complement: null,
        district: 'Consolação',
        city: 'São Paulo',
        state: 'SP',
        postalCode: '01304001',
      },
    },
    items: [
      { line: 1, sku: 'CAM-001', description: 'Camiseta', quantity: 2 },
      { line: 2, sku: 'CAL-002', description: 'Calça', quantity: 1000 },
    ],
    payments: [
      { method: 'credit_card', amount: '100.00', installments: 3 },
      { method: 'invoice', amount: '5.00', installments: null },
    ],
    itemsTotal: '110.00',
    discountTotal: '10.00',
    freight: '5.00',
    total: '105.00',
  };

  it('says everything in pt-BR', () => {
    const slip = pickingSlip(order, new Date('2026-11-23T15:00:00Z'));
    expect(slip).toMatchObject({
      number: '42',
      barcode: '42',
      store: '11 - Loja Centro',
      customer: [
        ['Cliente', 'Ana'],
        ['CPF', '529.982.247-25'],
        ['Telefone', '11999990000'],
      ],
      address: null,
      totalUnits: '1.002',
      payments: [
        ['Cartão de crédito (3x)', 'R$ 100,00'],
        ['Boleto/faturado', 'R$ 5,00'],
      ],
      printedAt: '23/11/2026 12:00',
    });
    expect(slip.order).toContainEqual(['Entrega', 'Retira na loja']);
    expect(slip.order).toContainEqual(['Data do pedido', '23/11/2026 09:00']);
    expect(slip.totals.at(-1)).toEqual(['Total', 'R$ 105,00']);
  });

  it('prints the address of a ship order only', () => {
    const slip = pickingSlip({ ...order, deliveryType: 'ship', carrier: 'CORREIOS' }, new Date());
    expect(slip.address).toEqual(['Rua Augusta, 1200', 'Consolação - São Paulo/SP', 'CEP 01304-001']);
    expect(slip.order).toContainEqual(['Transportadora', 'CORREIOS']);
  });

  it('takes each id of a batch once, in the order selected', () => {
    const [a, b] = ['6f1c2d2e-0000-4000-8000-00000000000a', '6f1c2d2e-0000-4000-8000-00000000000b'];
    expect(uniqueIds([b, a, b.toUpperCase(), a])).toEqual([b, a]);
  });
});
