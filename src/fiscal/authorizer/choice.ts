/**
 * Which authoriser serves a store (issue 14 §3): its fiscal settings say `simulator` (the demo's default)
 * or `sefaz`, and a `sefaz` store gets a web-service client built from its opened A1 certificate, its
 * state (UF) and its environment (tpAmb).
 *
 * One client per store is kept, with the settings' `updated_at` it was built from. Every call reads that
 * row by primary key (one indexed read, cheap next to a call to SEFAZ) and rebuilds the client when it
 * differs, so no process serves a stale client once a settings change is acknowledged, even when the
 * change was made by another process sharing the database.
 */
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { type TicketRecorder, ticketRecorder } from '../../platform/tickets/service.ts';
import type { Uf } from '../../platform/uf.ts';
import { type AuthorizerChoice, authorizerSettings, storeCertificate, storeUf } from '../settings.ts';
import type { A1Certificate } from '../xml/index.ts';
import type { Authorizer, AuthorizerFor } from './port.ts';

/** What the SEFAZ client of one store is built from. */
export interface SefazClientInput {
  readonly certificate: A1Certificate;
  readonly uf: Uf;
  /** tpAmb: 1 production, 2 homologação. */
  readonly environment: '1' | '2';
  /** Where the client records each call as a connector ticket, under the store's network. */
  readonly tickets?: TicketRecorder;
  readonly networkId?: string | null;
}

export type SefazClientFactory = (options: SefazClientInput) => Authorizer;

export interface AuthorizerChoiceOptions {
  /** The authoriser of every store whose settings do not say `sefaz`. */
  readonly simulator: Authorizer;
  /** Builds a store's SEFAZ client; without it a `sefaz` store cannot be served (AuthorizerUnavailable). */
  readonly sefazClient?: SefazClientFactory;
  /** Opens the stores' sealed certificates. */
  readonly secretKey?: Buffer;
}

/**
 * A store chose SEFAZ but its client cannot be built (no certificate that opens, no state, no SEFAZ client
 * in this process). A configuration fault, not SEFAZ's answer: the caller retries or shows it.
 */
export class AuthorizerUnavailable extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'AuthorizerUnavailable';
    this.code = code;
  }
}

/** The authoriser a store's settings choose, and what chose it. */
export interface ChosenAuthorizer {
  readonly kind: AuthorizerChoice;
  readonly environment: '1' | '2';
  readonly authorizer: Authorizer;
}

export interface AuthorizerResolver extends AuthorizerFor {
  choose(storeId: string): Promise<ChosenAuthorizer>;
}

export function authorizerFor(db: Db, options: AuthorizerChoiceOptions): AuthorizerResolver {
  const clients = new Map<string, { builtFrom: number; client: Authorizer }>();
  const tickets = ticketRecorder(db);

  async function build(storeId: string, environment: '1' | '2'): Promise<Authorizer> {
    if (!options.sefazClient || !options.secretKey)
      throw new AuthorizerUnavailable(
        'FISCAL.SEFAZ_CLIENT_MISSING',
        'The store chose SEFAZ but this process has no SEFAZ client.',
      );
    const store = await network.getNodeById(db, storeId);
    const uf = store && storeUf(store);
    if (!uf)
      throw new AuthorizerUnavailable(
        'FISCAL.STORE_STATE_UNKNOWN',
        'The store chose SEFAZ but its registration has no state (UF).',
      );
    const certificate = await storeCertificate(db, storeId, options.secretKey);
    if (!certificate.ok)
      throw new AuthorizerUnavailable(certificate.failure.code, certificate.failure.detail);
    return options.sefazClient({
      certificate: certificate.value,
      uf,
      environment,
      tickets,
      networkId: store.networkId,
    });
  }

  async function choose(storeId: string): Promise<ChosenAuthorizer> {
    const settings = await authorizerSettings(db, storeId);
    const environment = settings?.environment ?? '2';
    if (settings?.authorizer !== 'sefaz') {
      clients.delete(storeId);
      return { kind: 'simulator', environment, authorizer: options.simulator };
    }
    const builtFrom = settings.updatedAt.getTime();
    const cached = clients.get(storeId);
    if (cached?.builtFrom === builtFrom) return { kind: 'sefaz', environment, authorizer: cached.client };
    const client = await build(storeId, environment);
    clients.set(storeId, { builtFrom, client });
    return { kind: 'sefaz', environment, authorizer: client };
  }

  const resolve = async (storeId: string) => (await choose(storeId)).authorizer;
  return Object.assign(resolve, { choose });
}
