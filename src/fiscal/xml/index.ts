/**
 * The XML documents of fiscal: the access key, the NF-e / NFC-e 4.00 builder in the schema's order, the
 * NFC-e QR code, the cancellation event, the XML-DSig signature with the store's A1 certificate and the
 * validation against the official schemas (xmllint, PL_010b v1.30 vendored in schemas/).
 */
export { buildAccessKey, generateNumericCode, parseAccessKey } from './access-key.ts';
export {
  type A1Certificate,
  certificateCnpj,
  generateTestCertificate,
  loadPkcs12,
  openSecret,
  sealSecret,
} from './certificate.ts';
export {
  buildCancellationEvent,
  buildCorrectionEvent,
  CANCELLATION_EVENT,
  CORRECTION_CONDITIONS,
  CORRECTION_EVENT,
  CORRECTION_MAX,
  CORRECTION_MIN,
  CORRECTION_SEQUENCE_MAX,
  childText,
  JUSTIFICATION_MAX,
  JUSTIFICATION_MIN,
  parseXml,
} from './event-xml.ts';
export { buildVoidRange, inutId, type VoidRangeInput } from './inut-xml.ts';
export {
  checkNfceDocument,
  type NfceSupplement,
  qrCodeV2Offline,
  qrCodeV2Online,
  withSupplement,
} from './nfce.ts';
export {
  brasiliaDateTime,
  buildNfeXml,
  escapeXml,
  HOMOLOGATION_FIRST_ITEM,
  HOMOLOGATION_RECIPIENT_NAME,
  NFE_NAMESPACE,
  toLayoutText,
} from './nfe-xml.ts';
export { signFiscalXml, verifySignature, XMLDSIG_NS } from './signature.ts';
export { type SchemaName, validateXml, xmllintAvailable, xmllintPath } from './xsd.ts';
