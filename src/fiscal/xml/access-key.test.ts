import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccessKeyParts,
  buildAccessKey,
  checkDigit,
  generateNumericCode,
  isAcceptableNumericCode,
  isTrivialNumericCode,
  parseAccessKey,
} from './access-key.ts';

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const alphanumericCnpj = fc
  .tuple(fc.stringMatching(/^[0-9A-Z]{12}$/), digits(2))
  .map(([root, dv]) => root + dv);

const parts: fc.Arbitrary<AccessKeyParts> = fc.record({
  stateCode: fc.constantFrom('11', '12', '13', '23', '29', '31', '33', '35', '41', '42', '43', '52', '53'),
  yearMonth: fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }))
    .map(([y, m]) => `${String(y).padStart(2, '0')}${String(m).padStart(2, '0')}`),
  cnpj: fc.oneof(digits(14), alphanumericCnpj),
  model: fc.constantFrom('55' as const, '65' as const),
  series: fc.integer({ min: 0, max: 999 }),
  number: fc.integer({ min: 1, max: 999_999_999 }),
  emissionType: fc.integer({ min: 1, max: 9 }),
  numericCode: digits(8),
});

/** The manual's algorithm written out again, independently, as an oracle. */
function referenceDigit(body: string): number {
  const weights = [2, 3, 4, 5, 6, 7, 8, 9];
  const values = [...body].reverse().map((c, i) => (c.charCodeAt(0) - 48) * weights[i % 8]!);
  const rest = values.reduce((a, b) => a + b, 0) % 11;
  return rest === 0 || rest === 1 ? 0 : 11 - rest;
}

describe('access key check digit (modulo 11, weights 2–9 from the right)', () => {
  it("gives the manual's example key 5206043300991100250655012000000780026730161 the digit 5", () => {
    expect(checkDigit('5206043300991100250655012000000780026730161')).toBe(5);
    const parsed = parseAccessKey('52060433009911002506550120000007800267301615');
    expect(parsed.ok && parsed.value).toMatchObject({
      stateCode: '52',
      yearMonth: '0604',
      cnpj: '33009911002506',
      model: '55',
      series: 12,
      number: 780,
      // The manual's key predates tpEmis (its cNF had 9 digits): position 35 reads as 0.
      emissionType: 0,
      numericCode: '26730161',
      checkDigit: 5,
    });
  });

  it('builds 44-character keys with a correct check digit from any inputs, and parses them back', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const key = buildAccessKey(p);
        expect(key.ok).toBe(true);
        if (!key.ok) return;
        expect(key.value).toHaveLength(44);
        expect(Number(key.value[43])).toBe(referenceDigit(key.value.slice(0, 43)));
        const parsed = parseAccessKey(key.value);
        expect(parsed.ok && parsed.value).toEqual({ ...p, checkDigit: Number(key.value[43]) });
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any key whose check digit was changed', () => {
    fc.assert(
      fc.property(parts, fc.integer({ min: 1, max: 9 }), (p, delta) => {
        const key = buildAccessKey(p);
        if (!key.ok) throw new Error('unexpected');
        const wrong = key.value.slice(0, 43) + String((Number(key.value[43]) + delta) % 10);
        const parsed = parseAccessKey(wrong);
        expect(parsed.ok).toBe(false);
      }),
    );
  });

  it('counts the letters of an alphanumeric CNPJ as ASCII − 48', () => {
    const key = buildAccessKey({
      stateCode: '41',
      yearMonth: '2611',
      cnpj: '12ABC34501DE35',
      model: '55',
      series: 1,
      number: 42,
      emissionType: 1,
      numericCode: '73920518',
    });
    const body = `41${'2611'}${'12ABC34501DE35'}55${'001'}${'000000042'}1${'73920518'}`;
    expect(key.ok && key.value.slice(0, 43)).toBe(body);
    expect(key.ok && Number(key.value[43])).toBe(referenceDigit(body));
    // 'A' is worth 17, 'B' 18, …: a key that lowercased or dropped the letters would not check.
    expect(parseAccessKey(`${body.toLowerCase()}${key.ok ? key.value[43] : ''}`).ok).toBe(false);
    expect(key.ok && parseAccessKey(key.value).ok).toBe(true);
  });

  it('refuses parts the layout cannot carry', () => {
    const base: AccessKeyParts = {
      stateCode: '35',
      yearMonth: '2611',
      cnpj: '45997418000153',
      model: '55',
      series: 1,
      number: 1,
      emissionType: 1,
      numericCode: '73920518',
    };
    for (const bad of [
      { series: 1000 },
      { number: 0 },
      { number: 1_000_000_000 },
      { numericCode: '1234567' },
      { yearMonth: '2613' },
      { cnpj: '45.997.418/0001-53' },
      { emissionType: 0 },
    ]) {
      const result = buildAccessKey({ ...base, ...bad });
      expect(result.ok, JSON.stringify(bad)).toBe(false);
      expect(!result.ok && result.failure.code).toBe('FISCAL.ACCESS_KEY_INVALID');
    }
  });
});

describe('cNF, the random numeric code (rejection 897, NT 2019.001)', () => {
  it('knows the trivial codes SEFAZ refuses', () => {
    for (const code of ['00000000', '11111111', '99999999', '12345678', '23456789', '90123456', '01234567'])
      expect(isTrivialNumericCode(code), code).toBe(true);
    for (const code of ['87654321', '12345679', '00000001', '73920518'])
      expect(isTrivialNumericCode(code), code).toBe(false);
  });

  it('is always 8 digits, never trivial and never the document number, whatever the random source gives', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999_999 }),
        fc.integer({ min: 0, max: 99_999_999 }),
        (nNF, draw) => {
          const code = generateNumericCode(nNF, () => draw);
          expect(code).toMatch(/^[0-9]{8}$/);
          expect(isTrivialNumericCode(code)).toBe(false);
          expect(Number(code)).not.toBe(nNF % 100_000_000);
          expect(isAcceptableNumericCode(code, nNF)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('steps past a source that keeps drawing the number itself or a trivial code', () => {
    expect(generateNumericCode(12_345_677, () => 12_345_677)).toBe('12345679');
    expect(generateNumericCode(1, () => 0)).toBe('00000002');
    expect(generateNumericCode(99_999_999, () => 99_999_999)).toBe('00000001');
  });

  it('keeps a random draw unchanged when it is acceptable', () => {
    expect(generateNumericCode(780, () => 67_301_615)).toBe('67301615');
  });
});
