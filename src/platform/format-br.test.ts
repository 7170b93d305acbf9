import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCnpj,
  formatCpf,
  formatDate,
  formatDateTime,
  formatDocument,
  formatInteger,
  formatMoney,
  formatPhone,
  formatPostalCode,
  formatTime,
  saoPauloDay,
} from './format-br.ts';

describe('money and integers in pt-BR', () => {
  it.each([
    [123_456n, '1.234,56'],
    [0n, '0,00'],
    [5n, '0,05'],
    [100_000_000n, '1.000.000,00'],
    [-500n, '-5,00'],
  ])('%s cents → %s', (cents, shown) => expect(formatMoney(cents)).toBe(shown));

  it('reads back as the same cents, grouped by thousands', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), (cents) => {
        const shown = formatMoney(cents);
        const m = /^(-?)(\d{1,3}(?:\.\d{3})*),(\d{2})$/.exec(shown);
        expect(m, shown).not.toBeNull();
        expect(BigInt(`${m![2]!.replaceAll('.', '')}${m![3]}`) * (m![1] ? -1n : 1n)).toBe(cents);
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

  it('formats a CPF or a CNPJ alone, leaving anything else as it came', () => {
    expect(formatCpf('52998224725')).toBe('529.982.247-25');
    expect(formatCpf('11222333000181')).toBe('11222333000181');
    expect(formatCnpj('11222333000181')).toBe('11.222.333/0001-81');
    expect(formatCnpj('52998224725')).toBe('52998224725');
  });

  it('shows a phone number with its area code', () => {
    expect(formatPhone('11912345678')).toBe('(11) 91234-5678');
    expect(formatPhone('4133334444')).toBe('(41) 3333-4444');
    expect(formatPhone('+55 11')).toBe('+55 11');
    expect(formatPhone(undefined)).toBe('');
  });

  it('shows a CEP with its dash', () => {
    expect(formatPostalCode('01304001')).toBe('01304-001');
    expect(formatPostalCode('01304-001')).toBe('01304-001');
  });
});

describe('times in São Paulo', () => {
  it('dates, times and days follow São Paulo, not UTC', () => {
    const at = new Date('2026-03-11T01:30:05Z');
    expect(formatDate(at)).toBe('10/03/2026');
    expect(formatTime(at)).toBe('22:30:05');
    expect(saoPauloDay(at)).toBe('2026-03-10');
  });

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
