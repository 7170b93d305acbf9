import { randomUUID } from 'node:crypto';
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { pgErrorCode } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import { decodeCursor, type Page, type PageQuery, pageOf } from '../platform/pagination.ts';
import { type DeliveryType, type ExperienceFields, normaliseFields, validateExperience } from './domain.ts';
import { renderMapSvg } from './map-svg.ts';
import * as store from './store.ts';

/** A company enabled under an experience, as the caller may see it. */
export interface EnabledStoreView {
  code: string;
  name: string;
  city: string | null;
  state: string | null;
  latitude: number | null;
  longitude: number | null;
  active: boolean;
}

export interface ExperienceView extends ExperienceFields {
  code: string;
  /** Only the companies the caller can see (a store sees itself, not its siblings). */
  stores: EnabledStoreView[];
  version: number;
  updatedAt: string;
}

export interface ExperienceInput {
  /** Generated (the network's next number) when absent. */
  code?: string;
  description: string;
  carrierCode?: string | null;
  carrierName?: string | null;
  serviceCode?: string | null;
  type?: DeliveryType;
  storeCodes?: string[];
}

export type ExperienceListQuery = PageQuery & { q?: string; type?: DeliveryType; storeCode?: string };

export type ExperiencePatch = Partial<Omit<ExperienceInput, 'code' | 'storeCodes'>> & { version: number };

const notFound = (code: string) =>
  fail(
    'not_found',
    'DELIVERY.EXPERIENCE_NOT_FOUND',
    `There is no delivery experience ${code} visible to you.`,
  );

const invalid = (errors: FieldError[]) =>
  fail('invalid', 'DELIVERY.INVALID_EXPERIENCE', 'Some fields of the delivery experience are invalid.', {
    errors,
  });

const notManager = (code: string) =>
  fail(
    'forbidden',
    'DELIVERY.NOT_MANAGER',
    `The delivery experience ${code} was configured above your node; ask who configured it.`,
  );

/** Who changes experiences: an admin's principal (named in the audit log), or the demo seed's bare viewer. */
export type ExperienceEditor = network.Viewer & audit.Who;

/** An experience's audit event, scoped to the node that configured it (its owner). */
async function recordExperience(
  tx: Db,
  editor: ExperienceEditor,
  ownerPath: string,
  action: string,
  before: ExperienceView | null,
  after: ExperienceView | null,
) {
  const chain = await network.lineage(tx, ownerPath.split('/').filter(Boolean).at(-1) ?? '');
  const owner = chain.at(-1);
  const view = (before ?? after)!;
  if (!owner) return;
  const snapshot = (e: ExperienceView | null) =>
    e && {
      description: e.description,
      type: e.type,
      carrierCode: e.carrierCode,
      carrierName: e.carrierName,
      serviceCode: e.serviceCode,
      stores: e.stores.map((s) => s.code).sort(),
    };
  if (before && after && JSON.stringify(snapshot(before)) === JSON.stringify(snapshot(after))) return;
  await audit.record(tx, editor, audit.scopeOf(owner), {
    action,
    target: { type: 'delivery_experience', id: view.code, label: `${view.code} ${view.description}` },
    before: snapshot(before),
    after: snapshot(after),
  });
}

/** Every store of the network, by id (a network has hundreds at most). */
export async function networkStores(db: Db, networkId: string): Promise<Map<string, network.NetworkNode>> {
  const root = { nodeId: networkId, nodePath: `/${networkId}/`, networkId };
  return new Map((await network.storesWithin(db, root)).map((s) => [s.id, s]));
}

