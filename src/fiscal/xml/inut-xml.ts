/**
 * The request to void a range of numbers (NFeInutilizacao4, MOC 7.0 §4.5; leiaute inutNFe_v4.00.xsd),
 * unsigned: `signFiscalXml(xml, cert, 'infInut')` adds the Signature after `</infInut>`. The Id is
 * "ID" + cUF + ano (2) + CNPJ (14) + mod (2) + serie (3) + nNFIni (9) + nNFFin (9), 43 characters.
 */
import { fail, ok, type Result } from '../../platform/errors.ts';
import { JUSTIFICATION_MAX, JUSTIFICATION_MIN } from './event-xml.ts';
import { escapeXml, NFE_NAMESPACE, toLayoutText } from './nfe-xml.ts';

export interface VoidRangeInput {
  readonly environment: '1' | '2';
  /** cUF, the two-digit IBGE code of the emitter's state. */
  readonly stateCode: string;
  /** The year the numbers belong to, four digits (the request carries its last two). */
  readonly year: number;
  readonly cnpj: string;
  readonly model: 55 | 65;
  readonly series: number;
  readonly from: number;
  readonly to: number;
  readonly justification: string;
}

export const inutId = (input: VoidRangeInput): string =>
  `ID${input.stateCode}${String(input.year % 100).padStart(2, '0')}${input.cnpj}${input.model}` +
  `${String(input.series).padStart(3, '0')}${String(input.from).padStart(9, '0')}${String(input.to).padStart(9, '0')}`;

export function buildVoidRange(input: VoidRangeInput): Result<string> {
  const justification = toLayoutText(input.justification).trim();
  const problems: { path: string; message: string }[] = [];
  if (!/^[0-9]{2}$/.test(input.stateCode)) problems.push({ path: 'stateCode', message: 'cUF de 2 dígitos' });
  if (!/^[0-9]{14}$/.test(input.cnpj)) problems.push({ path: 'cnpj', message: 'CNPJ de 14 dígitos' });
  if (!Number.isInteger(input.series) || input.series < 0 || input.series > 999)
    problems.push({ path: 'series', message: 'série de 0 a 999' });
  if (!Number.isInteger(input.from) || input.from < 1 || input.from > 999_999_999)
    problems.push({ path: 'from', message: 'número de 1 a 999999999' });
  if (!Number.isInteger(input.to) || input.to < input.from || input.to > 999_999_999)
    problems.push({ path: 'to', message: 'número final não menor que o inicial' });
  if (justification.length < JUSTIFICATION_MIN || justification.length > JUSTIFICATION_MAX)
    problems.push({ path: 'justification', message: 'a justificativa tem de 15 a 255 caracteres' });
  if (problems.length > 0)
    return fail('invalid', 'FISCAL.VOID_INVALID', 'O pedido de inutilização não pode ser montado.', {
      errors: problems.map((p) => ({ ...p, code: 'FISCAL.VOID_INVALID' })),
    });
  return ok(
    `<inutNFe versao="4.00" xmlns="${NFE_NAMESPACE}"><infInut Id="${inutId(input)}">` +
      `<tpAmb>${input.environment}</tpAmb><xServ>INUTILIZAR</xServ><cUF>${input.stateCode}</cUF>` +
      `<ano>${String(input.year % 100).padStart(2, '0')}</ano><CNPJ>${input.cnpj}</CNPJ>` +
      `<mod>${input.model}</mod><serie>${input.series}</serie>` +
      `<nNFIni>${input.from}</nNFIni><nNFFin>${input.to}</nNFFin>` +
      `<xJust>${escapeXml(justification)}</xJust></infInut></inutNFe>`,
  );
}
