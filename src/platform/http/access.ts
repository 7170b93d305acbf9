import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Actor, roles } from '../actors.ts';
import { FailureError } from '../errors.ts';

export { type Actor, actors, type Role, roles, type Scope, scopes } from '../actors.ts';

export interface Principal {
  readonly kind: 'user' | 'client';
  readonly id: string;
  readonly name: string;
  readonly actor: Actor;
  /** The network node the principal belongs to: what it sees is decided from here. */
  readonly nodeId: string;
  readonly nodePath: string;
  readonly networkId: string;
  /** The IP address the request came from (what the audit log records); absent outside a request. */
  readonly address?: string | null;
  /** The session a user signed in with (absent for API clients). */
  readonly sessionId?: string;
  /** A user signed in with a temporary password: only the routes marked `passwordChange` let them in. */
  readonly mustChangePassword?: boolean;
  /** A user's permissions beyond the role (IN_ALT_MENSAGEM); none for API clients. */
  readonly permissions?: readonly string[];
}

/** Every route declares its access: `public`, or the actors allowed. Undeclared routes refuse to register. */
export type Access = 'public' | readonly Actor[];

export const backOffice: readonly Actor[] = roles;
export const admins: readonly Actor[] = ['network_admin', 'central_admin'];
/** The back office and the network's ERP (an API client of scope `erp`), for finance's reads. */
export const financeReaders: readonly Actor[] = [...roles, 'erp'];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Reachable by a user who must still replace a temporary password (sign-out, own account, the change itself). */
    passwordChange?: 'allowed';
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type Authenticate = (token: string) => Promise<Principal | null>;

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf called on a public route');
  return request.principal;
}

export function registerAccess(app: FastifyInstance, authenticate: Authenticate) {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (route.url.startsWith('/api/') && access === undefined) {
      throw new Error(`Route ${route.method} ${route.url} does not declare its access`);
    }
    if (access && access !== 'public') {
      route.schema = { ...route.schema, security: [{ bearer: [] }] };
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new FailureError({
        kind: 'unauthorized',
        code: 'AUTH.MISSING_CREDENTIALS',
        detail: 'Send "Authorization: Bearer <api key or session token>".',
      });
    }
    const principal = await authenticate(match[1]!);
    if (!principal) {
      throw new FailureError({
        kind: 'unauthorized',
        code: 'AUTH.INVALID_CREDENTIALS',
        detail: 'The token or API key is unknown, revoked or expired.',
      });
    }
    if (!access.includes(principal.actor)) {
      throw new FailureError({
        kind: 'forbidden',
        code: 'AUTH.FORBIDDEN',
        detail: `This operation is not available to ${principal.actor}.`,
      });
    }
    if (principal.mustChangePassword && request.routeOptions.config.passwordChange !== 'allowed') {
      throw new FailureError({
        kind: 'forbidden',
        code: 'AUTH.PASSWORD_CHANGE_REQUIRED',
        detail: 'Choose a new password first (POST /api/v1/auth/password): this one was temporary.',
      });
    }
    request.principal = { ...principal, address: request.ip };
  });
}