function present(
  row: store.ExperienceRow,
  enabled: store.EnabledStore[],
  stores: Map<string, network.NetworkNode>,
  viewer: network.Viewer,
): ExperienceView {
  const seen = enabled
    .filter((e) => network.isWithin(e.storePath, viewer.nodePath))
    .map((e) => stores.get(e.storeId))
    .filter((s): s is network.NetworkNode => s !== undefined)
    .sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));
  return {
    code: row.code,
    description: row.description,
    carrierCode: row.carrierCode,
    carrierName: row.carrierName,
    serviceCode: row.serviceCode,
    type: row.type,
    stores: seen.map((s) => ({
      code: s.code,
      name: s.name,
      city: s.address?.city ?? null,
      state: s.address?.state ?? null,
      latitude: s.latitude,
      longitude: s.longitude,
      active: s.active,
    })),
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function presentAll(db: Db, viewer: network.Viewer, rows: store.ExperienceRow[]) {
  const [enabled, stores] = await Promise.all([
    store.storesOf(
      db,
      rows.map((r) => r.id),
    ),
    networkStores(db, viewer.networkId),
  ]);
  return rows.map((r) => present(r, enabled.get(r.id) ?? [], stores, viewer));
}

async function visibleRow(db: Db, viewer: network.Viewer, code: string, lock = false) {
  const row = await store.findByCode(db, viewer.networkId, code, lock);
  return row && (await store.isVisible(db, row.id, viewer.nodePath)) ? row : undefined;
}

export async function listExperiences(
  db: Db,
  viewer: network.Viewer,
  query: ExperienceListQuery,
): Promise<Result<Page<ExperienceView>>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  let storeId: string | undefined;
  if (query.storeCode) {
    const found = await network.findStore(db, viewer, query.storeCode);
    if (!found.ok) return ok({ items: [], nextCursor: null });
    storeId = found.value.id;
  }
  const limit = query.limit ?? 50;
  const rows = await store.listVisible(db, {
    networkId: viewer.networkId,
    viewerPath: viewer.nodePath,
    q: query.q?.trim() || undefined,
    type: query.type,
    storeId,
    afterCode: cursor.value ? String(cursor.value[0]) : undefined,
    limit: limit + 1,
  });
  const page = pageOf(rows, limit, (r) => [r.code]);
  return ok({ items: await presentAll(db, viewer, page.items), nextCursor: page.nextCursor });
}

export async function getExperience(
  db: Db,
  viewer: network.Viewer,
  code: string,
): Promise<Result<ExperienceView>> {
  const row = await visibleRow(db, viewer, code);
  if (!row) return notFound(code);
  const [view] = await presentAll(db, viewer, [row]);
  return ok(view!);
}

/** The stores named, each one the viewer manages; errors point at `/storeCodes/{i}`. */
async function resolveStores(db: Db, viewer: network.Viewer, codes: string[], at = '/storeCodes') {
  // storesWithin without codes answers every store: an empty list must stay empty.
  const found = codes.length ? await network.storesWithin(db, viewer, codes) : [];
  const byCode = new Map(found.map((s) => [s.code, s]));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  codes.forEach((code, i) => {
    if (seen.has(code))
      errors.push({
        path: `${at}/${i}`,
        code: 'DELIVERY.STORE_REPEATED',
        params: { storeCode: code },
        message: `repeats store ${code}`,
      });
    else if (!byCode.has(code))
      errors.push({
        path: `${at}/${i}`,
        code: 'DELIVERY.STORE_NOT_MANAGED',
        params: { storeCode: code },
        message: `there is no store ${code} you manage`,
      });
    seen.add(code);
  });
  return {
    errors,
    nodes: codes.flatMap((code) => byCode.get(code) ?? []),
    stores: [...byCode.values()].map((s) => ({ storeId: s.id, storePath: s.path })),
  };
}

/**
 * TP_EMPRESA_POOL_DIFERENTE (seeds 003: "permite configurar uma empresa de pool diferente" in PDVFM093):
 * while it is off where the experience is configured, its companies are of one pool — the stores of one
 * central, as the split and re-routing read a pool. Errors point at the first company of another pool.
 */
async function poolErrors(
  db: Db,
  viewer: network.Viewer,
  companies: readonly network.NetworkNode[],
  at: (node: network.NetworkNode) => string,
): Promise<FieldError[]> {
  const pools = new Set(companies.map((c) => c.parentId));
  if (pools.size <= 1) return [];
  if ((await parameters.resolve(db, viewer.nodeId, 'TP_EMPRESA_POOL_DIFERENTE')).value === true) return [];
  const first = companies[0]!;
  return companies
    .filter((c) => c.parentId !== first.parentId)
    .map((c) => ({
      path: at(c),
      code: 'DELIVERY.POOL_MIXED',
      params: { store: c.code, first: first.code },
      message: `store ${c.code} is of another pool (central) than store ${first.code}; TP_EMPRESA_POOL_DIFERENTE is off`,
    }));
}

