import type { Actor, Role, Scope } from '../platform/actors.ts';

type NodeKind = 'network' | 'central' | 'store';

/** Which node kind each actor is bound to: an admin of a central sits on the central, a cashier's POS on a store. */
export const nodeKindOf: Record<Actor, NodeKind> = {
  network_admin: 'network',
  central_admin: 'central',
  store_manager: 'store',
  store_staff: 'store',
  platform: 'network',
  pos: 'store',
};

/** Roles an actor may hand out: never above its own. */
export const grantable: Record<Role, readonly Role[]> = {
  network_admin: ['network_admin', 'central_admin', 'store_manager', 'store_staff'],
  central_admin: ['central_admin', 'store_manager', 'store_staff'],
  store_manager: [],
  store_staff: [],
};

export const grantableScopes: Record<Role, readonly Scope[]> = {
  network_admin: ['platform', 'pos'],
  central_admin: ['pos'],
  store_manager: [],
  store_staff: [],
};

export const SESSION_HOURS = 12;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Per-account login backoff: 5 wrong passwords in a row are free (typos), then each further one locks the
 * account name for twice as long as the last, from 1 s up to 15 min. A quiet hour forgets the count. It
 * holds across addresses and processes (the count is in the database), so a guesser gains nothing from
 * many addresses; unknown e-mails count the same, so the lock tells nothing about who exists.
 */
export const FREE_LOGIN_FAILURES = 5;
export const LOGIN_FAILURES_FORGOTTEN_MS = 3600_000;
export function loginLockMs(failures: number): number {
  if (failures < FREE_LOGIN_FAILURES) return 0;
  return Math.min(15 * 60_000, 1000 * 2 ** Math.min(20, failures - FREE_LOGIN_FAILURES));
}

/** Passwords: at least 8 characters with a letter and a digit. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return 'must have at least 8 characters';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'must mix letters and digits';
  return null;
}

/**
 * POS pairing codes: typed at a counter, so short and from an alphabet without look-alikes (no 0/O, 1/I/L);
 * 31^8 ≈ 8.5e11 codes, single use and living 10 minutes behind a per-address rate limit.
 */
export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_CODE_MINUTES = 10;

/** A code from random bytes; bytes that would bias the alphabet are skipped, so pass a few more than 8. */
export function pairingCodeFrom(bytes: Uint8Array): string | null {
  const n = PAIRING_ALPHABET.length;
  const limit = 256 - (256 % n);
  let code = '';
  for (const b of bytes) {
    if (b >= limit) continue;
    code += PAIRING_ALPHABET[b % n];
    if (code.length === PAIRING_CODE_LENGTH) return code;
  }
  return null;
}

/** "ABCD-EFGH" for the screen. */
export const showPairingCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** What the cashier typed, with or without the dash or spaces, any case; null when it cannot be a code. */
export function normalisePairingCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== PAIRING_CODE_LENGTH) return null;
  return [...code].every((c) => PAIRING_ALPHABET.includes(c)) ? code : null;
}

/** How much of a key is kept in clear to tell keys apart on screen. */
export const keyPrefixOf = (key: string) => key.slice(0, 8);

/** Rotation: how long the keys a new one replaces keep working. */
export const MAX_OVERLAP_HOURS = 168;
export const DEFAULT_OVERLAP_HOURS = 24;
