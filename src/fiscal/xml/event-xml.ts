/**
 * The events of an NF-e: the cancellation (tpEvento 110111, MOC 7.0 §6 "Evento de Cancelamento"; leiaute
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

export const CORRECTION_EVENT = '110110';
/** xCorrecao, 15 to 1,000 characters (e110110_v1.00.xsd). */
export const CORRECTION_MIN = 15;
export const CORRECTION_MAX = 1000;
/** nSeqEvento of the correction letters of one NF-e: 1 to 20 (leiauteCCe_v1.00.xsd). */
export const CORRECTION_SEQUENCE_MAX = 20;

/** xCondUso: the fixed text of the layout (e110110_v1.00.xsd, its enumeration without diacritics). */
export const CORRECTION_CONDITIONS =
  'A Carta de Correcao e disciplinada pelo paragrafo 1o-A do art. 7o do Convenio S/N, de 15 de dezembro de 1970 ' +
  'e pode ser utilizada para regularizacao de erro ocorrido na emissao de documento fiscal, desde que o erro nao ' +
  'esteja relacionado com: I - as variaveis que determinam o valor do imposto tais como: base de calculo, ' +
  'aliquota, diferenca de preco, quantidade, valor da operacao ou da prestacao; II - a correcao de dados ' +
  'cadastrais que implique mudanca do remetente ou do destinatario; III - a data de emissao ou de saida.';

export interface CorrectionEventInput {
  readonly accessKey: string;
  /** xCorrecao: what is corrected, 15–1,000 characters; the latest letter replaces the earlier ones. */
  readonly text: string;
  /** nSeqEvento, 1–20: the next after the NF-e's registered correction letters. */
  readonly sequence: number;
  readonly at: Date;
  readonly cnpj: string;
  readonly environment: '1' | '2';
  readonly batchId?: string;
}

/**
 * The correction letter (Carta de Correção, tpEvento 110110, MOC 7.0 §6; leiaute e110110_v1.00.xsd) in an
 * `<envEvento>` batch of one, unsigned, as `buildCancellationEvent`.
 */
export function buildCorrectionEvent(input: CorrectionEventInput): Result<string> {
  const text = toLayoutText(input.text);
  const problems: { path: string; message: string }[] = [];
  if (!/^[0-9]{44}$/.test(input.accessKey))
    problems.push({ path: 'accessKey', message: 'a chave tem 44 dígitos' });
  if (text.length < CORRECTION_MIN || text.length > CORRECTION_MAX)
    problems.push({ path: 'text', message: 'a correção tem de 15 a 1000 caracteres' });
  if (!Number.isInteger(input.sequence) || input.sequence < 1 || input.sequence > CORRECTION_SEQUENCE_MAX)
    problems.push({ path: 'sequence', message: 'nSeqEvento da carta de correção vai de 1 a 20' });
  if (problems.length > 0)
    return fail('invalid', 'FISCAL.EVENT_INVALID', 'A carta de correção não pode ser montada.', {
      errors: problems.map((p) => ({ ...p, code: 'FISCAL.EVENT_INVALID' })),
    });
  const batchId = input.batchId ?? String(input.at.getTime()).slice(-15);
  const id = `ID${CORRECTION_EVENT}${input.accessKey}${String(input.sequence).padStart(2, '0')}`;
  return ok(
    `<envEvento versao="1.00" xmlns="${NFE_NAMESPACE}"><idLote>${batchId}</idLote>` +
      `<evento versao="1.00"><infEvento Id="${id}">` +
      `<cOrgao>${input.accessKey.slice(0, 2)}</cOrgao><tpAmb>${input.environment}</tpAmb>` +
      `<CNPJ>${input.cnpj}</CNPJ><chNFe>${input.accessKey}</chNFe>` +
      `<dhEvento>${brasiliaDateTime(input.at)}</dhEvento><tpEvento>${CORRECTION_EVENT}</tpEvento>` +
      `<nSeqEvento>${input.sequence}</nSeqEvento><verEvento>1.00</verEvento>` +
      '<detEvento versao="1.00"><descEvento>Carta de Correcao</descEvento>' +
      `<xCorrecao>${escapeXml(text)}</xCorrecao><xCondUso>${CORRECTION_CONDITIONS}</xCondUso></detEvento>` +
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
