/**
 * The messages of the six web services, in the element order of their schemas (PL_010b v1.30 in
 * ../../xml/schemas/), and the readers of SEFAZ's answers. Answers are read by namespace and local name,
 * never by prefix; the `protNFe`, `retEvento` and `retInutNFe` a store keeps are copied as SEFAZ sent them.
 */
import { XMLSerializer } from '@xmldom/xmldom';
import { fail, type Result } from '../../../platform/errors.ts';
import { ufCodes } from '../../../platform/uf.ts';
import { buildVoidRange, NFE_NAMESPACE, parseXml } from '../../xml/index.ts';
import { type RegisteredEventInfo, SefazFault } from '../port.ts';
import type { Environment, SefazService } from './endpoints.ts';
import { stripDeclaration } from './transport.ts';

// ---------------------------------------------------------------- requests

/** NFeAutorizacao4: a batch of one signed NF-e, synchronous where the authoriser can (indSinc 1). */
export function buildEnviNFe(signedNfeXml: string, batchId: string): string {
  return (
    `<enviNFe versao="4.00" xmlns="${NFE_NAMESPACE}"><idLote>${batchId}</idLote><indSinc>1</indSinc>` +
    `${stripDeclaration(signedNfeXml)}</enviNFe>`
  );
}

/** NFeRetAutorizacao4: the receipt (nRec) of a batch answered 103. */
export const buildConsReciNFe = (environment: Environment, receipt: string): string =>
  `<consReciNFe versao="4.00" xmlns="${NFE_NAMESPACE}"><tpAmb>${environment}</tpAmb><nRec>${receipt}</nRec></consReciNFe>`;

/** NFeConsultaProtocolo4. */
export const buildConsSitNFe = (environment: Environment, accessKey: string): string =>
  `<consSitNFe versao="4.00" xmlns="${NFE_NAMESPACE}"><tpAmb>${environment}</tpAmb>` +
  `<xServ>CONSULTAR</xServ><chNFe>${accessKey}</chNFe></consSitNFe>`;

/** NFeStatusServico4. */
export const buildConsStatServ = (environment: Environment, stateCode: string): string =>
  `<consStatServ versao="4.00" xmlns="${NFE_NAMESPACE}"><tpAmb>${environment}</tpAmb>` +
  `<cUF>${stateCode}</cUF><xServ>STATUS</xServ></consStatServ>`;

export interface InutNFeInput {
  readonly uf: string;
  readonly environment: Environment;
  readonly cnpj: string;
  readonly model: '55' | '65';
  readonly series: number;
  readonly from: number;
  readonly to: number;
  readonly justification: string;
  /** The year the numbers belong to: 2026 or 26. */
  readonly year: number;
}

/**
 * NFeInutilizacao4's `<inutNFe>` for a state named by its UF, unsigned (sign `infInut`): the builder of
 * xml/inut-xml.ts, which the voiding flow uses, addressed by UF as the rest of this client is.
 */
export function buildInutNFe(input: InutNFeInput): Result<string> {
  const stateCode = ufCodes[input.uf as keyof typeof ufCodes];
  if (!stateCode)
    return fail('invalid', 'FISCAL.VOID_INVALID', 'O pedido de inutilização não pode ser montado.', {
      errors: [{ path: 'uf', message: 'UF desconhecida', code: 'FISCAL.VOID_INVALID' }],
    });
  return buildVoidRange({
    environment: input.environment,
    stateCode,
    year: input.year < 100 ? 2000 + input.year : input.year,
    cnpj: input.cnpj,
    model: input.model === '65' ? 65 : 55,
    series: input.series,
    from: input.from,
    to: input.to,
    justification: input.justification,
  });
}

// ---------------------------------------------------------------- reading XML

const serializer = new XMLSerializer();
export const serialize = (node: Node): string => serializer.serializeToString(node as never);

/** The direct child element `local` (NF-e namespace) of `parent`. */
export function child(parent: Element, local: string): Element | undefined {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (
      node.nodeType === 1 &&
      (node as Element).localName === local &&
      (node as Element).namespaceURI === NFE_NAMESPACE
    )
      return node as Element;
  }
  return undefined;
}

export function children(parent: Element, local: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (
      node.nodeType === 1 &&
      (node as Element).localName === local &&
      (node as Element).namespaceURI === NFE_NAMESPACE
    )
      found.push(node as Element);
  }
  return found;
}

const text = (parent: Element, local: string): string | undefined =>
  child(parent, local)?.textContent?.trim();

/**
 * SEFAZ's date-times carry their UTC offset (TDateTimeUTC); one without is read as Brasília's (UTC−3),
 * which is how the few authorisers that omit it mean it.
 */
