/**
 * SEFAZ behind a port: the `Authorizer` interface, the outbox whose jobs call it after the issuing
 * transaction committed, and the SEFAZ simulator (with its database memory) that implements it today.
 */
export {
  AUTHORISE_QUEUE,
  CANCEL_QUEUE,
  EVENT_QUEUE,
  fiscalJobHandlers,
  resendStuck,
  transmitContingencyNow,
} from './outbox.ts';
export type {
  AuthorizationResult,
  Authorized,
  Authorizer,
  AuthorizerFor,
  Denied,
  EventRegistered,
  EventResult,
  NotFound,
  RangeVoided,
  RegisteredEventInfo,
  Rejection,
  SefazFaultKind,
  ServiceStatus,
  VoidResult,
} from './port.ts';
export { authoriserDown, SefazFault, SefazUnreachable } from './port.ts';
export {
  createSefazSimulator,
  type SimulatedNfe,
  type SimulatorAvailability,
  type SimulatorRules,
  type SimulatorStore,
} from './sefaz-simulator.ts';
export { createDatabaseSimulatorStore } from './simulator-store.ts';
