import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisePhone } from './phone.ts';

const e164 = (input: string) => {
  const r = normalisePhone(input);
  return r.ok ? r.e164 : r.problem;
};

describe('a phone number as the Cloud API takes it', () => {
  it.each([
    ['(11) 98765-4321', '5511987654321'],
    ['11987654321', '5511987654321'],
    ['+55 11 98765-4321', '5511987654321'],
    ['55 11 98765 4321', '5511987654321'],
    ['5511987654321', '5511987654321'],
    ['0055 11 98765-4321', '5511987654321'],
    ['011 98765-4321', '5511987654321'],
    ['0 21 11 98765-4321', '5511987654321'],
    ['(41) 3322-1100', '554133221100'],
    // A mobile written before the ninth digit: the 9 is prefixed.
    ['(19) 8765-4321', '5519987654321'],
    ['+1 (415) 555-0123', '14155550123'],
  ])('%s → %s', (input, expected) => {
    expect(e164(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['cliente@exemplo.com', 'characters'],
    ['(11) 9876-543', 'length'],
    ['(20) 98765-4321', 'area_code'],
    ['(10) 98765-4321', 'area_code'],
    ['(11) 88765-4321', 'subscriber'],
    ['(11) 1234-5678', 'subscriber'],
    ['+55 11 98765-43210', 'length'],
    ['+123', 'length'],
  ])('%s is refused (%s)', (input, problem) => {
    expect(e164(input)).toBe(problem);
  });

  it('every valid Brazilian mobile, however it is punctuated, gives the same 13 digits', () => {
    const ddd = fc.constantFrom(11, 21, 31, 41, 47, 51, 61, 71, 81, 91, 99);
    const number = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `9${String(n).padStart(8, '0')}`);
    fc.assert(
      fc.property(ddd, number, fc.constantFrom('plain', 'masked', 'intl', 'trunk'), (d, n, style) => {
        const written =
          style === 'plain'
            ? `${d}${n}`
            : style === 'masked'
              ? `(${d}) ${n.slice(0, 5)}-${n.slice(5)}`
              : style === 'intl'
                ? `+55 ${d} ${n}`
                : `0${d} ${n}`;
        expect(e164(written)).toBe(`55${d}${n}`);
      }),
    );
  });
});
