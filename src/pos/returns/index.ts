/**
 * Returns at the POS with the network's omni return reasons (seed 000 §3.4.4, §3.5.2): the public face of
 * pos/returns. The flow belongs to the order's facts and calls the orders, stock and fiscal services.
 */
export { type ReturnReasonType, returnReasonTypes } from './domain.ts';
export { type ReturnRouteOptions, registerReturnRoutes } from './routes.ts';
export {
  createReturn,
  listReasons,
  ORDER_RETURNED,
  RETURN_REFERENCE,
  type ReasonView,
  type ReturnView,
  returnsOfOrder,
  seedReasons,
} from './service.ts';
