/** The carriers' public face for the rest of the delivery context (service.ts re-exports what others use). */
export {
  type AccountEditor,
  type AccountInput,
  accountToTest,
  type CarrierAccountView,
  carrierCodesWithAccount,
  deleteAccount,
  listAccounts,
  putAccount,
} from './accounts.ts';
export {
  type AccountTestInput,
  type AccountTestOutcome,
  buildCarrier,
  CarrierAccountUnreadable,
  type CarrierClientOptions,
  carrierFor,
  carrierWebhookFor,
  testAccount,
} from './choice.ts';
export {
  CORREIOS_BASE_URL,
  CORREIOS_HOMOLOGATION_URL,
  createCorreiosCarrier,
} from './correios/client.ts';
export {
  createMelhorEnvioCarrier,
  createMelhorEnvioWebhook,
  MELHOR_ENVIO_BASE_URL,
  MELHOR_ENVIO_SANDBOX_URL,
} from './melhor-envio/client.ts';
export * from './port.ts';
