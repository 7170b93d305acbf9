import * as audit from '../audit/service.ts';
import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { type Mapping, type MappingKind, type Platform, paymentMethodCodes } from './domain.ts';
import * as store from './store.ts';

/**
 * The mapping of a platform's codes to Omnihub's (issue 16 §6): stores, SKUs and payment methods, per
 * network, set by its admins. An order that names a code no mapping (nor the default) resolves is held as
 * a failed ticket; fixing the mapping and reprocessing the ticket brings it in.
 */

export interface MappingView extends Mapping {
  updatedAt: string;
  updatedBy: string | null;
}

type Editor = Principal & audit.Who;

const view = (r: store.MappingRow): MappingView => ({
  platform: r.platform,
  kind: r.kind,
  externalCode: r.externalCode,
  internalCode: r.internalCode,
  updatedAt: r.updatedAt.toISOString(),
  updatedBy: r.updatedBy,
});

async function networkRoot(db: Db, viewer: Principal) {
  if (!viewer.networkId) return undefined;
  return network.getNodeById(db, viewer.networkId);
}

export async function listMappings(
  db: Db,
  viewer: Principal,
  platform: Platform,
  kind?: MappingKind,
): Promise<MappingView[]> {
  if (!viewer.networkId) return [];
  return (await store.listMappings(db, viewer.networkId, platform, kind)).map(view);
}

/** Why an internal code cannot be the target of a mapping of this kind, or null when it can. */
async function targetRefusal(
  db: Db,
  viewer: Principal,
  kind: MappingKind,
  internalCode: string,
): Promise<string | null> {
  if (kind === 'payment') {
    return (paymentMethodCodes as readonly string[]).includes(internalCode)
      ? null
      : `is not a payment method (${paymentMethodCodes.join(', ')})`;
  }
  if (kind === 'store') {
    const found = await network.findStore(db, viewer, internalCode);
    return found.ok ? null : `there is no store ${internalCode} in the network`;
  }
  const [product] = await catalog.productsBySku(db, viewer.networkId!, [internalCode]);
  return product ? null : `there is no product with SKU ${internalCode}`;
}

export async function putMapping(db: Db, editor: Editor, m: Mapping): Promise<Result<MappingView>> {
  const root = await networkRoot(db, editor);
  if (!root) return fail('forbidden', 'CONNECTOR.NETWORK_ONLY', 'Mappings belong to a network.');
  const refusal = await targetRefusal(db, editor, m.kind, m.internalCode);
  if (refusal) {
    return fail('invalid', 'CONNECTOR.MAPPING_INVALID', 'The mapping names nothing Omnihub knows.', {
      errors: [{ path: '/internalCode', code: 'CONNECTOR.UNKNOWN_TARGET', message: refusal }],
    });
  }
  return transaction(db, async (tx) => {
    const key = {
      networkId: root.networkId,
      platform: m.platform,
      kind: m.kind,
      externalCode: m.externalCode,
    };
    const before = await store.findMapping(tx, key);
    const row = await store.upsertMapping(tx, {
      ...key,
      internalCode: m.internalCode,
      updatedBy: 'name' in editor ? String(editor.name) : null,
    });
    await audit.record(tx, editor, audit.scopeOf(root), {
      action: before ? 'connector_mapping.changed' : 'connector_mapping.created',
      target: {
        type: 'connector_mapping',
        id: `${m.platform}:${m.kind}:${m.externalCode}`,
        label: m.externalCode,
      },
      before: before ? { ...view(before) } : null,
      after: { ...view(row) },
    });
    return ok(view(row));
  });
}

export async function deleteMapping(
  db: Db,
  editor: Editor,
  key: { platform: Platform; kind: MappingKind; externalCode: string },
): Promise<Result<{ removed: true }>> {
  const root = await networkRoot(db, editor);
  if (!root) return fail('forbidden', 'CONNECTOR.NETWORK_ONLY', 'Mappings belong to a network.');
  return transaction(db, async (tx) => {
    const removed = await store.deleteMapping(tx, { ...key, networkId: root.networkId });
    if (!removed) {
      return fail(
        'not_found',
        'CONNECTOR.MAPPING_NOT_FOUND',
        `There is no ${key.kind} mapping for ${key.externalCode}.`,
      );
    }
    await audit.record(tx, editor, audit.scopeOf(root), {
      action: 'connector_mapping.removed',
      target: {
        type: 'connector_mapping',
        id: `${key.platform}:${key.kind}:${key.externalCode}`,
        label: key.externalCode,
      },
      before: { ...view(removed) },
      after: null,
    });
    return ok({ removed: true as const });
  });
}

/**
 * Translates a platform's codes of one kind to Omnihub's. A code without a mapping row answers `fallback`
 * of it (the identity for SKUs, since a VTEX item's `refId` is the Omnihub SKU by contract), or is missing
 * from the answer when `fallback` gives undefined — the caller then holds the order as a failed ticket.
 */
export async function mapCodes(
  db: Db,
  networkId: string,
  platform: Platform,
  kind: MappingKind,
  externalCodes: readonly string[],
  fallback: (external: string) => string | undefined = () => undefined,
): Promise<Map<string, string>> {
  const mapped = await store.mappedCodes(db, networkId, platform, kind, externalCodes);
  const answer = new Map<string, string>();
  for (const code of externalCodes) {
    const internal = mapped.get(code) ?? fallback(code);
    if (internal !== undefined) answer.set(code, internal);
  }
  return answer;
}
