/**
 * The cancellation event (tpEvento 110111, MOC 7.0 §6 "Evento de Cancelamento"; leiaute
 * e110111_v1.00.xsd) wrapped in an `<envEvento>` batch of one, unsigned: `signFiscalXml(xml, cert,
 * 'infEvento')` adds the Signature after `</infEvento>`. The generic envEvento_v1.00.xsd leaves
 * `detEvento` open (`xs:any processContents="skip"`), so the cancellation's own rules (xJust 15–255
 * characters) are checked here and by the authoriser, not by that schema.
 */
import { DOMParser } from '@xmldom/xmldom';
import { fail, ok, type Result } from '../../platform/errors.ts';
import { brasiliaDateTime, escapeXml, NFE_NAMESPACE, toLayoutText } from './nfe-xml.ts';

export const CANCELLATION_EVENT = '110111';
export const JUSTIFICATION_MIN = 15;
export const JUSTIFICATION_MAX = 255;

export interface CancellationEventInput {
  readonly accessKey: string;
  /** nProt of the authorisation being cancelled. */
  readonly protocol: string;
  readonly justification: string;
  /** nSeqEvento, 1–99; a cancellation is normally 1. */
  readonly sequence?: number;
  readonly at: Date;
  /** The author's CNPJ: the NF-e's emitter. */
  readonly cnpj: string;
  readonly environment: '1' | '2';
  /** idLote, up to 15 digits; defaults to the event time in milliseconds. */
  readonly batchId?: string;
}

export function buildCancellationEvent(input: CancellationEventInput): Result<string> {
  const justification = toLayoutText(input.justification);
  const sequence = input.sequence ?? 1;
  const problems: { path: string; message: string }[] = [];
  if (!/^[0-9]{44}$/.test(input.accessKey))
    problems.push({ path: 'accessKey', message: 'a chave tem 44 dígitos' });
  if (!/^[0-9]{15}$/.test(input.protocol))
    problems.push({ path: 'protocol', message: 'o protocolo tem 15 dígitos' });
  if (justification.length < JUSTIFICATION_MIN || justification.length > JUSTIFICATION_MAX)
    problems.push({ path: 'justification', message: 'a justificativa tem de 15 a 255 caracteres' });
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 99)
    problems.push({ path: 'sequence', message: 'nSeqEvento vai de 1 a 99' });
  if (problems.length > 0)
    return fail('invalid', 'FISCAL.EVENT_INVALID', 'O evento de cancelamento não pode ser montado.', {
      errors: problems.map((p) => ({ ...p, code: 'FISCAL.EVENT_INVALID' })),
    });
  const batchId = input.batchId ?? String(input.at.getTime()).slice(-15);
  const id = `ID${CANCELLATION_EVENT}${input.accessKey}${String(sequence).padStart(2, '0')}`;
  return ok(
    `<envEvento versao="1.00" xmlns="${NFE_NAMESPACE}"><idLote>${batchId}</idLote>` +
      `<evento versao="1.00"><infEvento Id="${id}">` +
      // cOrgao: the state that authorised the NF-e, the first two digits of its key.
      `<cOrgao>${input.accessKey.slice(0, 2)}</cOrgao><tpAmb>${input.environment}</tpAmb>` +
      `<CNPJ>${input.cnpj}</CNPJ><chNFe>${input.accessKey}</chNFe>` +
      `<dhEvento>${brasiliaDateTime(input.at)}</dhEvento><tpEvento>${CANCELLATION_EVENT}</tpEvento>` +
      `<nSeqEvento>${sequence}</nSeqEvento><verEvento>1.00</verEvento>` +
      '<detEvento versao="1.00"><descEvento>Cancelamento</descEvento>' +
      `<nProt>${input.protocol}</nProt><xJust>${escapeXml(justification)}</xJust></detEvento>` +
      '</infEvento></evento></envEvento>',
  );
}

/**
 * Parses with xmldom; a document that is not well-formed is `undefined`. xmldom 0.8 reports an
 * unclosed or mismatched tag only as a warning, so warnings count as malformed too.
 */
export function parseXml(xml: string): Document | undefined {
  let broken = false;
  const broke = () => {
    broken = true;
  };
  const doc = new DOMParser({
    errorHandler: { warning: broke, error: broke, fatalError: broke },
  }).parseFromString(xml, 'text/xml');
  return broken || !doc.documentElement ? undefined : (doc as unknown as Document);
}

/** The text of the first NF-e-namespace element `name` under `within`, or undefined. */
export function childText(within: Document | Element, name: string): string | undefined {
  const found = within.getElementsByTagNameNS(NFE_NAMESPACE, name)[0];
  return found ? (found.textContent ?? '') : undefined;
}
