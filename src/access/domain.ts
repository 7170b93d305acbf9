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
