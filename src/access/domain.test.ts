import { describe, expect, it } from 'vitest';
import {
  normalisePairingCode,
  PAIRING_ALPHABET,
  pairingCodeFrom,
  passwordErrors,
  showPairingCode,
  TEMPORARY_ALPHABET,
  TEMPORARY_LENGTH,
  temporaryPassword,
} from './domain.ts';

const owner = { email: 'Joao.Silva@lojas.com.br', nodeName: 'Loja 8 — Campinas' };
const codes = (password: string, who = owner) =>
  passwordErrors(password, who, '/newPassword').map((e) => e.code);

describe('password policy', () => {
  it('wants at least 12 characters, naming the field and the minimum', () => {
    expect(passwordErrors('curta-demais', owner, '/password')).toEqual([]);
    expect(passwordErrors('curta-demai', owner, '/password')).toEqual([
      expect.objectContaining({ path: '/password', code: 'ACCESS.PASSWORD_TOO_SHORT', params: { min: 12 } }),
    ]);
    expect(codes('x'.repeat(257))).toEqual(['ACCESS.PASSWORD_TOO_LONG']);
  });

  it('refuses the e-mail and its local part, whatever the case, accents and separators', () => {
    expect(codes('joao.silva@lojas.com.br!')).toEqual(['ACCESS.PASSWORD_CONTAINS_EMAIL']);
    expect(codes('XX-JOAOSILVA-2026')).toEqual(['ACCESS.PASSWORD_CONTAINS_EMAIL']);
    expect(codes('Jōão_Sílva#2026')).toEqual(['ACCESS.PASSWORD_CONTAINS_EMAIL']);
    expect(codes('joao-e-maria-2026')).toEqual([]);
  });

  it('ignores a local part shorter than 4 characters (it would refuse everyday words)', () => {
    expect(codes('ana-e-bia-na-praia', { email: 'ana@x.com', nodeName: 'Loja 3' })).toEqual([]);
    expect(codes('meu-ana@x.com-123', { email: 'ana@x.com', nodeName: 'Loja 3' })).toEqual([
      'ACCESS.PASSWORD_CONTAINS_EMAIL',
    ]);
  });

  it("refuses the node's name or its significant words, case- and accent-insensitively", () => {
    expect(codes('campinas-forever-1')).toEqual(['ACCESS.PASSWORD_CONTAINS_NODE_NAME']);
    expect(codes('xSaoPaulo#2026x', { email: 'a@b.c', nodeName: 'Loja 11 — São Paulo' })).toEqual([
      'ACCESS.PASSWORD_CONTAINS_NODE_NAME',
    ]);
    expect(codes('minhaloja8favorita', owner)).toEqual(['ACCESS.PASSWORD_CONTAINS_NODE_NAME']);
    expect(passwordErrors('CAMPINAS-2026!', owner, '/password')[0]?.params).toEqual({
      name: 'Loja 8 — Campinas',
    });
    // "Loja" alone is an everyday word, not the store's name.
    expect(codes('loja-de-sapatos-9')).toEqual([]);
  });

  it('reports the e-mail and the name together', () => {
    expect(codes('joaosilva-campinas')).toEqual([
      'ACCESS.PASSWORD_CONTAINS_EMAIL',
      'ACCESS.PASSWORD_CONTAINS_NODE_NAME',
    ]);
  });
});

describe('temporary passwords', () => {
  it('are 16 characters of an alphabet without look-alikes', () => {
    let i = 0;
    const made = temporaryPassword((n) => i++ % n);
    expect(made).toHaveLength(TEMPORARY_LENGTH);
    for (const c of made) expect(TEMPORARY_ALPHABET).toContain(c);
    expect(TEMPORARY_ALPHABET).not.toMatch(/[0O1lI]/);
  });
});

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
