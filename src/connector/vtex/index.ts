/**
 * The VTEX adapter of the connector (issue 16 §6): the connection, the orders hook and its job, the
 * reprocessing of held orders, and the sender of Omnihub's order events back to VTEX's OMS.
 */
export { VTEX_CALL_TICKET } from './client.ts';
export { VTEX_FETCH_QUEUE, type VtexDeps, vtexJobHandlers, vtexReprocessHandler } from './intake.ts';
export { registerVtexRoutes, type VtexRouteDeps } from './routes.ts';
export { vtexSender } from './sender.ts';
