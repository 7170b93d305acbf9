/**
 * Fiscal documents for the tests: the demo network's store 11 (src/demo/data.ts) selling to consumers,
 * and an arbitrary of random but well-formed documents. Imported by tests only.
 */
import fc from 'fast-check';
import type { FiscalDocument, FiscalItem, FiscalRecipient } from './domain.ts';
import { generateNumericCode } from './xml/index.ts';

export const store11Emitter: FiscalDocument['emitter'] = {
  cnpj: '45997418000153',
  name: 'Demo Comércio de Vestuário Paulista Ltda.',
  tradeName: 'Loja 11 — São Paulo',
  stateRegistration: '110042490114',
  taxRegime: 1,
  address: {
    street: 'Avenida Paulista',
    number: '1578',
    district: 'Bela Vista',
    cityCode: '3550308',
    city: 'São Paulo',
    state: 'SP',
    postalCode: '01310200',
  },
};

export const curitibaConsumer: FiscalRecipient = {
  document: { kind: 'cpf', number: '52998224725' },
  name: 'Ana Souza',
  stateRegistrationIndicator: '9',
  address: {
    street: 'Rua XV de Novembro',
    number: '1200',
    complement: 'apto 31',
    district: 'Centro',
    cityCode: '4106902',
    city: 'Curitiba',
    state: 'PR',
    postalCode: '80060000',
    phone: '41999990000',
  },
  email: 'ana@example.com',
};

export const saoPauloConsumer: FiscalRecipient = {
  document: { kind: 'cpf', number: '39053344705' },
  name: 'Bruno Lima & Filhos <loja>',
  stateRegistrationIndicator: '9',
  address: {
    street: 'Rua Augusta',
    number: '900',
    district: 'Consolação',
    cityCode: '3550308',
    city: 'São Paulo',
    state: 'SP',
    postalCode: '01304001',
  },
};

const simples = {
  icms: { regime: 'simples', origin: '0', csosn: '102' },
  pis: { cst: '49' },
  cofins: { cst: '49' },
} as const;

export const tShirt = (cfop: string): FiscalItem => ({
  code: 'CAM-001',
  ean: '7896012010013',
  description: 'Camiseta básica algodão branca M',
  ncm: '61091000',
  cfop,
  unit: 'UN',
  quantity: 2,
  unitPrice: 5990n,
  discount: 1198n,
  ...simples,
});

export const trousers = (cfop: string): FiscalItem => ({
  code: 'CAL-002',
  ean: '7896012010921',
  description: 'Calça chino algodão bege 40',
  ncm: '62034200',
  cfop,
  unit: 'UN',
  quantity: 1,
  unitPrice: 19990n,
  ...simples,
});

/**
 * Ship from store 11 to a consumer in Curitiba: interstate (idDest 2), CFOP 6108 (sale of goods bought
 * from third parties to a non-contributor in another state), freight by the emitter, two payments.
 * 2 × 59.90 − 11.98 + 199.90 + 25.00 freight = 332.72.
 */
export function shipFromStoreToCuritiba(overrides: Partial<FiscalDocument> = {}): FiscalDocument {
  return {
    environment: '2',
    model: '55',
    series: 1,
    number: 1042,
    numericCode: '73920518',
    issuedAt: new Date('2026-11-23T15:30:00Z'),
    natureOfOperation: 'VENDA DE MERCADORIA',
    direction: '1',
    destination: '2',
    finalConsumer: true,
    presence: '2',
    emitter: store11Emitter,
    recipient: curitibaConsumer,
    items: [tShirt('6108'), trousers('6108')],
    freight: { mode: '0', amount: 2500n },
    payments: [
      { method: '03', amount: 30000n, card: { integration: '2', brand: '02', authorization: 'A1B2C3' } },
      { method: '17', amount: 3272n },
    ],
    additionalInfo: {
      forTaxpayer:
        'Pedido web-1001. DOCUMENTO EMITIDO POR ME OU EPP OPTANTE PELO SIMPLES NACIONAL. ' +
        'NAO GERA DIREITO A CREDITO FISCAL DE IPI.',
    },
    ...overrides,
  };
}

