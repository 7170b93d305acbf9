/**
 * Validates a fiscal XML against the official schemas before it is sent (issue 5 §3), with xmllint
 * (Debian's libxml2-utils) run as a child process: the document goes in on stdin, and each message
 * xmllint prints becomes an `{path, message}` naming the element it is about.
 *
 * The XSDs are vendored under `schemas/` (origin and checksums in `schemas/README.md`).
 */
import { execFile } from 'node:child_process';
import { fail, ok, type Result } from '../../platform/errors.ts';
import { inRepo } from '../../platform/paths.ts';

const schemaDir = `${inRepo('src/fiscal/xml/schemas/PL_010b_V1.30')}/`;

export const schemaFiles = {
  /** A single NF-e/NFC-e (`<NFe>`), signed. */
  nfe: 'nfe_v4.00.xsd',
  /** An event batch (cancellation, correction letter…): the generic envelope, detEvento left open. */
  envEvento: 'envEvento_v1.00.xsd',
  /** A cancellation batch with its detEvento checked (e110111). */
  envEventoCancNFe: 'envEventoCancNFe_v1.00.xsd',
  /** A correction-letter batch with its detEvento checked (e110110). */
  envCCe: 'envCCe_v1.00.xsd',
  /** NFeAutorizacao4's request: a batch of signed NF-e. */
  enviNFe: 'enviNFe_v4.00.xsd',
  /** NFeRetAutorizacao4's request: the receipt number to poll. */
  consReciNFe: 'consReciNFe_v4.00.xsd',
  /** NFeConsultaProtocolo4's request. */
  consSitNFe: 'consSitNFe_v4.00.xsd',
  /** NFeStatusServico4's request. */
  consStatServ: 'consStatServ_v4.00.xsd',
  /** NFeInutilizacao4's request: a signed number range. */
  inutNFe: 'inutNFe_v4.00.xsd',
  /** SEFAZ's answers, for the client's tests and the local SEFAZ test server. */
  retEnviNFe: 'retEnviNFe_v4.00.xsd',
  retConsReciNFe: 'retConsReciNFe_v4.00.xsd',
  retConsSitNFe: 'retConsSitNFe_v4.00.xsd',
  retConsStatServ: 'retConsStatServ_v4.00.xsd',
  retInutNFe: 'retInutNFe_v4.00.xsd',
  retEnvEvento: 'retEnvEvento_v1.00.xsd',
  /** What a store keeps: the NF-e with its protocol, the voided range with its answer. */
  procNFe: 'procNFe_v4.00.xsd',
  procInutNFe: 'procInutNFe_v4.00.xsd',
  procEventoNFe: 'procEventoNFe_v1.00.xsd',
} as const;
export type SchemaName = keyof typeof schemaFiles;

export const schemaPath = (schema: SchemaName): string => schemaDir + schemaFiles[schema];

export const xmllintPath = (): string => process.env.XMLLINT_PATH ?? '/usr/bin/xmllint';

export interface SchemaError {
  path: string;
  message: string;
}

// xmllint's exit codes (xmllint.c): 0 valid, 1 not well-formed, 3 not valid against the schema.
const NOT_WELL_FORMED = 1;
const NOT_VALID = 3;

/**
 * Turns xmllint's stderr into errors. A schema message reads
 * `-:1: element CFOP: Schemas validity error : Element '{http://…/nfe}CFOP': [facet 'pattern'] …`;
 * an attribute one `Element '{…}infNFe', attribute 'Id': …`; a parser one `-:1: parser error : …`.
 */
export function parseXmllintErrors(stderr: string): SchemaError[] {
  const errors: SchemaError[] = [];
  for (const line of stderr.split('\n')) {
    const validity =
      /Schemas validity error : Element '(?:\{[^}]*\})?([^']+)'(?:, attribute '([^']+)')?: (.*)$/.exec(line);
    if (validity) {
      const [, element, attribute, message] = validity;
      errors.push({ path: attribute ? `${element}/@${attribute}` : element!, message: message!.trim() });
      continue;
    }
    const parser = /^-:(\d+): parser error : (.*)$/.exec(line);
    if (parser) errors.push({ path: `(line ${parser[1]})`, message: parser[2]!.trim() });
  }
  return errors;
}

const validatorMissing = () =>
  fail(
    'unavailable',
    'FISCAL.VALIDATOR_MISSING',
    `xmllint is not installed on this server (${xmllintPath()}; Debian and Ubuntu: apt-get install libxml2-utils): ` +
      'fiscal documents are validated against the official schemas before they are issued, so none is issued.',
  );

/** Whether xmllint answers, for the start-up banner to warn before the first invoice fails. */
export function xmllintAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(xmllintPath(), ['--version'], { timeout: 5_000 }, (error) => resolve(!error));
  });
}

/**
 * Resolves to ok when `xml` is valid, to FISCAL.SCHEMA_INVALID (422) naming each element otherwise.
 * A missing xmllint is the server's to fix (503 FISCAL.VALIDATOR_MISSING: no document leaves unvalidated);
 * a timeout or an unreadable schema are faults, and reject.
 */
export function validateXml(
  xml: string,
  schema: SchemaName,
  options: { timeoutMs?: number } = {},
): Promise<Result<void>> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      xmllintPath(),
      ['--noout', '--nonet', '--schema', schemaPath(schema), '-'],
      { timeout: options.timeoutMs ?? 15_000, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' },
      (error, _stdout, stderr) => {
        if (!error) return resolve(ok(undefined));
        if (error.code === 'ENOENT') return resolve(validatorMissing());
        const code = typeof error.code === 'number' ? error.code : null;
        if (code !== NOT_VALID && code !== NOT_WELL_FORMED) {
          return reject(
            new Error(`xmllint failed (${error.code ?? error.signal}): ${stderr.slice(0, 2000)}`),
          );
        }
        const errors = parseXmllintErrors(stderr);
        const named =
          errors.length > 0 ? errors : [{ path: '(document)', message: stderr.trim().slice(0, 500) }];
        resolve(
          fail(
            'invalid',
            'FISCAL.SCHEMA_INVALID',
            `O XML não segue o leiaute da SEFAZ (${schemaFiles[schema]}): ${named.map((e) => e.path).join(', ')}.`,
            { errors: named.map((e) => ({ ...e, code: 'FISCAL.SCHEMA_INVALID' })) },
          ),
        );
      },
    );
    child.stdin?.on('error', () => {
      // xmllint may exit before reading all of stdin (schema fault); the exit callback reports it.
    });
    child.stdin?.end(xml, 'utf8');
  });
}
