/**
 * XML-DSig enveloped signature of the NF-e (and of an event's `infEvento`), as the xmldsig profile
 * bundled with the NF-e schemas (xmldsig-core-schema_v1.01.xsd) and the Manual de Orientação do
 * Contribuinte §4.3 require: one Reference to `#<Id>` of the signed element, the transforms
 * enveloped-signature then inclusive C14N, SHA-1 digest, RSA-SHA1, and the signer's certificate in
 * KeyInfo/X509Data/X509Certificate. The Signature is the next sibling of the signed element.
 */
import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { fail, ok, type Result } from '../../platform/errors.ts';
import type { A1Certificate } from './certificate.ts';

export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
export const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** The fiscal elements that carry an `Id` and are signed: the NF-e, an event, an inutilização. */
export type SignedElement = 'infNFe' | 'infEvento' | 'infInut';

type SigningCertificate = Pick<A1Certificate, 'privateKeyPem' | 'certificateBase64'>;

export interface VerifiedSignature {
  readonly element: SignedElement;
  readonly id: string;
  /** The signer's certificate: integrity is proven, the caller decides whether it trusts the signer. */
  readonly certificateSubject: string;
  readonly certificateBase64: string;
}

const byLocalName = (name: string) => `//*[local-name(.)='${name}']`;

/**
 * Signs the single `element` of the document (it must carry its `Id`). A missing or repeated element
 * is a bug in the caller, so it throws.
 */
export function signFiscalXml(
  xml: string,
  cert: SigningCertificate,
  element: SignedElement = 'infNFe',
): string {
  const targets = findElements(parse(xml), element);
  if (targets.length !== 1) throw new Error(`Expected one <${element}> to sign, found ${targets.length}`);
  if (!targets[0]!.getAttribute('Id')) throw new Error(`<${element}> has no Id attribute to reference`);

  const signer = new SignedXml({
    privateKey: cert.privateKeyPem,
    signatureAlgorithm: RSA_SHA1,
    canonicalizationAlgorithm: C14N,
    // One line of base64: some SEFAZ validators refuse line breaks inside X509Certificate.
    getKeyInfoContent: () =>
      `<X509Data><X509Certificate>${cert.certificateBase64}</X509Certificate></X509Data>`,
  });
  signer.addReference({
    xpath: byLocalName(element),
    transforms: [ENVELOPED, C14N],
    digestAlgorithm: SHA1,
  });
  signer.computeSignature(xml, { location: { reference: byLocalName(element), action: 'after' } });
  return signer.getSignedXml();
}

export const signInfNFe = (xml: string, cert: SigningCertificate): string =>
  signFiscalXml(xml, cert, 'infNFe');

/**
 * Verifies the signature of `element` with the certificate embedded in it, and that it is the one
 * signature the NF-e profile allows: a single Reference to that element's Id, with exactly the
 * profile's algorithms (so a signature over another element, or with other algorithms, is refused).
 */
export function verifySignature(xml: string, element: SignedElement = 'infNFe'): Result<VerifiedSignature> {
  const invalid = (detail: string) => fail('invalid', 'FISCAL.SIGNATURE_INVALID', detail);
  let doc: Document;
  try {
    doc = parse(xml);
  } catch (error) {
    return fail('invalid', 'FISCAL.XML_UNREADABLE', `The XML cannot be parsed: ${String(error)}`);
  }

  const targets = findElements(doc, element);
  if (targets.length !== 1) return invalid(`Expected one <${element}>, found ${targets.length}.`);
  const target = targets[0]!;
  const id = target.getAttribute('Id') ?? '';
  const signatures = Array.from(doc.getElementsByTagNameNS(XMLDSIG_NS, 'Signature'));
  if (signatures.length !== 1) return invalid(`Expected one Signature, found ${signatures.length}.`);
  const signature = signatures[0]!;
  if (signature.parentNode !== target.parentNode) {
    return invalid(`The Signature is not beside <${element}>.`);
  }

  const profile = checkProfile(signature, id);
  if (profile) return invalid(profile);

  const certificateBase64 = (
    signature.getElementsByTagNameNS(XMLDSIG_NS, 'X509Certificate')[0]?.textContent ?? ''
  ).replace(/\s+/g, '');
  let certificateSubject: string;
  try {
    certificateSubject = new X509Certificate(Buffer.from(certificateBase64, 'base64')).subject.replace(
      /\n/g,
      ',',
    );
  } catch {
    return invalid('The Signature carries no readable X509Certificate.');
  }

  const verifier = new SignedXml({ getCertFromKeyInfo: SignedXml.getCertFromKeyInfo });
  try {
    verifier.loadSignature(signature);
    if (!verifier.checkSignature(xml))
      return invalid(`The digest of <${element}> does not match: it was altered.`);
  } catch (error) {
    return invalid(
      `The signature does not verify: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return ok({ element, id, certificateSubject, certificateBase64 });
}

/** Returns what breaks the NF-e xmldsig profile, or undefined when the SignedInfo follows it. */
function checkProfile(signature: Element, id: string): string | undefined {
  const algorithm = (name: string, within: Element = signature) =>
    Array.from(within.getElementsByTagNameNS(XMLDSIG_NS, name)).map((e) => e.getAttribute('Algorithm'));
  const references = Array.from(signature.getElementsByTagNameNS(XMLDSIG_NS, 'Reference'));
  if (references.length !== 1) return `Expected one Reference, found ${references.length}.`;
  const reference = references[0]!;
  if (!id || reference.getAttribute('URI') !== `#${id}`) return `The Reference does not point to #${id}.`;
  const expected: Array<[string, string[], Element?]> = [
    ['CanonicalizationMethod', [C14N]],
    ['SignatureMethod', [RSA_SHA1]],
    ['Transform', [ENVELOPED, C14N], reference],
    ['DigestMethod', [SHA1], reference],
  ];
  for (const [name, uris, within] of expected) {
    const found = algorithm(name, within);
    if (found.join(' ') !== uris.join(' '))
      return `${name} must be ${uris.join(' then ')}, found ${found.join(', ')}.`;
  }
  return undefined;
}

function parse(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: {
      warning: () => {},
      error: (message: string) => errors.push(message),
      fatalError: (message: string) => errors.push(message),
    },
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || !doc.documentElement) throw new Error(errors.join('; ') || 'no root element');
  return doc as unknown as Document;
}

function findElements(doc: Document, name: string): Element[] {
  return Array.from(doc.getElementsByTagName('*')).filter((e) => e.localName === name);
}
