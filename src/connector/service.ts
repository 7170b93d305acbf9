import type { Db } from '../platform/db/index.ts';
import type { MappingKind, Platform } from './domain.ts';
import * as store from './store.ts';

export {
  type ConnectionInput,
  loadConnection,
  type OpenedConnection,
  openConnection,
  platformNames,
  saveConnection,
} from './connections.ts';
export * from './domain.ts';
export { deleteMapping, listMappings, type MappingView, putMapping } from './mappings.ts';
export { type ConnectionRow, findConnection, findConnectionByClient } from './store.ts';

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
export { type CatalogueEntry, interfaceCatalogue } from './catalogue.ts';
export {
  getInterface,
  type InterfacePatch,
  type InterfaceView,
  interfaceRuns,
  listInterfaces,
  patchInterface,
  type RunView,
  runInterfaceNow,
  seedInterfaces,
} from './interfaces.ts';
export {
  type InterfaceRunDeps,
  interfaceJobHandlers,
  runDueInterfaces,
  schedulerTickMs,
} from './scheduler.ts';
