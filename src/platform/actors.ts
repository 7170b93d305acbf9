/** Who can act in Omnihub: users by role, API clients by scope. Pure, so domain code may use it. */
export const roles = ['network_admin', 'central_admin', 'store_manager', 'store_staff'] as const;
export type Role = (typeof roles)[number];
/** `erp`: the network's ERP reading finance (receivables, balances, the daily closing, an order's money). */
export const scopes = ['platform', 'pos', 'erp'] as const;
export type Scope = (typeof scopes)[number];
/** Who may call an endpoint: a user's role or an API client's scope. */
export type Actor = Role | Scope;
export const actors: readonly Actor[] = [...roles, ...scopes];
