/**
 * The split context's door (seeds: "Split de Pedido de Venda"). When the fulfilling store lacks stock, the
 * order's pending quantities are allocated to other companies of the group; each becomes a stock request
 * that holds its goods, is accepted, invoiced with a transfer NF-e and received at the main store. When
 * none is on its way any more, the order is open again, holding what arrived, and is accepted and
 * invoiced as a whole.
 */
export type { Allocation, Candidate, LineState, RequestStatus, RoutingStrategy } from './domain.ts';
export { defaultStrategy, requestStatuses, requestStatusLabels, requestTransitions } from './domain.ts';
export { type SentGoods, sentGoodsOf } from './goods.ts';
export { openWorkAt } from './open-work.ts';
export { type Committed, commitSplit, type SplitOptions, splitOptions } from './options.ts';
export { type SplitDeps, STOCK_REQUEST_REFERENCE } from './order-facts.ts';
export {
  acceptRequest,
  getRequest,
  invoiceRequest,
  listRequests,
  type RequestReader,
  type RequestView,
  receiveRequest,
  rejectRequest,
  transferHandlers,
} from './requests.ts';
export { type RerouteRequest, rerouteOrder } from './rerouting.ts';
