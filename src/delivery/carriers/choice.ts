/**
 * Which carrier client serves a store's orders of a carrier code (issue 15 §3): the nearest active account
 * on the store's chain, its adapter built from its settings and opened credentials.
 *
 * One client per account is kept with the `updated_at` it was built from (as fiscal/authorizer/choice.ts
 * keeps SEFAZ clients): every resolution reads the chain's rows (indexed, cheap next to a call to a
 * carrier) and rebuilds the client when the account changed, so no process uses stale credentials once a
 * change is committed, even one made by another process. The Correios client keeps its token and label
 * receipts inside, which is why it is kept and not rebuilt per call.
 */
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { ok, type Result } from '../../platform/errors.ts';
import { type TicketRecorder, ticketRecorder } from '../../platform/tickets/service.ts';
import {
  type AccountEditor,
  type AccountRow,
  accountToTest,
  activeAccountsOf,
  openCredentials,
  resolveAccount,
} from './accounts.ts';
import { type CorreiosCredentials, type CorreiosSettings, createCorreiosCarrier } from './correios/client.ts';
import {
  createMelhorEnvioCarrier,
  createMelhorEnvioWebhook,
  type MelhorEnvioCredentials,
  type MelhorEnvioSettings,
} from './melhor-envio/client.ts';
import { type Carrier, CarrierFault, type CarrierFor, type CarrierWebhook, type Quote } from './port.ts';

export interface CarrierClientOptions {
  /** Per call to the carrier (default 15 s). */
  readonly timeoutMs?: number;
  readonly clock?: () => Date;
  /** How long a Correios label still being generated waits before it is asked again. */
  readonly labelRetryAfterMs?: number;
  /** Where each call is recorded as a connector ticket; by default the database the accounts are read from. */
  readonly tickets?: TicketRecorder;
}

/** An account whose sealed credentials do not open (another installation key): a configuration fault. */
export class CarrierAccountUnreadable extends Error {
  constructor(readonly carrierCode: string) {
    super(`The credentials of the ${carrierCode} account do not open with this installation's key`);
    this.name = 'CarrierAccountUnreadable';
  }
}

/** `networkId`: the network the account's calls are filed under as tickets. */
export function buildCarrier(
  row: AccountRow,
  secretKey: Buffer,
  options: CarrierClientOptions & { networkId?: string | null } = {},
): Carrier {
  const credentials = openCredentials(secretKey, row);
  if (!credentials) throw new CarrierAccountUnreadable(row.carrierCode);
  if (row.adapter === 'correios')
    return createCorreiosCarrier(
      row.settings as CorreiosSettings,
      credentials as CorreiosCredentials,
      options,
    );
  return createMelhorEnvioCarrier(
    row.settings as MelhorEnvioSettings,
    credentials as MelhorEnvioCredentials,
    options,
  );
}

/** The adapters that push their events (a webhook) rather than only answering polls. */
const pushing = new Set<AccountRow['adapter']>(['melhor_envio']);

export function carrierFor(db: Db, secretKey: Buffer, options: CarrierClientOptions = {}): CarrierFor {
  const clients = new Map<string, { builtFrom: number; client: Carrier }>();
  const tickets = options.tickets ?? ticketRecorder(db);
  return async (storeId, carrierCode) => {
    const row = await resolveAccount(db, storeId, carrierCode);
    if (!row) return null;
    const builtFrom = row.updatedAt.getTime();
    const cached = clients.get(row.id);
    if (cached?.builtFrom === builtFrom) return cached.client;
    const networkId = (await network.placement(db, row.nodeId))?.networkId ?? null;
    const client = buildCarrier(row, secretKey, { ...options, tickets, networkId });
    clients.set(row.id, { builtFrom, client });
    return client;
  };
}