export function sefazDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const withOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}-03:00`;
  const date = new Date(withOffset);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** What an answer says at its top: cStat and xMotivo, which every answer carries. */
export interface AnswerStatus {
  readonly status: number;
  readonly reason: string;
}

function statusOf(service: SefazService, element: Element): AnswerStatus {
  const cStat = text(element, 'cStat');
  if (!cStat || !/^[0-9]{3}$/.test(cStat))
    throw new SefazFault(
      'unexpected_body',
      service,
      `${service} answered ${element.localName} without a cStat`,
    );
  return { status: Number(cStat), reason: text(element, 'xMotivo') ?? '' };
}

/** The protocol of one NF-e (`protNFe/infProt`), with the element as SEFAZ sent it. */
export interface NfeProtocol extends AnswerStatus {
  readonly accessKey: string;
  /** nProt: absent on a rejection. */
  readonly protocol: string | undefined;
  readonly receivedAt: Date | undefined;
  readonly xml: string;
}

export function readProtNFe(service: SefazService, protNFe: Element): NfeProtocol {
  const infProt = child(protNFe, 'infProt');
  if (!infProt)
    throw new SefazFault('unexpected_body', service, `${service} answered a protNFe without infProt`);
  return {
    ...statusOf(service, infProt),
    accessKey: text(infProt, 'chNFe') ?? '',
    protocol: text(infProt, 'nProt'),
    receivedAt: sefazDate(text(infProt, 'dhRecbto')),
    xml: serialize(protNFe),
  };
}

export interface BatchAnswer extends AnswerStatus {
  /** 103: the receipt to poll and SEFAZ's average time, in seconds. */
  readonly receipt?: { readonly number: string; readonly averageSeconds: number };
  /** 104: the protocols of the batch (one NF-e per batch here). */
  readonly protocols: NfeProtocol[];
}

/** `retEnviNFe` (NFeAutorizacao4) or `retConsReciNFe` (NFeRetAutorizacao4). */
export function readBatchAnswer(service: SefazService, answer: Element): BatchAnswer {
  const infRec = child(answer, 'infRec');
  const receiptNumber = infRec ? text(infRec, 'nRec') : undefined;
  const averageSeconds = Number(infRec ? text(infRec, 'tMed') : undefined);
  return {
    ...statusOf(service, answer),
    ...(receiptNumber
      ? {
          receipt: {
            number: receiptNumber,
            averageSeconds: Number.isFinite(averageSeconds) ? averageSeconds : 1,
          },
        }
      : {}),
    protocols: children(answer, 'protNFe').map((prot) => readProtNFe(service, prot)),
  };
}

export interface ConsultAnswer extends AnswerStatus {
  readonly protocol?: NfeProtocol;
  /** nProt of the registered cancellation (110111 with cStat 135 or 155), when SEFAZ lists it. */
  readonly cancellationProtocol?: string;
  /** Every event SEFAZ lists as registered (135, 136, 155): a lost answer's protocol is read back here. */
  readonly events: readonly RegisteredEventInfo[];
}

const REGISTERED = new Set(['135', '136', '155']);

const CANCELLATION = '110111';

/** `retConsSitNFe` (NFeConsultaProtocolo4). */
export function readConsultAnswer(service: SefazService, answer: Element): ConsultAnswer {
  const prot = child(answer, 'protNFe');
  let cancellationProtocol: string | undefined;
  const events: RegisteredEventInfo[] = [];
  for (const proc of children(answer, 'procEventoNFe')) {
    const info = child(proc, 'retEvento') && child(child(proc, 'retEvento')!, 'infEvento');
    if (!info) continue;
    const status = text(info, 'cStat');
    if (text(info, 'tpEvento') === CANCELLATION && (status === '135' || status === '155'))
      cancellationProtocol = text(info, 'nProt');
    const protocol = text(info, 'nProt');
    const registeredAt = new Date(text(info, 'dhRegEvento') ?? '');
    if (REGISTERED.has(status ?? '') && protocol && !Number.isNaN(registeredAt.getTime()))
      events.push({
        type: text(info, 'tpEvento') ?? '',
        sequence: Number(text(info, 'nSeqEvento') ?? '1'),
        protocol,
        registeredAt,
        procEventoXml: serialize(proc),
      });
  }
  // Layouts before the events kept the cancellation in retCancNFe.
  const retCanc = child(answer, 'retCancNFe');
  const legacy = retCanc && child(retCanc, 'infCanc');
  if (!cancellationProtocol && legacy) cancellationProtocol = text(legacy, 'nProt');
  return {
    ...statusOf(service, answer),
    ...(prot ? { protocol: readProtNFe(service, prot) } : {}),
    ...(cancellationProtocol ? { cancellationProtocol } : {}),
    events,
  };
}

export interface EventAnswer extends AnswerStatus {
  readonly accessKey: string | undefined;
  readonly protocol: string | undefined;
  readonly registeredAt: Date | undefined;
  readonly xml: string;
}

/** `retEnvEvento` (NFeRecepcaoEvento4): the batch's status and each event's own answer. */
export function readEventBatchAnswer(
  service: SefazService,
  answer: Element,
): AnswerStatus & { readonly events: EventAnswer[] } {
  return {
    ...statusOf(service, answer),
    events: children(answer, 'retEvento').map((retEvento) => {
      const info = child(retEvento, 'infEvento');
      if (!info)
        throw new SefazFault('unexpected_body', service, `${service} answered a retEvento without infEvento`);
      return {
        ...statusOf(service, info),
        accessKey: text(info, 'chNFe'),
        protocol: text(info, 'nProt'),
        registeredAt: sefazDate(text(info, 'dhRegEvento')),
        xml: serialize(retEvento),
      };
    }),
  };
}

export interface VoidAnswer extends AnswerStatus {
  readonly protocol: string | undefined;
  readonly receivedAt: Date | undefined;
  readonly xml: string;
}

/** `retInutNFe` (NFeInutilizacao4): its status sits in infInut. */
export function readVoidAnswer(service: SefazService, answer: Element): VoidAnswer {
  const info = child(answer, 'infInut');
  if (!info)
    throw new SefazFault('unexpected_body', service, `${service} answered retInutNFe without infInut`);
  return {
    ...statusOf(service, info),
    protocol: text(info, 'nProt'),
    receivedAt: sefazDate(text(info, 'dhRecbto')),
    xml: serialize(answer),
  };
}

export interface StatusAnswer extends AnswerStatus {
  readonly averageSeconds?: number;
  readonly expectedBackAt?: Date;
  readonly observation?: string;
  readonly answeredAt?: Date;
}

/** `retConsStatServ` (NFeStatusServico4). */
export function readStatusAnswer(service: SefazService, answer: Element): StatusAnswer {
  const tMed = text(answer, 'tMed');
  const back = sefazDate(text(answer, 'dhRetorno'));
  const observation = text(answer, 'xObs');
  const answeredAt = sefazDate(text(answer, 'dhRecbto'));
  return {
    ...statusOf(service, answer),
    ...(tMed && /^[0-9]+$/.test(tMed) ? { averageSeconds: Number(tMed) } : {}),
    ...(back ? { expectedBackAt: back } : {}),
    ...(observation ? { observation } : {}),
    ...(answeredAt ? { answeredAt } : {}),
  };
}

// ---------------------------------------------------------------- the documents a store keeps

/** `<nfeProc>`: the NF-e as the store sent it plus SEFAZ's `<protNFe>` (procNFe_v4.00.xsd). */
export const composeNfeProc = (signedNfeXml: string, protNFeXml: string): string =>
  `<nfeProc versao="4.00" xmlns="${NFE_NAMESPACE}">${stripDeclaration(signedNfeXml)}${protNFeXml}</nfeProc>`;

/** `<procEventoNFe>`: the signed `<evento>` plus SEFAZ's `<retEvento>` (procEventoNFe_v1.00.xsd). */
export const composeProcEvento = (eventoXml: string, retEventoXml: string): string =>
  `<procEventoNFe versao="1.00" xmlns="${NFE_NAMESPACE}">${eventoXml}${retEventoXml}</procEventoNFe>`;

/** `<ProcInutNFe>`: the signed `<inutNFe>` plus SEFAZ's `<retInutNFe>` (procInutNFe_v4.00.xsd). */
export const composeProcInut = (inutNFeXml: string, retInutNFeXml: string): string =>
  `<ProcInutNFe versao="4.00" xmlns="${NFE_NAMESPACE}">${stripDeclaration(inutNFeXml)}${retInutNFeXml}</ProcInutNFe>`;

// ---------------------------------------------------------------- what the client reads of its own input

/** The fields of a signed NF-e that route it: its key, model, emission type and state. */
export interface NfeRouting {
  readonly accessKey: string;
  readonly model: '55' | '65';
  /** tpEmis: 1 normal, 6 SVC-AN, 7 SVC-RS, 9 NFC-e offline… */
  readonly emissionType: string;
  readonly stateCode: string;
}

/** Reads the routing of a signed `<NFe>`; a document without them is the caller's bug (it throws). */
export function nfeRouting(signedNfeXml: string): NfeRouting {
  const doc = parseXml(signedNfeXml);
  const infNFe = doc?.getElementsByTagNameNS(NFE_NAMESPACE, 'infNFe')[0];
  const ide = infNFe && child(infNFe, 'ide');
  const id = infNFe?.getAttribute('Id') ?? '';
  const model = ide && text(ide, 'mod');
  if (!ide || !/^NFe[0-9]{44}$/.test(id) || (model !== '55' && model !== '65'))
    throw new Error('The document to authorise is not a signed NF-e 4.00 (infNFe Id, ide/mod).');
  return {
    accessKey: id.slice(3),
    model,
    emissionType: text(ide, 'tpEmis') ?? '1',
    stateCode: text(ide, 'cUF') ?? id.slice(3, 5),
  };
}

/** The model, state and emission type an access key carries (MOC 7.0 §2.2.6). */
export function keyRouting(accessKey: string): NfeRouting {
  if (!/^[0-9]{44}$/.test(accessKey)) throw new Error(`Not an access key: ${accessKey}`);
  const model = accessKey.slice(20, 22);
  if (model !== '55' && model !== '65') throw new Error(`The access key's model is ${model}, not 55 or 65.`);
  return { accessKey, model, emissionType: accessKey.slice(34, 35), stateCode: accessKey.slice(0, 2) };
}

const ufByCode = new Map(Object.entries(ufCodes).map(([uf, code]) => [code as string, uf]));
export const ufOfCode = (stateCode: string): string | undefined => ufByCode.get(stateCode);
