/**
 * The last step of every issue: the domain document to the signed, schema-valid XML SEFAZ receives, with
 * the NFC-e's QR code (the online form, or the offline one of a contingency document).
 */
import { fail, ok, type Result } from '../platform/errors.ts';
import { fromCents } from '../platform/money.ts';
import type { FiscalDocument } from './domain.ts';
import type { SigningMaterial } from './settings.ts';
import {
  brasiliaDateTime,
  buildNfeXml,
  checkNfceDocument,
  type NfceSupplement,
  qrCodeV2Offline,
  qrCodeV2Online,
  signFiscalXml,
  validateXml,
  withSupplement,
} from './xml/index.ts';

/** What issuing (and the outbox, reissuing in contingency) needs from the installation. */
export interface IssuingDeps {
  secretKey: Buffer;
  clock?: () => Date;
}

/**
 * The signature over infNFe, then (NFC-e) the QR code's infNFeSupl between infNFe and the Signature (the
 * schema's order; infNFeSupl is outside what is signed), then the official schema. A contingency NFC-e
 * (tpEmis 9) takes the offline QR code, which carries the signature's digest.
 */
export async function signAndValidate(
  document: FiscalDocument,
  material: SigningMaterial,
): Promise<Result<{ xml: string; accessKey: string; supplement: NfceSupplement | null }>> {
  if (document.model === '65') {
    const rules = checkNfceDocument(document);
    if (!rules.ok) return rules;
  }
  const built = buildNfeXml(document);
  if (!built.ok) return built;
  let xml = signFiscalXml(built.value.xml, material.certificate, 'infNFe');
  let supplement: NfceSupplement | null = null;
  if (document.model === '65') {
    if (!material.csc)
      return fail('invalid', 'FISCAL.CSC_MISSING', 'The store has no CSC for the NFC-e QR code.');
    const common = {
      accessKey: built.value.accessKey,
      environment: document.environment,
      cscId: material.csc.id,
      csc: material.csc.token,
      state: document.emitter.address.state,
    };
    const qr = document.contingency
      ? qrCodeV2Offline({
          ...common,
          issuedAtText: brasiliaDateTime(document.issuedAt),
          total: fromCents(built.value.computed.totals.total),
          digestValue: /<DigestValue>([^<]+)<\/DigestValue>/.exec(xml)?.[1] ?? '',
        })
      : qrCodeV2Online(common);
    if (!qr.ok) return qr;
    supplement = qr.value;
    xml = withSupplement(xml, qr.value);
  }
  const valid = await validateXml(xml, 'nfe');
  if (!valid.ok) return valid;
  return ok({ xml, accessKey: built.value.accessKey, supplement });
}
