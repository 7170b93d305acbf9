/**
 * SEFAZ behind a port: the `Authorizer` interface, the outbox whose jobs call it after the issuing
 * transaction committed, the SEFAZ simulator (with its database memory, the demo's default) and the real
 * web-service client (sefaz/: SOAP 1.2 over mutual TLS, the endpoint table, the official cStat texts).
 */

export {
  type AuthorizerChoiceOptions,
  type AuthorizerResolver,
  AuthorizerUnavailable,
  authorizerFor,
  type ChosenAuthorizer,
  type SefazClientFactory,
  type SefazClientInput,
} from './choice.ts';
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
export { authoriserDown, SefazFault, SefazUnreachable, sefazFaultKinds } from './port.ts';
export {
  buildInutNFe,
  bundledEndpointTable,
  createSefazClient,
  defaultTrustedCa,
  type EndpointTable,
  type InutNFeInput,
  loadEndpointTable,
  officialText,
  type SefazClientOptions,
  SefazConfigurationError,
  sefazConfiguration,
} from './sefaz/index.ts';
export {
  cancellationWindowMs,
  createSefazSimulator,
  type SimulatedNfe,
  type SimulatorAvailability,
  type SimulatorRules,
  type SimulatorStore,
  withinCancellationWindow,
} from './sefaz-simulator.ts';
export { createDatabaseSimulatorStore } from './simulator-store.ts';
