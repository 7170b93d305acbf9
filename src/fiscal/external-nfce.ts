/**
 * An NFC-e a POS issued and signed with its store's own certificate, received afterwards (the POS upload of
 * a sale): fiscal checks it is a well-formed, schema-valid, correctly signed model-65 document and reads the
 * facts the receiver compares with its sale (emitter, total, key). Nothing is recorded here.
 */
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import { childText, parseXml, validateXml, verifySignature } from './xml/index.ts';

export interface ExternalNfce {
  accessKey: string;
  model: string;
  /** The emitter's CNPJ as written in emit/CNPJ. */
  emitterCnpj: string;
  /** vNF, the document's total, as written ("307.72"). */
  total: string;
  /** The signed `<NFe>` element alone (an nfeProc's protocol stripped), as it was validated. */
  xml: string;
}

/** The largest NFC-e accepted: SEFAZ's own limit for a signed NF-e message is 500 KB. */
export const EXTERNAL_NFCE_MAX_BYTES = 500 * 1024;

/** The `<NFe>` element of a document (itself, or inside an nfeProc), or undefined. */
function nfeElementOf(xml: string): string | undefined {
  const start = xml.search(/<NFe[\s>]/);
  const end = xml.lastIndexOf('</NFe>');
  return start < 0 || end < start ? undefined : xml.slice(start, end + '</NFe>'.length);
}

/**
 * Checks the POS's NFC-e: readable, one signature over infNFe that verifies (FISCAL.SIGNATURE_INVALID), valid
 * against the NF-e 4.00 schema (FISCAL.SCHEMA_INVALID), and answers its facts. Field errors point under `path`.
 */
export async function readExternalNfce(raw: string, path: string): Promise<Result<ExternalNfce>> {
  const refuse = (code: string, message: string, errors: FieldError[] = []) =>
    fail('invalid', code, message, {
      errors: errors.length ? errors : [{ path, code, message }],
    });
  if (Buffer.byteLength(raw, 'utf8') > EXTERNAL_NFCE_MAX_BYTES)
    return refuse('FISCAL.XML_TOO_LARGE', `The NFC-e is larger than ${EXTERNAL_NFCE_MAX_BYTES} bytes.`);
  const xml = nfeElementOf(raw);
  const doc = xml === undefined ? undefined : parseXml(xml);
  if (!xml || !doc) return refuse('FISCAL.XML_UNREADABLE', 'The NFC-e is not a readable <NFe> document.');
  const signature = verifySignature(xml, 'infNFe');
  if (!signature.ok)
    return refuse(signature.failure.code, `The NFC-e's signature fails: ${signature.failure.detail}`);
  const schema = await validateXml(xml, 'nfe');
  if (!schema.ok) {
    if (schema.failure.kind !== 'invalid') return schema;
    return refuse(
      'FISCAL.SCHEMA_INVALID',
      schema.failure.detail,
      // Each schema error names the element inside the XML; the request's field is the XML itself.
      (schema.failure.errors ?? []).map((e) => ({ ...e, path, params: { element: e.path } })),
    );
  }
  const infNFe = doc.getElementsByTagNameNS('http://www.portalfiscal.inf.br/nfe', 'infNFe')[0];
  const ide = doc.getElementsByTagNameNS('http://www.portalfiscal.inf.br/nfe', 'ide')[0];
  const emit = doc.getElementsByTagNameNS('http://www.portalfiscal.inf.br/nfe', 'emit')[0];
  const icmsTot = doc.getElementsByTagNameNS('http://www.portalfiscal.inf.br/nfe', 'ICMSTot')[0];
  if (!infNFe || !ide || !emit || !icmsTot)
    return refuse('FISCAL.XML_UNREADABLE', 'The NFC-e lacks ide, emit or ICMSTot.');
  return ok({
    accessKey: (infNFe.getAttribute('Id') ?? '').replace(/^NFe/, ''),
    model: childText(ide, 'mod') ?? '',
    emitterCnpj: childText(emit, 'CNPJ') ?? '',
    total: childText(icmsTot, 'vNF') ?? '',
    xml,
  });
}
