import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { pgErrorCode } from '../../platform/db/sql.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import { type Actor, admins } from '../../platform/http/access.ts';
import { openSecret, sealSecret } from '../../platform/secret-key.ts';
import type { CarrierAdapter } from './port.ts';
import { carrierAccounts } from './schema.ts';
import { type AccountCredentials, checkCredentials, checkSettings, secretFields } from './settings.ts';

/**
 * The carrier codes whose events reach a store's orders by themselves: an active account on the store or one
 * of its ancestors. An order of any other carrier (PROPRIA, a carrier without an account, none at all) is
 * moved to "in transit" and "delivered" by hand, so no ship order is ever stuck after invoicing.
 */
export async function carrierCodesWithAccount(db: Db, storeId: string): Promise<string[]> {
  const chain = await network.lineage(db, storeId);
  if (chain.length === 0) return [];
  const found = await db
    .selectDistinct({ code: carrierAccounts.carrierCode })
    .from(carrierAccounts)
    .where(
      and(
        inArray(
          carrierAccounts.nodeId,
          chain.map((n) => n.id),
        ),
        eq(carrierAccounts.active, true),
      ),
    );
  return found.map((r) => r.code).sort();
}

export type AccountRow = typeof carrierAccounts.$inferSelect;

/** An account as the API answers it: the credentials only as "stored". */
export interface CarrierAccountView {
  nodeCode: string;
  carrierCode: string;
  adapter: CarrierAdapter;
  /** The adapter's settings (AccountSettings), as stored. */
  settings: Record<string, unknown>;
  credentials: 'stored';
  active: boolean;
  /** Held by an ancestor of the node asked about. */
  inherited: boolean;
  /** The account the node's orders of this carrier code use (the nearest active one). */
  effective: boolean;
  updatedAt: string;
  updatedBy: string | null;
}

export type AccountEditor = network.Viewer & { id: string; actor: Actor } & audit.Who;

export interface AccountInput {
  adapter: CarrierAdapter;
  settings?: unknown;
  credentials?: unknown;
  active?: boolean;
}

export const CARRIER_CODE = /^[A-Z0-9_]{1,20}$/;

/** The accounts of a node's chain, root first (so the nearest is last). */
async function chainAccounts(db: Db, nodeId: string) {
  const chain = await network.lineage(db, nodeId);
  if (chain.length === 0) return { chain, rows: [] as AccountRow[] };
  const rows = await db
    .select()
    .from(carrierAccounts)
    .where(
      inArray(
        carrierAccounts.nodeId,
        chain.map((n) => n.id),
      ),
    );
  const depth = new Map(chain.map((n, i) => [n.id, i]));
  rows.sort(
    (a, b) => depth.get(a.nodeId)! - depth.get(b.nodeId)! || a.carrierCode.localeCompare(b.carrierCode),
  );
  return { chain, rows };
}

/** The account serving a node's orders of a carrier code: the nearest active one on the node's chain. */
export async function resolveAccount(
  db: Db,
  nodeId: string,
  carrierCode: string,
): Promise<AccountRow | null> {
  const { rows } = await chainAccounts(db, nodeId);
  const code = carrierCode.trim().toUpperCase();
  return rows.filter((r) => r.carrierCode === code && r.active).at(-1) ?? null;
}

