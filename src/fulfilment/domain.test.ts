import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, pickingSlip, type SlipOrder, uniqueIds } from './domain.ts';

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