/** Store 11 under the regime normal selling within São Paulo: CFOP 5102, ICMS CST 00 at 18 %, PIS/COFINS 01. */
export function saleWithinSaoPaulo(): FiscalDocument {
  const normal = {
    icms: { regime: 'normal', origin: '0', cst: '00', rate: '18.00' },
    pis: { cst: '01', rate: '1.65' },
    cofins: { cst: '01', rate: '7.60' },
  } as const;
  return shipFromStoreToCuritiba({
    number: 1043,
    numericCode: '50418273',
    destination: '1',
    emitter: { ...store11Emitter, taxRegime: 3 },
    recipient: saoPauloConsumer,
    items: [
      { ...tShirt('5102'), ...normal },
      { ...trousers('5102'), ...normal },
    ],
    freight: { mode: '0', amount: 1290n },
    payments: [{ method: '01', amount: 35000n }],
    additionalInfo: undefined,
  });
}

const text = (min: number, max: number) =>
  fc
    .string({
      unit: fc.constantFrom(...'abcdeçãéõ ABCXYZ0123456789&<>"\'—-/.,'.split('')),
      minLength: min,
      maxLength: max,
    })
    .filter((s) => s.replace(/\s+/g, ' ').trim().length >= min);

const cents = (max: number) => fc.bigInt({ min: 0n, max: BigInt(max) });

export const arbitraryItem: fc.Arbitrary<FiscalItem> = fc
  .record({
    code: text(1, 60),
    ean: fc.option(fc.constantFrom('7896012010013', '78912345', '7896012010921'), { nil: undefined }),
    description: text(1, 120),
    ncm: fc.stringMatching(/^[0-9]{8}$/),
    cfop: fc.constantFrom('5102', '6108', '5405', '6102'),
    unit: fc.constantFrom('UN', 'PAR', 'KG', 'CX'),
    quantity: fc.integer({ min: 1, max: 500 }),
    unitPrice: cents(5_000_00),
    discountShare: fc.integer({ min: 0, max: 100 }),
    regime: fc.constantFrom('simples', 'normal'),
    rate: fc.constantFrom('0', '4', '7', '12', '17.5', '18.00', '19.5', '20.0000'),
    pisRate: fc.constantFrom('0.65', '1.65', '7.6'),
  })
  .map(({ discountShare, regime, rate, pisRate, ...item }) => {
    const gross = item.unitPrice * BigInt(item.quantity);
    const taxes =
      regime === 'simples'
        ? simples
        : ({
            icms: { regime: 'normal', origin: '0', cst: '00', rate },
            pis: { cst: '01', rate: pisRate },
            cofins: { cst: '01', rate: pisRate },
          } as const);
    return { ...item, discount: (gross * BigInt(discountShare)) / 100n, ...taxes };
  });

export const arbitraryDocument: fc.Arbitrary<FiscalDocument> = fc
  .record({
    number: fc.integer({ min: 1, max: 999_999_999 }),
    series: fc.integer({ min: 0, max: 999 }),
    draw: fc.integer({ min: 0, max: 99_999_999 }),
    issuedAt: fc.date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2030-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    items: fc.array(arbitraryItem, { minLength: 1, maxLength: 12 }),
    freight: cents(500_00),
    overpay: cents(100_00),
    split: fc.integer({ min: 0, max: 100 }),
    recipient: fc.constantFrom(curitibaConsumer, saoPauloConsumer),
    environment: fc.constantFrom('1' as const, '2' as const),
  })
  .map(({ freight, overpay, split, recipient, draw, ...rest }) => {
    const total =
      rest.items.reduce((a, i) => a + i.unitPrice * BigInt(i.quantity) - (i.discount ?? 0n), 0n) + freight;
    const paid = total + overpay;
    const first = (paid * BigInt(split)) / 100n;
    return shipFromStoreToCuritiba({
      ...rest,
      numericCode: generateNumericCode(rest.number, () => draw),
      recipient,
      destination: recipient.address?.state === 'SP' ? '1' : '2',
      freight: { mode: freight === 0n ? '9' : '0', amount: freight },
      payments: [
        { method: '03', amount: first, card: { integration: '2' } },
        { method: '01', amount: paid - first },
      ],
    });
  });
