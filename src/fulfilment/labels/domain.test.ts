import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cepCheckDigit,
  correiosDataMatrix,
  type LabelSource,
  label,
  type PrintMode,
  placeLabels,
  printModeOf,
} from './domain.ts';

const source: LabelSource = {
  order: {
    number: 1234,
    customer: {
      name: 'Maria Silva',
      phone: '+55 11 99999-0000',
      address: {
        street: 'Rua Augusta',
        number: '1200',
        complement: 'Apto 12',
        district: 'Consolação',
        city: 'São Paulo',
        state: 'SP',
        postalCode: '01304-001',
      },
    },
  },
  store: {
    name: 'Loja 11',
    legalName: 'Demo Comércio Ltda',
    address: {
      street: 'Av. Paulista',
      number: '1000',
      district: 'Bela Vista',
      city: 'São Paulo',
      state: 'SP',
      postalCode: '01310-100',
    },
  },
  shipment: { carrier: 'CORREIOS', service: '03220', trackingCode: 'AB123456789BR' },
  invoice: { number: 15, series: 1, accessKey: '35261245997418000153550010000000151000000151' },
};

describe('TP_IMP_ETIQ_LOGISTICA_PED', () => {
  it('maps 1–4 to copies and page breaks; anything else is the default 1', () => {
    expect(['1', '2', '3', '4', null, '9'].map(printModeOf)).toEqual([
      { copies: 1, pageBreakBetweenOrders: false },
      { copies: 1, pageBreakBetweenOrders: true },
      { copies: 2, pageBreakBetweenOrders: false },
      { copies: 2, pageBreakBetweenOrders: true },
      { copies: 1, pageBreakBetweenOrders: false },
      { copies: 1, pageBreakBetweenOrders: false },
    ]);
  });

  const at = (modes: PrintMode[], format: 'a4' | 'thermal') =>
    placeLabels(modes, format).map((s) => `${s.label}.${s.copy}@${s.page}:${s.position}`);

  it('1 on A4: one copy each, labels share sheets four by four', () => {
    expect(at(Array(5).fill(printModeOf('1')), 'a4')).toEqual([
      '0.1@0:0',
      '1.1@0:1',
      '2.1@0:2',
      '3.1@0:3',
      '4.1@1:0',
    ]);
  });

  it('2 on A4: one copy each, every order on a new sheet', () => {
    expect(at(Array(3).fill(printModeOf('2')), 'a4')).toEqual(['0.1@0:0', '1.1@1:0', '2.1@2:0']);
  });

  it('3 on A4: two copies each, sharing sheets', () => {
    expect(at(Array(3).fill(printModeOf('3')), 'a4')).toEqual([
      '0.1@0:0',
      '0.2@0:1',
      '1.1@0:2',
      '1.2@0:3',
      '2.1@1:0',
      '2.2@1:1',
    ]);
  });

  it('4 on A4: two copies each, every order on a new sheet', () => {
    expect(at(Array(2).fill(printModeOf('4')), 'a4')).toEqual(['0.1@0:0', '0.2@0:1', '1.1@1:0', '1.2@1:1']);
  });

  it('thermal: every label is its own page, copies still apply', () => {
    expect(at([printModeOf('3'), printModeOf('2')], 'thermal')).toEqual(['0.1@0:0', '0.2@1:0', '1.1@2:0']);
  });

  it('every copy of every label has one slot, no two share one, pages have no gaps', () => {
    const mode = fc.constantFrom('1', '2', '3', '4').map(printModeOf);
    fc.assert(
      fc.property(
        fc.array(mode, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('a4', 'thermal'),
        (modes, f) => {
          const slots = placeLabels(modes, f as 'a4' | 'thermal');
          expect(slots).toHaveLength(modes.reduce((n, m) => n + m.copies, 0));
          expect(new Set(slots.map((s) => `${s.page}:${s.position}`)).size).toBe(slots.length);
          const pages = [...new Set(slots.map((s) => s.page))];
          expect(pages).toEqual([...pages.keys()]);
          for (const s of slots) expect(s.position).toBeLessThan(f === 'a4' ? 4 : 1);
        },
      ),
    );
  });
});

describe('the Correios DataMatrix', () => {
  it('validator digit: the CEP digits summed up to the next multiple of ten', () => {
    expect(cepCheckDigit('01304-001')).toBe(1); // 0+1+3+0+4+0+0+1 = 9 → 10
    expect(cepCheckDigit('80010-000')).toBe(1); // 9 → 10
    expect(cepCheckDigit('13010-122')).toBe(0); // 10
    expect(cepCheckDigit('01310-100')).toBe(4); // 6 → 10
  });

  it('lays the known example out field by field (164 characters)', () => {
    const content = label(source).dataMatrix;
    expect(content).toBe(
      '01304001' + // CEP destino
        '01200' + // número (complemento do CEP destino)
        '01310100' + // CEP origem
        '01000' + // número de origem
        '1' + // validador do CEP destino
        '51' + // IDV: encomenda
        'AB123456789BR' + // código de rastreamento
        '250000000000' + // serviços adicionais (25: registro nacional)
        '0000000000' + // cartão de postagem (unknown)
        '03220' + // código do serviço
        '00' + // agrupamento
        '01200' + // número do logradouro
        'Apto 12             ' + // complemento (20)
        '00000' + // valor declarado
        '011999990000' + // DDD + telefone (12; the +55 left out)
        '+00.000000' + // latitude
        '+00.000000' + // longitude
        '|' +
        '1234                          ', // reserva do cliente: the order number
    );
    expect(content).toHaveLength(164);
  });

  it('keeps the fixed widths whatever the input: accents out, long text cut, no digits as zeros', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (a, b, c, d) => {
        const content = correiosDataMatrix({
          destinationCep: a,
          destinationNumber: b,
          originCep: c,
          originNumber: d,
          trackingCode: a,
          serviceCode: b,
          complement: `${c}çã`,
          phone: d,
          orderNumber: a,
        });
        expect(content).toHaveLength(164);
        expect(content).toMatch(/^[\x20-\x7e]+$/);
      }),
    );
    expect(correiosDataMatrix({ ...base, serviceCode: 'SEDEX' }).slice(71, 76)).toBe('00000');
  });
});

const base = {
  destinationCep: '01304001',
  destinationNumber: 'S/N',
  originCep: '01310100',
  originNumber: '1000',
  trackingCode: 'AB123456789BR',
  serviceCode: null,
  complement: 'Fundos',
  phone: '',
  orderNumber: '1',
};

describe('the label', () => {
  it('says who sends, who receives, the invoice and its key', () => {
    const l = label(source);
    expect(l.recipient).toEqual([
      'Maria Silva',
      'Rua Augusta, 1200 - Apto 12',
      'Consolação',
      '01304-001 São Paulo/SP',
    ]);
    expect(l.sender[0]).toBe('Demo Comércio Ltda');
    expect(l.recipientCep).toEqual({ digits: '01304001', text: '01304-001' });
    expect(l.invoice).toBe('NF-e 15 série 1');
    expect(l.accessKey).toBe('3526 1245 9974 1800 0153 5500 1000 0000 1510 0000 0151');
    expect(label({ ...source, invoice: null })).toMatchObject({
      invoice: 'NF-e não autorizada',
      accessKey: null,
    });
  });
});
