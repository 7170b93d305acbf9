import { describe, expect, it } from 'vitest';
import { normalisePairingCode, PAIRING_ALPHABET, pairingCodeFrom, showPairingCode } from './domain.ts';

describe('pairing codes', () => {
  it('draw 8 characters from the alphabet without look-alikes, skipping biased bytes', () => {
    expect(PAIRING_ALPHABET).not.toMatch(/[01ILO]/);
    const bytes = Uint8Array.from([255, 0, 1, 2, 3, 4, 5, 6, 30, 31]);
    expect(pairingCodeFrom(bytes)).toBe('ABCDEFG9');
    expect(pairingCodeFrom(Uint8Array.from([0, 1, 2]))).toBeNull();
  });

  it('accept what a cashier types: with or without the dash, any case, spaces around', () => {
    expect(showPairingCode('ABCDEFG9')).toBe('ABCD-EFG9');
    for (const typed of ['ABCD-EFG9', 'abcdefg9', ' abcd-efg9 ', 'ab cd efg9']) {
      expect(normalisePairingCode(typed)).toBe('ABCDEFG9');
    }
    for (const typed of ['ABCD-EFG', 'ABCD-EFG90', 'ABCD-EFG0', 'OOOO-OOOO', '']) {
      expect(normalisePairingCode(typed)).toBeNull();
    }
  });
});