function present(
  row: AccountRow,
  chain: network.NodeIdentity[],
  nodeId: string,
  effective: boolean,
): CarrierAccountView {
  return {
    nodeCode: chain.find((n) => n.id === row.nodeId)?.code ?? '',
    carrierCode: row.carrierCode,
    adapter: row.adapter,
    settings: row.settings as Record<string, unknown>,
    credentials: 'stored',
    active: row.active,
    inherited: row.nodeId !== nodeId,
    effective,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

/** The node's own accounts and those it inherits, nearest first within each carrier code. */
export async function listAccounts(
  db: Db,
  viewer: network.Viewer,
  nodeCode: string,
): Promise<Result<CarrierAccountView[]>> {
  const node = await network.getNode(db, viewer, nodeCode);
  if (!node.ok) return node;
  const { chain, rows } = await chainAccounts(db, node.value.id);
  const effective = new Map<string, string>();
  for (const r of rows) if (r.active) effective.set(r.carrierCode, r.id);
  return ok(
    [...rows]
      .reverse()
      .sort((a, b) => a.carrierCode.localeCompare(b.carrierCode))
      .map((r) => present(r, chain, node.value.id, effective.get(r.carrierCode) === r.id)),
  );
}

async function editableNode(
  db: Db,
  editor: AccountEditor,
  nodeCode: string,
): Promise<Result<network.NetworkNode>> {
  if (!admins.includes(editor.actor))
    return fail('forbidden', 'CARRIER.NOT_ADMIN', 'Only network and central admins manage carrier accounts.');
  const node = await network.getNode(db, editor, nodeCode);
  if (!node.ok) return node;
  if (!network.isWithin(node.value.path, editor.nodePath))
    return fail(
      'forbidden',
      'CARRIER.NOT_MANAGER',
      `Carrier accounts of ${nodeCode} are managed above you; you may change them at your node or below it.`,
    );
  return node;
}

async function heldAccount(db: Db, nodeId: string, carrierCode: string): Promise<AccountRow | null> {
  const [row] = await db
    .select()
    .from(carrierAccounts)
    .where(and(eq(carrierAccounts.nodeId, nodeId), eq(carrierAccounts.carrierCode, carrierCode)));
  return row ?? null;
}

const target = (carrierCode: string, node: { code: string }) => ({
  type: 'carrier_account',
  id: `${carrierCode}@${node.code}`,
  label: carrierCode,
});

/** Opens an account's credentials; a seal that does not open is a configuration fault of that account. */
export function openCredentials(
  secretKey: Buffer,
  row: Pick<AccountRow, 'sealedCredentials'>,
): AccountCredentials | null {
  const opened = openSecret(secretKey, row.sealedCredentials);
  if (!opened.ok) return null;
  try {
    return JSON.parse(opened.value.toString('utf8')) as AccountCredentials;
  } catch {
    return null;
  }
}

const snapshot = (
  row: { adapter: string; settings: unknown; active: boolean },
  credentials: AccountCredentials | null,
) => ({
  adapter: row.adapter,
  settings: row.settings,
  active: row.active,
  credentials,
});

/**
 * Creates or replaces the account a node holds for a carrier code. Credentials are required on create and
 * when the adapter changes; absent on an update, the stored ones are kept.
 */
export async function putAccount(
  db: Db,
  editor: AccountEditor,
  secretKey: Buffer,
  nodeCode: string,
  carrierCodeRaw: string,
  input: AccountInput,
): Promise<Result<CarrierAccountView>> {
  const carrierCode = carrierCodeRaw.trim().toUpperCase();
  if (!CARRIER_CODE.test(carrierCode))
    return fail(
      'invalid',
      'CARRIER.CODE_INVALID',
      'A carrier code is 1 to 20 letters, digits or underscores.',
    );
  const node = await editableNode(db, editor, nodeCode);
  if (!node.ok) return node;
  const before = await heldAccount(db, node.value.id, carrierCode);
  const settings = checkSettings(input.adapter, input.settings);
  const keep = before && before.adapter === input.adapter && input.credentials === undefined;
  const credentials = keep ? null : checkCredentials(input.adapter, input.credentials);
  const errors = [...settings.errors, ...(credentials?.errors ?? [])];
  if (errors.length)
    return fail(
      'invalid',
      'CARRIER.ACCOUNT_INVALID',
      `The account does not fit the ${input.adapter} adapter.`,
      {
        errors,
        data: { adapter: input.adapter },
      },
    );
  const beforeCredentials = before ? openCredentials(secretKey, before) : null;
  const sealed = credentials
    ? sealSecret(secretKey, JSON.stringify(credentials.value))
    : before!.sealedCredentials;
  const active = input.active ?? before?.active ?? true;
  return transaction(db, async (tx) => {
    const now = new Date();
    try {
      await tx
        .insert(carrierAccounts)
        .values({
          id: randomUUID(),
          nodeId: node.value.id,
          carrierCode,
          adapter: input.adapter,
          settings: settings.value,
          sealedCredentials: sealed,
          active,
          updatedBy: editor.id,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target: [carrierAccounts.nodeId, carrierAccounts.carrierCode],
          set: {
            adapter: input.adapter,
            settings: settings.value,
            sealedCredentials: sealed,
            active,
            updatedBy: editor.id,
            updatedAt: now,
          },
        });
    } catch (error) {
      if (pgErrorCode(error) === '23503')
        return fail('not_found', 'NETWORK.NODE_NOT_FOUND', `There is no node ${nodeCode} visible to you.`);
      throw error;
    }
    const after = { adapter: input.adapter, settings: settings.value, active };
    await audit.record(tx, editor, audit.scopeOf(node.value), {
      action: before ? 'carrier_account.changed' : 'carrier_account.created',
      target: target(carrierCode, node.value),
      before: before && snapshot(before, beforeCredentials),
      after: snapshot(after, credentials?.value ?? beforeCredentials),
      secrets: secretFields,
    });
    const row = (await heldAccount(tx, node.value.id, carrierCode))!;
    const chain = await network.lineage(tx, node.value.id);
    const resolved = await resolveAccount(tx, node.value.id, carrierCode);
    return ok(present(row, chain, node.value.id, resolved?.id === row.id));
  });
}

/** Removes the account a node holds; the node inherits its ancestors' again. 404 when it holds none. */
export async function deleteAccount(
  db: Db,
  editor: AccountEditor,
  secretKey: Buffer,
  nodeCode: string,
  carrierCodeRaw: string,
): Promise<Result<null>> {
  const carrierCode = carrierCodeRaw.trim().toUpperCase();
  const node = await editableNode(db, editor, nodeCode);
  if (!node.ok) return node;
  return transaction(db, async (tx) => {
    const before = await heldAccount(tx, node.value.id, carrierCode);
    if (!before)
      return fail(
        'not_found',
        'CARRIER.ACCOUNT_NOT_FOUND',
        `${nodeCode} holds no account for ${carrierCode}.`,
      );
    await tx.delete(carrierAccounts).where(eq(carrierAccounts.id, before.id));
    await audit.record(tx, editor, audit.scopeOf(node.value), {
      action: 'carrier_account.removed',
      target: target(carrierCode, node.value),
      before: snapshot(before, openCredentials(secretKey, before)),
      after: null,
      secrets: secretFields,
    });
    return ok(null);
  });
}

/** The account a node itself holds, for the "Testar" button (an admin tests what they manage). */
export async function accountToTest(
  db: Db,
  editor: AccountEditor,
  nodeCode: string,
  carrierCodeRaw: string,
): Promise<Result<{ row: AccountRow; node: network.NetworkNode }>> {
  const carrierCode = carrierCodeRaw.trim().toUpperCase();
  const node = await editableNode(db, editor, nodeCode);
  if (!node.ok) return node;
  const row = await heldAccount(db, node.value.id, carrierCode);
  if (!row)
    return fail('not_found', 'CARRIER.ACCOUNT_NOT_FOUND', `${nodeCode} holds no account for ${carrierCode}.`);
  return ok({ row, node: node.value });
}

/** Every active account of a carrier code in every network (for a webhook that names only the carrier). */
export async function activeAccountsOf(db: Db, carrierCode: string): Promise<AccountRow[]> {
  return db
    .select()
    .from(carrierAccounts)
    .where(
      and(
        eq(carrierAccounts.carrierCode, carrierCode.trim().toUpperCase()),
        eq(carrierAccounts.active, true),
      ),
    );
}
