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

/** Passwords: at least 8 characters with a letter and a digit. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return 'must have at least 8 characters';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'must mix letters and digits';
  return null;
}