const poolMixed = (errors: FieldError[]) =>
  fail(
    'invalid',
    'DELIVERY.POOL_MIXED',
    'The companies of an experience must be of one pool while TP_EMPRESA_POOL_DIFERENTE is off.',
    { errors, data: { parameter: 'TP_EMPRESA_POOL_DIFERENTE' } },
  );

const descriptionTaken = (description: string, code: string) =>
  fail(
    'conflict',
    'DELIVERY.DESCRIPTION_TAKEN',
    `The description "${description}" is already used by the delivery experience ${code}.`,
    { data: { code } },
  );

export async function createExperience(
  db: Db,
  viewer: ExperienceEditor,
  input: ExperienceInput,
): Promise<Result<ExperienceView>> {
  const fields = normaliseFields(input);
  const errors = validateExperience(fields);
  const storeCodes = input.storeCodes ?? [];
  const { errors: storeErrors, stores, nodes } = await resolveStores(db, viewer, storeCodes);
  errors.push(...storeErrors);
  if (errors.length || fields.type === null) return invalid(errors);
  const mixed = await poolErrors(db, viewer, nodes, (n) => `/storeCodes/${storeCodes.indexOf(n.code)}`);
  if (mixed.length) return poolMixed(mixed);
  const type = fields.type;
  return transaction(db, async (tx) => {
    const code = input.code ?? (await store.nextNumericCode(tx, viewer.networkId));
    if (await store.findByCode(tx, viewer.networkId, code)) return taken(code);
    const twin = await store.findByDescription(tx, viewer.networkId, fields.description);
    if (twin) return descriptionTaken(fields.description, twin.code);
    try {
      const row = await tx.transaction(async (sp) => {
        const inserted = await store.insertExperience(sp, {
          id: randomUUID(),
          networkId: viewer.networkId,
          code,
          ownerPath: viewer.nodePath,
          ...fields,
          type,
        });
        await store.replaceStores(sp, inserted.id, stores);
        return inserted;
      });
      const [view] = await presentAll(tx, viewer, [row]);
      await recordExperience(tx, viewer, row.ownerPath, 'delivery_experience.created', null, view!);
      return ok(view!);
    } catch (error) {
      // Someone took the code or the description at the same moment.
      if (pgErrorCode(error) === '23505') {
        const twin = await store.findByDescription(tx, viewer.networkId, fields.description);
        return twin && twin.code !== code ? descriptionTaken(fields.description, twin.code) : taken(code);
      }
      throw error;
    }
  });
}

const taken = (code: string) =>
  fail('conflict', 'DELIVERY.CODE_TAKEN', `The code ${code} is already used by another delivery experience.`);

const stale = (current: number) =>
  fail(
    'conflict',
    'DELIVERY.STALE_VERSION',
    'The delivery experience changed since you read it; reload and retry.',
    {
      data: { currentVersion: current },
    },
  );

export async function updateExperience(
  db: Db,
  viewer: ExperienceEditor,
  code: string,
  patch: ExperiencePatch,
): Promise<Result<ExperienceView>> {
  return transaction(db, async (tx) => {
    const row = await visibleRow(tx, viewer, code, true);
    if (!row) return notFound(code);
    if (!network.isWithin(row.ownerPath, viewer.nodePath)) return notManager(code);
    if (row.version !== patch.version) return stale(row.version);
    const fields = normaliseFields({
      description: patch.description ?? row.description,
      carrierCode: patch.carrierCode === undefined ? row.carrierCode : patch.carrierCode,
      carrierName: patch.carrierName === undefined ? row.carrierName : patch.carrierName,
      serviceCode: patch.serviceCode === undefined ? row.serviceCode : patch.serviceCode,
      // Removing the carrier keeps the type; adding one without a type makes it ship.
      type: patch.type ?? (patch.carrierCode ? null : row.type),
    });
    const errors = validateExperience(fields);
    if (errors.length || fields.type === null) return invalid(errors);
    const twin = await store.findByDescription(tx, viewer.networkId, fields.description, row.id);
    if (twin) return descriptionTaken(fields.description, twin.code);
    const [before] = await presentAll(tx, viewer, [row]);
    const updated = await store.updateExperience(tx, row.id, row.version, { ...fields, type: fields.type });
    if (!updated) return stale(row.version + 1);
    const [view] = await presentAll(tx, viewer, [updated]);
    await recordExperience(tx, viewer, row.ownerPath, 'delivery_experience.updated', before!, view!);
    return ok(view!);
  });
}

