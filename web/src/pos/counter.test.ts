import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCpf,
  cpfDigits,
  inContingency,
  maskCpf,
  orderNumberOf,
  remainingLines,
  returnLines,
} from './counter.ts';

describe('the CPF asked at the counter', () => {
  it('is masked as it is typed, whatever the cashier or the scanner sends', () => {
    expect(maskCpf('')).toBe('');
    expect(maskCpf('123')).toBe('123');
    expect(maskCpf('1234')).toBe('123.4');
    expect(maskCpf('1234567')).toBe('123.456.7');
    expect(maskCpf('1234567890')).toBe('123.456.789-0');
    expect(maskCpf('12345678909')).toBe('123.456.789-09');
    expect(maskCpf('123.456.789-09')).toBe('123.456.789-09');
    expect(maskCpf('123456789091234')).toBe('123.456.789-09');
  });

  it('masking is stable: masking a masked value changes nothing and keeps its digits', () => {
    fc.assert(
      fc.property(fc.string(), (typed) => {
        const once = maskCpf(typed);
        expect(maskCpf(once)).toBe(once);
        expect(cpfDigits(once)).toBe(cpfDigits(typed));
      }),
    );
  });

  it('is checked by its two check digits before the sale is finished', () => {
    expect(checkCpf('')).toBe('empty');
    expect(checkCpf('   ')).toBe('empty');
    expect(checkCpf('123.456.789')).toBe('incomplete');
    expect(checkCpf('111.444.777-35')).toBe('valid');
    expect(checkCpf('529.982.247-25')).toBe('valid');
    expect(checkCpf('529.982.247-26')).toBe('invalid');
    expect(checkCpf('111.444.777-36')).toBe('invalid');
    // The sample CPF of every form (right digits) is refused, as the server's validator refuses it.
    expect(checkCpf('123.456.789-09')).toBe('invalid');
    // Eleven equal digits pass the arithmetic but are no CPF.
    expect(checkCpf('111.111.111-11')).toBe('invalid');
    expect(checkCpf('000.000.000-00')).toBe('invalid');
  });

  it('a valid CPF with one digit changed is refused (the check digits catch every single-digit error)', () => {
    const base = '52998224725';
    for (let i = 0; i < 11; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === base[i]) continue;
        const changed = `${base.slice(0, i)}${d}${base.slice(i + 1)}`;
        expect(checkCpf(changed), changed).toBe('invalid');
      }
    }
  });
});

describe('the order number typed or scanned', () => {
  it('keeps the digits, drops what a scanner or a cashier adds around them', () => {
    expect(orderNumberOf('123')).toBe(123);
    expect(orderNumberOf(' 123\n')).toBe(123);
    expect(orderNumberOf('Nº 123')).toBe(123);
    expect(orderNumberOf('000123')).toBe(123);
  });

  it('is null when there is no number to look up', () => {
    expect(orderNumberOf('')).toBeNull();
    expect(orderNumberOf('abc')).toBeNull();
    expect(orderNumberOf('0')).toBeNull();
    expect(orderNumberOf('1234567890123')).toBeNull();
  });
});

describe('the lines of a return', () => {
  const sold = [
    { sku: 'CAL-002', description: 'Calça', quantity: 2 },
    { sku: 'CAM-001', description: 'Camisa', quantity: 1 },
  ];

  it('keeps only what was chosen, never more than was sold', () => {
    expect(returnLines(sold, {})).toEqual([]);
    expect(returnLines(sold, { 'CAL-002': 1 })).toEqual([{ sku: 'CAL-002', quantity: 1 }]);
    expect(returnLines(sold, { 'CAL-002': 5, 'CAM-001': 1 })).toEqual([
      { sku: 'CAL-002', quantity: 2 },
      { sku: 'CAM-001', quantity: 1 },
    ]);
    expect(returnLines(sold, { 'CAL-002': -1, 'XXX-999': 3 })).toEqual([]);
  });

  it('leaves out what earlier returns already took', () => {
    const split = [...sold, { sku: 'CAL-002', description: 'Calça', quantity: 1 }];
    expect(remainingLines(split, { 'CAL-002': 2 }).map((l) => l.quantity)).toEqual([0, 1, 1]);
    expect(remainingLines(split, { 'CAL-002': 5, 'CAM-001': 1 }).map((l) => l.quantity)).toEqual([0, 0, 0]);
    expect(remainingLines(split, {}).map((l) => l.quantity)).toEqual([2, 1, 1]);
  });

  it('never returns more than sold for any choice', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('CAL-002', 'CAM-001', 'X'), fc.integer()), (chosen) => {
        for (const line of returnLines(sold, chosen)) {
          const max = sold.find((s) => s.sku === line.sku)?.quantity ?? 0;
          expect(line.quantity).toBeGreaterThan(0);
          expect(line.quantity).toBeLessThanOrEqual(max);
        }
      }),
    );
  });
});

describe('an NFC-e in contingency', () => {
  it('is the document SEFAZ could not be reached for, issued offline', () => {
    expect(inContingency({ status: 'authorised' })).toBe(false);
    expect(inContingency({ status: 'sending' })).toBe(false);
    expect(inContingency({ status: 'contingency' })).toBe(true);
  });
});
