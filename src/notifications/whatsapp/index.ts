/**
 * The WhatsApp Business Cloud API adapter of the notifications context (issue 15 §7): the account of
 * each network, its admin routes, the client and the `Channel` the outbox sends through.
 */
export {
  type AccountView,
  deleteAccount,
  getAccount,
  putAccount,
  type TestResult,
  testAccount,
} from './account.ts';
export { notConfiguredChannel, type WhatsAppChannelOptions, whatsAppChannelFor } from './channel.ts';
export {
  type Accepted,
  createWhatsAppClient,
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  type TemplateMessage,
  type WhatsAppClient,
  WhatsAppFault,
} from './client.ts';
export { type WhatsAppTemplateCode, whatsAppTemplateCodes } from './domain.ts';
export { type FaultKind, faultKinds } from './faults.ts';
export { normalisePhone } from './phone.ts';
export { registerWhatsAppRoutes, type WhatsAppRouteOptions } from './routes.ts';
