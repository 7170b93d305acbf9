/**
 * The real SEFAZ web-service client (issue 14 §1): `createSefazClient` implements the `Authorizer` port
 * over SOAP 1.2 and mutual TLS; the endpoint table, the official cStat texts and the message builders the
 * other flows need (the inutilização request, signed by its caller).
 */
export { createSefazClient, type SefazClientOptions, sefazConfiguration } from './client.ts';
export {
  applyEndpointOverride,
  authoriserOf,
  bundledEndpointTable,
  type EndpointTable,
  type Environment,
  type FiscalModel,
  loadEndpointTable,
  resolveEndpoint,
  SEFAZ_SERVICES,
  SefazConfigurationError,
  type SefazService,
} from './endpoints.ts';
export {
  buildConsReciNFe,
  buildConsSitNFe,
  buildConsStatServ,
  buildEnviNFe,
  buildInutNFe,
  type InutNFeInput,
} from './messages.ts';
export { officialText } from './official-texts.ts';
export { SERVICE_METHODS, SOAP12_NS, soapContentType, soapEnvelope, wsdlNamespace } from './transport.ts';
export { configuredCa, defaultTrustedCa, icpBrasilRoots } from './trust.ts';