/**
 * The webhooks that may have sent an event to `POST /carrier-events/{carrier}`: every active account of that
 * code whose adapter pushes events, with its network. The endpoint checks each signature; the one that
 * verifies says which network the event belongs to. Accounts whose credentials do not open are left out.
 */
export function carrierWebhookFor(
  db: Db,
  secretKey: Buffer,
): (carrierCode: string) => Promise<readonly { webhook: CarrierWebhook; networkId: string }[]> {
  return async (carrierCode) => {
    const rows = (await activeAccountsOf(db, carrierCode)).filter((r) => pushing.has(r.adapter));
    const found: { webhook: CarrierWebhook; networkId: string }[] = [];
    for (const row of rows) {
      const credentials = openCredentials(secretKey, row) as MelhorEnvioCredentials | null;
      const place = await network.placement(db, row.nodeId);
      if (!credentials || !place) continue;
      found.push({ webhook: createMelhorEnvioWebhook(credentials), networkId: place.networkId });
    }
    return found;
  };
}

export interface AccountTestInput {
  readonly fromPostalCode?: string;
  readonly toPostalCode?: string;
  readonly service?: string;
}

/** What the carrier said to a sample quote: its prices, its refusal, or the fault that kept it from answering. */
export type AccountTestOutcome =
  | { readonly outcome: 'quoted'; readonly quotes: Quote[] }
  | { readonly outcome: 'refused'; readonly code: string; readonly message: string }
  | {
      readonly outcome: 'fault';
      readonly kind: string;
      readonly message: string;
      readonly httpStatus: number | null;
    };

/** The sample the "Testar" button quotes: one 1 kg box of 20 × 15 × 10 cm worth R$ 100,00. */
const SAMPLE_PARCEL = { weightGrams: 1000, heightCm: 10, widthCm: 15, lengthCm: 20 };

/**
 * Quotes a sample parcel with a node's own account ("Testar"): from the node's CEP (or the request's) to the
 * request's CEP (or the same). Called outside any transaction; changes nothing.
 */
export async function testAccount(
  db: Db,
  editor: AccountEditor,
  secretKey: Buffer,
  nodeCode: string,
  carrierCode: string,
  input: AccountTestInput,
  options: CarrierClientOptions = {},
): Promise<Result<AccountTestOutcome>> {
  const found = await accountToTest(db, editor, nodeCode, carrierCode);
  if (!found.ok) return found;
  const from = input.fromPostalCode ?? found.value.node.address?.postalCode ?? '01001000';
  let carrier: Carrier;
  try {
    carrier = buildCarrier(found.value.row, secretKey, {
      tickets: ticketRecorder(db),
      ...options,
      networkId: found.value.node.networkId,
    });
  } catch (error) {
    if (error instanceof CarrierAccountUnreadable)
      return ok({
        outcome: 'fault',
        kind: 'unreadable_credentials',
        message: error.message,
        httpStatus: null,
      });
    throw error;
  }
  try {
    const answer = await carrier.quote({
      fromPostalCode: from,
      toPostalCode: input.toPostalCode ?? from,
      parcels: [SAMPLE_PARCEL],
      declaredValue: '100.00',
      service: input.service,
    });
    if ('refused' in answer) return ok({ outcome: 'refused', code: answer.code, message: answer.message });
    return ok({ outcome: 'quoted', quotes: [...answer] });
  } catch (error) {
    if (error instanceof CarrierFault)
      return ok({
        outcome: 'fault',
        kind: error.kind,
        message: faultSummary(error),
        httpStatus: error.httpStatus ?? null,
      });
    throw error;
  }
}

/**
 * A fault as "Testar" reports it: never the body the address answered, so an account pointed at some other
 * server cannot be used to read that server's pages through Omnihub.
 */
function faultSummary(fault: CarrierFault): string {
  if (fault.kind === 'http_status') return `HTTP ${fault.httpStatus}`;
  if (fault.kind === 'unexpected_body') return 'The answer is not the one the carrier documents';
  return fault.message;
}
