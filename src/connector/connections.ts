import * as access from '../access/service.ts';
import * as audit from '../audit/service.ts';
import * as integration from '../integration/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { openSecret, sealSecret } from '../platform/secret-key.ts';
import type { Platform } from './domain.ts';
import { type ConnectionRow, findConnection, saveConnectionRow } from './store.ts';

/**
 * A network's connection to a platform (issue 16 §6): the settings shown, the credentials sealed, and the
 * keyless API client its orders are ingested as — whose webhook endpoint, of the platform's kind, carries the
 * order's events to the platform's sender. Shared by the VTEX and Nuvemshop adapters.
 */

export interface OpenedConnection {
  id: string;
  networkId: string;
  platform: Platform;
  clientId: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  active: boolean;
  updatedAt: Date;
}

/** The connection with its secrets opened; a seal that does not open is a configuration fault (thrown). */
export function openConnection(row: ConnectionRow, secretKey: Buffer): OpenedConnection {
  const opened = openSecret(secretKey, row.secrets);
  if (!opened.ok)
    throw new Error(
      `the ${row.platform} connection's credentials cannot be opened: ${opened.failure.detail}`,
    );
  return {
    id: row.id,
    networkId: row.networkId,
    platform: row.platform,
    clientId: row.clientId,
    settings: row.settings,
    secrets: JSON.parse(opened.value.toString('utf8')) as Record<string, string>,
    active: row.active,
    updatedAt: row.updatedAt,
  };
}

export async function loadConnection(
  db: Db,
  networkId: string,
  platform: Platform,
  secretKey: Buffer,
): Promise<OpenedConnection | undefined> {
  const row = await findConnection(db, networkId, platform);
  return row ? openConnection(row, secretKey) : undefined;
}

export interface ConnectionInput {
  /** What may be shown (account, base URL, default store code…), already validated by the adapter. */
  settings: Record<string, unknown>;
  /** The secret fields given now; a field absent keeps the stored one. */
  secrets: Record<string, string | undefined>;
  /** The secret fields the platform needs: missing after the merge → 422. */
  requiredSecrets: readonly string[];
  active?: boolean;
  /** Where the sender's calls go (the webhook endpoint's `url`, shown on the deliveries screen). */
  endpointUrl: string;
}

/**
 * Creates or replaces the network's connection to a platform, in one transaction with its API client, its
 * sender endpoint and the audit event (secrets masked). Network admins only (the routes say so).
 */
export async function saveConnection(
  db: Db,
  editor: Principal & audit.Who,
  platform: Platform,
  input: ConnectionInput,
  secretKey: Buffer,
): Promise<Result<OpenedConnection>> {
  const root = editor.networkId ? await network.getNodeById(db, editor.networkId) : undefined;
  if (!root) return fail('forbidden', 'CONNECTOR.NETWORK_ONLY', 'A connection belongs to a network.');
  return transaction(db, async (tx) => {
    const before = await findConnection(tx, root.networkId, platform);
    const stored = before ? openConnection(before, secretKey).secrets : {};
    const secrets: Record<string, string> = { ...stored };
    for (const [k, v] of Object.entries(input.secrets)) if (v !== undefined) secrets[k] = v;
    const missing = input.requiredSecrets.filter((k) => !secrets[k]);
    if (missing.length) {
      return fail('invalid', 'CONNECTOR.CONNECTION_INVALID', 'The connection needs its credentials.', {
        errors: missing.map((k) => ({
          path: `/${k}`,
          code: 'CONNECTOR.SECRET_REQUIRED',
          message: 'is required when the network has no connection yet',
        })),
      });
    }
    const clientId =
      before?.clientId ??
      (
        await access.connectorClient(tx, {
          name: `${platformNames[platform]} (conector)`,
          networkRootId: root.id,
        })
      ).id;
    const active = input.active ?? before?.active ?? true;
    const row = await saveConnectionRow(tx, {
      networkId: root.networkId,
      platform,
      clientId,
      settings: input.settings,
      secrets: sealSecret(secretKey, JSON.stringify(secrets)),
      active,
      updatedBy: editor.name,
    });
    await integration.setSenderEndpoint(tx, {
      clientId,
      kind: platform,
      url: input.endpointUrl,
      active,
      secret: secrets[input.requiredSecrets[0] ?? ''] ?? platform,
      secretKey,
    });
    const masked = (s: Record<string, unknown>) =>
      Object.fromEntries(Object.keys(s).map((k) => [k, audit.MASK]));
    await audit.record(tx, editor, audit.scopeOf(root), {
      action: before ? 'connector_connection.changed' : 'connector_connection.created',
      target: {
        type: 'connector_connection',
        id: `${platform}@${root.code}`,
        label: platformNames[platform],
      },
      before: before ? { settings: before.settings, active: before.active, secrets: masked(stored) } : null,
      after: { settings: input.settings, active, secrets: masked(secrets) },
    });
    return ok(openConnection(row, secretKey));
  });
}

export const platformNames: Record<Platform, string> = { vtex: 'VTEX', nuvemshop: 'Nuvemshop' };
