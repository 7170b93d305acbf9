export { type CatalogueEntry, interfaceCatalogue } from './catalogue.ts';
export {
  type ConnectionInput,
  loadConnection,
  type OpenedConnection,
  openConnection,
  platformNames,
  saveConnection,
} from './connections.ts';
export * from './domain.ts';
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
export { deleteMapping, listMappings, type MappingView, mapCodes, putMapping } from './mappings.ts';
export {
  type InterfaceRunDeps,
  interfaceJobHandlers,
  purgeInterfaceRuns,
  runDueInterfaces,
  schedulerTickMs,
} from './scheduler.ts';
export { type ConnectionRow, externalCodes, findConnection, findConnectionByClient } from './store.ts';
export {
  type ConsumptionRow,
  consumptionCsv,
  maskPayload,
  REPROCESS_QUEUE,
  type ReprocessJobPayload,
  type ReprocessJobResult,
} from './ticket-domain.ts';
export {
  connectorJobHandlers,
  consumption,
  getTicket,
  listTickets,
  type ReprocessRequest,
  requestReprocess,
  type TicketDetail,
  type TicketQuery,
  type TicketView,
} from './tickets.ts';
export {
  registerVtexRoutes,
  VTEX_FETCH_QUEUE,
  type VtexDeps,
  vtexJobHandlers,
  vtexReprocessHandler,
  vtexSender,
} from './vtex/index.ts';
