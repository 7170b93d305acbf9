/**
 * The NF-e/NFC-e access key (chave de acesso), MOC 7.0 §5.4 (Anexo I, "Chave de Acesso"):
 * cUF(2) AAMM(4) CNPJ(14) mod(2) serie(3) nNF(9) tpEmis(1) cNF(8) cDV(1) = 44 characters.
 * Pure: no clock, no randomness of its own (the caller injects a random source).
 */
import { fail, ok, type Result } from '../../platform/errors.ts';

export interface AccessKeyParts {
  /** IBGE code of the emitter's state, two digits ('35' for SP). */
  readonly stateCode: string;
  /** Year and month of issue, 'AAMM'. */
  readonly yearMonth: string;
  /** 14 characters: digits, or the alphanumeric CNPJ of NT 2025.001 (12 alphanumerics + 2 digits). */
  readonly cnpj: string;
  readonly model: '55' | '65';
  readonly series: number;
  readonly number: number;
  /** tpEmis: 1 normal; 2–9 the contingency modes. */
  readonly emissionType: number;
  /** cNF, eight digits (see `generateNumericCode`). */
  readonly numericCode: string;
}

export interface ParsedAccessKey extends AccessKeyParts {
  readonly checkDigit: number;
}

const BODY = /^[0-9]{2}[0-9]{2}(0[1-9]|1[0-2])[0-9A-Z]{12}[0-9]{2}(55|65)[0-9]{3}[0-9]{9}[1-9][0-9]{8}$/;
/** Keys issued before tpEmis existed (a 9-digit cNF) carry any digit at position 35; they may still be referenced. */
const PARSED_BODY = /^[0-9]{2}[0-9]{2}(0[1-9]|1[0-2])[0-9A-Z]{12}[0-9]{2}(55|65)[0-9]{3}[0-9]{9}[0-9]{9}$/;

/**
 * Modulo 11 with weights 2..9 repeated from the rightmost character; remainder 0 or 1 gives 0.
 * Each character counts as its ASCII code minus 48, so digits keep their value and the letters of
 * an alphanumeric CNPJ count as 17 ('A') to 42 ('Z'), as NT 2025.001 prescribes for the CNPJ's own DV.
 */
export function checkDigit(body: string): number {
  let sum = 0;
  let weight = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

export function buildAccessKey(parts: AccessKeyParts): Result<string> {
  const body =
    parts.stateCode +
    parts.yearMonth +
    parts.cnpj.toUpperCase() +
    parts.model +
    String(parts.series).padStart(3, '0') +
    String(parts.number).padStart(9, '0') +
    String(parts.emissionType) +
    parts.numericCode;
  const problems: { path: string; message: string }[] = [];
  if (!Number.isInteger(parts.series) || parts.series < 0 || parts.series > 999)
    problems.push({ path: 'series', message: 'a série vai de 0 a 999' });
  if (!Number.isInteger(parts.number) || parts.number < 1 || parts.number > 999_999_999)
    problems.push({ path: 'number', message: 'o número vai de 1 a 999.999.999' });
  if (!Number.isInteger(parts.emissionType) || parts.emissionType < 1 || parts.emissionType > 9)
    problems.push({ path: 'emissionType', message: 'tpEmis vai de 1 a 9' });
  if (!/^[0-9]{8}$/.test(parts.numericCode))
    problems.push({ path: 'numericCode', message: 'cNF tem 8 dígitos' });
  if (problems.length === 0 && !BODY.test(body))
    problems.push({ path: 'accessKey', message: `composição inválida: ${body}` });
  if (problems.length > 0)
    return fail('invalid', 'FISCAL.ACCESS_KEY_INVALID', 'A chave de acesso não pode ser montada.', {
      errors: problems.map((p) => ({ ...p, code: 'FISCAL.ACCESS_KEY_INVALID' })),
    });
  return ok(body + String(checkDigit(body)));
}

export function parseAccessKey(key: string): Result<ParsedAccessKey> {
  const invalid = (message: string) =>
    fail('invalid', 'FISCAL.ACCESS_KEY_INVALID', 'Chave de acesso inválida.', {
      errors: [{ path: 'accessKey', code: 'FISCAL.ACCESS_KEY_INVALID', message }],
    });
  if (key.length !== 44) return invalid('a chave tem 44 caracteres');
  const body = key.slice(0, 43);
  if (!PARSED_BODY.test(body) || !/^[0-9]$/.test(key[43]!)) return invalid('composição inválida');
  const digit = Number(key[43]);
  if (checkDigit(body) !== digit) return invalid('dígito verificador incorreto');
  return ok({
    stateCode: key.slice(0, 2),
    yearMonth: key.slice(2, 6),
    cnpj: key.slice(6, 20),
    model: key.slice(20, 22) as '55' | '65',
    series: Number(key.slice(22, 25)),
    number: Number(key.slice(25, 34)),
    emissionType: Number(key.slice(34, 35)),
    numericCode: key.slice(35, 43),
    checkDigit: digit,
  });
}

/**
 * cNF values SEFAZ refuses with rejection 897 "Código numérico em formato inválido" (NT 2019.001):
 * eight equal digits and the ascending runs 12345678 … 01234567.
 */
export function isTrivialNumericCode(code: string): boolean {
  if (/^(\d)\1{7}$/.test(code)) return true;
  return code.length === 8 && '12345678901234567'.includes(code);
}

/** Rejection 897 also refuses a cNF equal to the document number (nNF). */
export function isAcceptableNumericCode(code: string, documentNumber: number): boolean {
  return (
    /^[0-9]{8}$/.test(code) && !isTrivialNumericCode(code) && Number(code) !== documentNumber % 100_000_000
  );
}

/** Returns an integer in [0, maxExclusive); production passes `crypto.randomInt`. */
export type RandomInt = (maxExclusive: number) => number;

/**
 * A random cNF for document `documentNumber`. One draw; a refused value moves to the next one, so the
 * function ends after at most 22 steps whatever the source returns (21 refused values in 10^8).
 */
export function generateNumericCode(documentNumber: number, randomInt: RandomInt): string {
  let value = randomInt(100_000_000);
  if (!Number.isInteger(value) || value < 0 || value >= 100_000_000)
    throw new RangeError(`random source returned ${value}`);
  for (;;) {
    const code = String(value).padStart(8, '0');
    if (isAcceptableNumericCode(code, documentNumber)) return code;
    value = (value + 1) % 100_000_000;
  }
}