export async function deleteExperience(
  db: Db,
  viewer: ExperienceEditor,
  code: string,
): Promise<Result<{ code: string }>> {
  return transaction(db, async (tx) => {
    const row = await visibleRow(tx, viewer, code, true);
    if (!row) return notFound(code);
    if (!network.isWithin(row.ownerPath, viewer.nodePath)) return notManager(code);
    const [before] = await presentAll(tx, viewer, [row]);
    await store.deleteExperience(tx, row.id);
    await recordExperience(tx, viewer, row.ownerPath, 'delivery_experience.deleted', before!, null);
    return ok({ code });
  });
}

/**
 * Replaces the enabled companies (the screen's "Colar empresas"). The stores outside the caller's subtree
 * that were enabled stay: a central admin cannot remove what it cannot see.
 */
export async function setExperienceStores(
  db: Db,
  viewer: ExperienceEditor,
  code: string,
  input: { storeCodes: string[]; version?: number },
): Promise<Result<ExperienceView>> {
  return transaction(db, async (tx) => {
    const row = await visibleRow(tx, viewer, code, true);
    if (!row) return notFound(code);
    if (!network.isWithin(row.ownerPath, viewer.nodePath)) return notManager(code);
    if (input.version !== undefined && input.version !== row.version) return stale(row.version);
    const { errors, stores, nodes } = await resolveStores(tx, viewer, input.storeCodes);
    if (errors.length) return invalid(errors);
    const current = (await store.storesOf(tx, [row.id])).get(row.id) ?? [];
    const kept = current.filter((s) => !network.isWithin(s.storePath, viewer.nodePath));
    const all = await networkStores(tx, viewer.networkId);
    const keptNodes = kept.flatMap((s) => all.get(s.storeId) ?? []);
    const mixed = await poolErrors(tx, viewer, [...keptNodes, ...nodes], (n) =>
      nodes.includes(n) ? `/storeCodes/${input.storeCodes.indexOf(n.code)}` : '/storeCodes',
    );
    if (mixed.length) return poolMixed(mixed);
    const [before] = await presentAll(tx, viewer, [row]);
    await store.replaceStores(tx, row.id, [...kept, ...stores]);
    const updated = await store.updateExperience(tx, row.id, row.version, {});
    if (!updated) return stale(row.version + 1);
    const [view] = await presentAll(tx, viewer, [updated]);
    await recordExperience(tx, viewer, row.ownerPath, 'delivery_experience.stores_changed', before!, view!);
    return ok(view!);
  });
}

/** The offline map of the experience's companies the caller can see. */
export async function experienceMap(
  db: Db,
  viewer: network.Viewer,
  code: string,
): Promise<Result<{ svg: string; fileName: string }>> {
  const found = await getExperience(db, viewer, code);
  if (!found.ok) return found;
  const view = found.value;
  const located = view.stores.flatMap((s) =>
    s.latitude !== null && s.longitude !== null
      ? [{ code: s.code, name: s.name, latitude: s.latitude, longitude: s.longitude }]
      : [],
  );
  const svg = renderMapSvg({
    title: `${view.code} — ${view.description}`,
    stores: located,
    withoutCoordinates: view.stores.filter((s) => s.latitude === null || s.longitude === null),
  });
  return ok({ svg, fileName: `experiencia-${view.code}.svg` });
}
