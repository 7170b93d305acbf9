/**
 * The Nuvemshop adapter (issue 16 §6): its connection, webhook, order fetch and ingest, reprocessing and the
 * sender that tells Nuvemshop of invoices, tracking and cancellations.
 */
export { DEFAULT_BASE_URL, NUVEMSHOP_CALL_TICKET } from './client.ts';
export { HOOK_PATH } from './connection.ts';
export {
  type InboundDeps,
  NUVEMSHOP_FETCH_QUEUE,
  NUVEMSHOP_HOOK_TICKET,
  nuvemshopJobHandlers,
  reprocessNuvemshopOrder,
  SIGNATURE_HEADER,
} from './inbound.ts';
export { type NuvemshopRouteDeps, registerNuvemshopRoutes } from './routes.ts';
export { NFE_METAFIELD, nuvemshopSender, type SenderDeps } from './sender.ts';
