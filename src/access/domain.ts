import type { Actor, Role, Scope } from '../platform/actors.ts';
import type { FieldError } from '../platform/errors.ts';

type NodeKind = 'network' | 'central' | 'store';

/** Which node kind each actor is bound to: an admin of a central sits on the central, a cashier's POS on a store. */
export const nodeKindOf: Record<Actor, NodeKind> = {
  network_admin: 'network',
  central_admin: 'central',
  store_manager: 'store',
  store_staff: 'store',
  platform: 'network',
  pos: 'store',
  erp: 'network',
};

/** Roles an actor may hand out: never above its own. */
export const grantable: Record<Role, readonly Role[]> = {
  network_admin: ['network_admin', 'central_admin', 'store_manager', 'store_staff'],
  central_admin: ['central_admin', 'store_manager', 'store_staff'],
  store_manager: [],
  store_staff: [],
};

export const grantableScopes: Record<Role, readonly Scope[]> = {
  network_admin: ['platform', 'pos', 'erp'],
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

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** Lower case without accents: "São Paulo" and "SAO PAULO" are the same words to the policy. */
const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
/** Letters and digits only, so "joao.silva" is found in "JoaoSilva2026" too. */
const compact = (text: string) => folded(text).replace(/[^\p{L}\p{N}]/gu, '');

/**
 * What of a node's name a user would reuse: the whole name, its parts ("Loja 8" and "Campinas" in
 * "Loja 8 — Campinas") and its words of 5 letters or more. Shorter lone words ("Loja", "Sul") are everyday
 * words that would refuse too many good passwords while adding nothing a guesser would not try first.
 */
function nameParts(name: string): string[] {
  const parts = [name, ...name.split(/\s[—–-]\s|[()|/,:;]/)].map(compact).filter((p) => p.length >= 4);
  const words = folded(name)
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length >= 5);
  return [...new Set([...parts, ...words])];
}

/**
 * The password policy (issue 12), applied whenever a password is set or changed: 12 to 256 characters, and
 * not containing the user's e-mail, its local part (when 4 characters or more) or the name of the user's
 * node, compared without case or accents. `path` names the field in the request (/password, /newPassword).
 */
export function passwordErrors(
  password: string,
  owner: { email: string; nodeName: string },
  path: string,
): FieldError[] {
  if (password.length < PASSWORD_MIN) {
    return [
      {
        path,
        code: 'ACCESS.PASSWORD_TOO_SHORT',
        params: { min: PASSWORD_MIN },
        message: `must have at least ${PASSWORD_MIN} characters`,
      },
    ];
  }
  if (password.length > PASSWORD_MAX) {
    return [
      {
        path,
        code: 'ACCESS.PASSWORD_TOO_LONG',
        params: { max: PASSWORD_MAX },
        message: `must have at most ${PASSWORD_MAX} characters`,
      },
    ];
  }
  const errors: FieldError[] = [];
  const plain = folded(password);
  const dense = compact(password);
  const email = folded(owner.email.trim());
  const local = compact(email.split('@')[0] ?? '');
  if (plain.includes(email) || (local.length >= 4 && dense.includes(local))) {
    errors.push({ path, code: 'ACCESS.PASSWORD_CONTAINS_EMAIL', message: 'must not contain your e-mail' });
  }
  if (nameParts(owner.nodeName).some((part) => dense.includes(part))) {
    errors.push({
      path,
      code: 'ACCESS.PASSWORD_CONTAINS_NODE_NAME',
      params: { name: owner.nodeName },
      message: `must not contain the name of ${owner.nodeName}`,
    });
  }
  return errors;
}

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand (no 0/O, 1/l/I). */
export const TEMPORARY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
export const TEMPORARY_LENGTH = 16;

/** A temporary password from `pick(n)` (a uniform random index below n): the caller passes crypto.randomInt. */
export function temporaryPassword(pick: (n: number) => number): string {
  let out = '';
  for (let i = 0; i < TEMPORARY_LENGTH; i++) out += TEMPORARY_ALPHABET[pick(TEMPORARY_ALPHABET.length)];
  return out;
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

/**
 * Restrictions a user may have lifted beyond the role (seed 003: "Se a restrição IN_ALT_MENSAGEM estiver
 * liberada, o usuário poderá editar o conteúdo da mensagem"). Admins grant them on the users screen.
 */
export const permissions = ['IN_ALT_MENSAGEM'] as const;
export type Permission = (typeof permissions)[number];
