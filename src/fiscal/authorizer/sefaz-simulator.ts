/**
 * A SEFAZ homologação stand-in implementing the `Authorizer` port: it runs the checks below in the
 * order of the Manual de Orientação do Contribuinte (MOC 7.0, §5 "Validações": schema, then the
 * digital signature, then business rules) and answers with SEFAZ's own cStat and xMotivo. It keeps
 * what it authorised in a `SimulatorStore` (in memory unless one is injected; simulator-store.ts keeps it
 * in the database, so a restart still answers 204, 539 and 573), keyed by access key and by emitter +
 * model + series + number, as SEFAZ's duplicate checks are.
 *
 * It can play SEFAZ unreachable (`SimulatorStore.available`, switched by an admin): every call then
 * throws `SefazUnreachable` at once, as a refused connection would, so the NFC-e contingency can be
 * shown and tested. A contingency NFC-e (tpEmis 9) is exempt from rejection 704 and carries dhCont/xJust.
 *
 * Not simulated: the ICP-Brasil chain (our test certificates are self-signed), cadastro (IE) checks,
 * the tax arithmetic rules (5xx/6xx), the other contingency modes and the asynchronous receipt (nRec) flow.
 */
import { fail, ok, type Result } from '../../platform/errors.ts';
import {
  brasiliaDateTime,
  buildAccessKey,
  CANCELLATION_EVENT,
  certificateCnpj,
  childText,
  JUSTIFICATION_MAX,
  JUSTIFICATION_MIN,
  NFE_NAMESPACE,
  parseXml,
  type SchemaName,
  validateXml,
  verifySignature,
  XMLDSIG_NS,
} from '../xml/index.ts';
import {
  type AuthorizationResult,
  type Authorized,
  type Authorizer,
  type EventResult,
  type NotFound,
  type Rejection,
  rejection,
  SefazUnreachable,
  type ServiceStatus,
  type VoidResult,
} from './port.ts';

const APPLICATION_VERSION = 'OMNIHUB-SEFAZ-SIM-1.0';

/**
 * cStat and xMotivo as the MOC 7.0 words them, with the validation rule that yields each (§5 tables:
 * B = message, D = schema, F = signature, G/H = business rules of the NF-e; P = events, §5.8.4/§5.9.3).
 */
export const sefazReasons = {
  100: 'Autorizado o uso da NF-e',
  107: 'Serviço em Operação',
  135: 'Evento registrado e vinculado a NF-e',
  252: 'Rejeição: Ambiente informado diverge do Ambiente de recebimento',
  /** envEvento schema (D01). */
  215: 'Rejeição: Falha no schema XML',
  204: 'Rejeição: Duplicidade de NF-e',
  /** F03, after 297 (F02). */
  213: 'Rejeição: CNPJ-Base do Emitente difere do CNPJ-Base do Certificado Digital',
  /** NFeConsultaProtocolo4: no NF-e under the key (the events' answer is 494). */
  217: 'Rejeição: NF-e não consta na base de dados da SEFAZ',
  /** P 2P23-10. */
  222: 'Rejeição: Protocolo de Autorização de Uso difere do cadastrado',
  /** NFe schema (D01). */
  225: 'Rejeição: Falha no Schema XML da NFe',
  228: 'Rejeição: Data de Emissão muito atrasada',
  /** B02. */
  243: 'Rejeição: XML Mal Formado',
  /** F02. */
  297: 'Rejeição: Assinatura difere do calculado',
  491: 'Rejeição: O tpEvento informado inválido',
  /** detEvento against the event's own schema (e110111_v1.00.xsd). */
  493: 'Rejeição: Evento não atende o Schema XML específico',
  /** P 2P12-10: the event's chNFe is not in the base (217 is the consultation service's answer). */
  494: 'Rejeição: Chave de Acesso Inexistente',
  /** P 2P12-14. */
  501: 'Rejeição: Prazo de cancelamento superior ao previsto na Legislação',
  502: 'Rejeição: Erro na Chave de Acesso - Campo Id não corresponde à concatenação dos campos correspondentes',
  539: 'Rejeição: Duplicidade de NF-e com diferença na Chave de Acesso',
  /** P 3P15-10. */
  573: 'Rejeição: Duplicidade de Evento',
  /** P12-44. */
  574: 'Rejeição: O autor do evento diverge do emissor da NF-e',
  /** P13-10. */
  578: 'Rejeição: A data do evento não pode ser maior que a data do processamento',
  /** P 2P13-14. */
  579: 'Rejeição: A data do evento não pode ser menor que a data de autorização da NF-e',
  /** P15-10: a cancellation is event 1. */
  594: 'Rejeição: Número de sequência do evento informado é maior do que o permitido',
  703: 'Rejeição: Data-Hora de Emissão posterior ao horário de recebimento',
  /** B09-40 (NT 2015.002). */
  704: 'Rejeição: NFC-e com Data-Hora de emissão atrasada',
} as const;

const reject = (status: keyof typeof sefazReasons, suffix = ''): Rejection =>
  rejection(status, sefazReasons[status] + suffix);

const MINUTE = 60_000;
/** Rejection 703 tolerates a clock skew of 5 minutes (MOC 7.0, rule of dhEmi). */
const FUTURE_TOLERANCE = 5 * MINUTE;
/** Rejection 228: an NF-e issued more than 30 days before it is received. */
const NFE_MAX_DELAY = 30 * 24 * 60 * MINUTE;
/**
 * Rejection 704 (rule B09-40, NT 2015.002): an NFC-e in normal emission (tpEmis 1) is sent as it is
 * issued; the tolerance is each state's, 5 minutes here (contingency offline, tpEmis 9, is exempt).
 */
const NFCE_MAX_DELAY = 5 * MINUTE;

/**
 * The cancellation window, from the authorisation to the event's receipt: 24 h for the NF-e (MOC 7.0
 * Tabela 5-38, rule 2P12-14) and 30 min for the NFC-e (the state rule the MOC defers to; SEFAZ-SP's,
 * the shortest in use). Past it, rejection 501: SEFAZ may answer 155 (accepted late) for an NF-e,
 * never for an NFC-e (§5.9.4); the simulator always refuses.
 */
export const cancellationWindowMs = (model: '55' | '65'): number =>
  model === '65' ? 30 * MINUTE : 24 * 60 * MINUTE;

export function withinCancellationWindow(model: '55' | '65', authorizedAt: Date, receivedAt: Date): boolean {
  return receivedAt.getTime() - authorizedAt.getTime() <= cancellationWindowMs(model);
}

export interface AuthorizedNfe {
  readonly accessKey: string;
  readonly protocol: string;
  readonly emitterCnpj: string;
  readonly model: '55' | '65';
  readonly series: number;
  readonly number: number;
  readonly authorizedAt: Date;
  /** The `<nfeProc>` answered at authorisation, answered again by `consult`. */
  readonly nfeProcXml: string;
  readonly cancellation?: { readonly protocol: string; readonly at: Date };
}

/** What the simulator remembers; inject one to share it between simulator instances or tests. */
export interface SimulatorStore {
  byKey(accessKey: string): Promise<AuthorizedNfe | undefined>;
  byNumber(
    emitterCnpj: string,
    model: string,
    series: number,
    number: number,
    /** The SVC's base (tpEmis 6/7) rather than the state's. */
    svc?: boolean,
  ): Promise<AuthorizedNfe | undefined>;
  /** Inserts or replaces the record of `record.accessKey`. */
  save(record: AuthorizedNfe): Promise<void>;
  /** The next protocol sequence, never repeated (not even by another process sharing the store). */
  nextSequence(): Promise<number>;
  /** Whether the simulated SEFAZ answers (false: it plays unreachable). */
  availability(): Promise<SimulatorAvailability>;
  setAvailability(available: boolean, changedBy: string): Promise<SimulatorAvailability>;
}

export interface SimulatorAvailability {
  readonly available: boolean;
  readonly changedBy: string | null;
  readonly changedAt: Date | null;
}

export function createMemorySimulatorStore(): SimulatorStore {
  const byKey = new Map<string, AuthorizedNfe>();
  const byNumber = new Map<string, string>();
  const numberKey = (cnpj: string, model: string, series: number, number: number, svc: boolean) =>
    `${cnpj}|${model}|${series}|${number}|${svc}`;
  let sequence = 0;
  let availability: SimulatorAvailability = { available: true, changedBy: null, changedAt: null };
  return {
    byKey: async (key) => byKey.get(key),
    byNumber: async (cnpj, model, series, number, svc = false) => {
      const key = byNumber.get(numberKey(cnpj, model, series, number, svc));
      return key === undefined ? undefined : byKey.get(key);
    },
    save: async (record) => {
      byKey.set(record.accessKey, record);
      byNumber.set(
        numberKey(record.emitterCnpj, record.model, record.series, record.number, svcKey(record.accessKey)),
        record.accessKey,
      );
    },
    nextSequence: async () => ++sequence,
    availability: async () => availability,
    setAvailability: async (available, changedBy) => {
      availability = { available, changedBy, changedAt: new Date() };
      return availability;
    },
  };
}

export interface SefazSimulatorOptions {
  readonly clock: () => Date;
  readonly store?: SimulatorStore;
  /** Schema validation; defaults to xmllint through `validateXml`. */
  readonly validate?: (xml: string, schema: SchemaName) => Promise<Result<void>>;
}

/**
 * nProt, 15 digits (MOC 7.0 §5.6): 1 digit for the authoriser (1 = state SEFAZ), the cUF,
 * the two-digit year, then a 10-digit sequence.
 */
export function formatProtocol(stateCode: string, at: Date, sequence: number): string {
  return `1${stateCode}${String(at.getUTCFullYear()).slice(2)}${String(sequence).padStart(10, '0')}`;
}

/** tpEmis, position 35 of the key: 6 (SVC-AN) or 7 (SVC-RS). */
const svcKey = (accessKey: string) => accessKey[34] === '6' || accessKey[34] === '7';

const stripDeclaration = (xml: string) => xml.replace(/^\s*<\?xml[^?]*\?>\s*/, '');

/** The answer to an authorised NF-e, the same from `authorize` and, later, from `consult`. */
const authorizedAnswer = (nfe: AuthorizedNfe): Authorized => ({
  outcome: 'authorized',
  status: 100,
  reason: sefazReasons[100],
  accessKey: nfe.accessKey,
  protocol: nfe.protocol,
  receivedAt: nfe.authorizedAt,
  nfeProcXml: nfe.nfeProcXml,
});

export function createSefazSimulator(options: SefazSimulatorOptions): Authorizer {
  const store = options.store ?? createMemorySimulatorStore();
  const validate = options.validate ?? validateXml;

  /** Playing unreachable: the call fails before anything is received, like ECONNREFUSED. */
  async function reachable(service: string): Promise<void> {
    if (!(await store.availability()).available) throw new SefazUnreachable(service);
  }

  /** Checks the signature of `element` and that its certificate belongs to `cnpj`'s company. */
  function checkSigner(xml: string, element: 'infNFe' | 'infEvento', cnpj: string): Rejection | undefined {
    const signature = verifySignature(xml, element);
    if (!signature.ok) return reject(297);
    // 213 (rule F03, after 297 F02): only the CNPJ root (first 8 characters) must match, so a branch
    // may sign with the head office's certificate (MOC 7.0 §5.9, "Autor do Evento").
    const signer = certificateCnpj(signature.value.certificateSubject);
    if (!signer || signer.slice(0, 8) !== cnpj.slice(0, 8)) return reject(213);
    return undefined;
  }

  async function authorize(signedNfeXml: string): Promise<AuthorizationResult> {
    // An NF-e in SVC (tpEmis 6/7) goes to the contingency authoriser, which the switch does not take down:
    // the switch plays the state's authoriser unreachable (NT 2013.007).
    if (!/<tpEmis>[67]<\/tpEmis>/.test(signedNfeXml)) await reachable('NFeAutorizacao4');
    const receivedAt = options.clock();
    // B02 then D01: a document that does not parse is 243, one that breaks the schema 225.
    const doc = parseXml(signedNfeXml);
    if (!doc) return reject(243);
    if (!(await validate(signedNfeXml, 'nfe')).ok) return reject(225);
    const fields = readNfe(doc);
    if (!fields.ok) return reject(225);
    const nfe = fields.value;

    const signer = checkSigner(signedNfeXml, 'infNFe', nfe.cnpj);
    if (signer) return signer;

    const expected = buildAccessKey({
      stateCode: nfe.stateCode,
      // AAMM of dhEmi as written (its local date), as the emitter composed the key.
      yearMonth: nfe.issuedAtText.slice(2, 4) + nfe.issuedAtText.slice(5, 7),
      cnpj: nfe.cnpj,
      model: nfe.model,
      series: nfe.series,
      number: nfe.number,
      emissionType: nfe.emissionType,
      numericCode: nfe.numericCode,
    });
    if (!expected.ok || expected.value !== nfe.accessKey || expected.value.slice(43) !== nfe.checkDigit)
      return reject(502);

    const issuedAt = new Date(nfe.issuedAtText);
    const delay = receivedAt.getTime() - issuedAt.getTime();
    if (-delay > FUTURE_TOLERANCE) return reject(703);
    if (nfe.model === '55' && delay > NFE_MAX_DELAY) return reject(228);
    if (nfe.model === '65' && nfe.emissionType === 1 && delay > NFCE_MAX_DELAY) return reject(704);

    const same = await store.byKey(nfe.accessKey);
    if (same) return reject(204, ` [nProt:${same.protocol}]`);
    // SVC and the state keep separate bases until SVC hands its documents over: neither sees the other's.
    const sameNumber = await store.byNumber(
      nfe.cnpj,
      nfe.model,
      nfe.series,
      nfe.number,
      svcKey(nfe.accessKey),
    );
    if (sameNumber) return reject(539, ` [chNFe: ${sameNumber.accessKey}][nProt:${sameNumber.protocol}]`);

    const protocol = formatProtocol(nfe.stateCode, receivedAt, await store.nextSequence());
    const digest = doc.getElementsByTagNameNS(XMLDSIG_NS, 'DigestValue')[0]?.textContent ?? '';
    const nfeProcXml =
      `<nfeProc versao="4.00" xmlns="${NFE_NAMESPACE}">${stripDeclaration(signedNfeXml)}` +
      '<protNFe versao="4.00"><infProt>' +
      `<tpAmb>${nfe.environment}</tpAmb><verAplic>${APPLICATION_VERSION}</verAplic>` +
      `<chNFe>${nfe.accessKey}</chNFe><dhRecbto>${brasiliaDateTime(receivedAt)}</dhRecbto>` +
      `<nProt>${protocol}</nProt><digVal>${digest}</digVal>` +
      `<cStat>100</cStat><xMotivo>${sefazReasons[100]}</xMotivo>` +
      '</infProt></protNFe></nfeProc>';
    const record: AuthorizedNfe = {
      accessKey: nfe.accessKey,
      protocol,
      emitterCnpj: nfe.cnpj,
      model: nfe.model,
      series: nfe.series,
      number: nfe.number,
      authorizedAt: receivedAt,
      nfeProcXml,
    };
    await store.save(record);
    return authorizedAnswer(record);
  }

  /**
   * MOC 7.0 §5.8.4 (general event rules) and §5.9.3, Tabela 5-38 (cancellation), in that order, except
   * that a repeated cancellation is answered 573 (3P15-10) rather than 580 (2P12-22, "NF-e cancelada"),
   * as SEFAZ answers a resent event.
   */
  async function registerEvent(signedEventXml: string): Promise<EventResult> {
    await reachable('NFeRecepcaoEvento4');
    const receivedAt = options.clock();
    const doc = parseXml(signedEventXml);
    if (!doc) return reject(243);
    if (!(await validate(signedEventXml, 'envEvento')).ok) return reject(215);
    const info = doc.getElementsByTagNameNS(NFE_NAMESPACE, 'infEvento')[0];
    if (!info) return reject(215);
    const event = {
      type: childText(info, 'tpEvento') ?? '',
      accessKey: childText(info, 'chNFe') ?? '',
      cnpj: childText(info, 'CNPJ') ?? childText(info, 'CPF') ?? '',
      sequence: Number(childText(info, 'nSeqEvento')),
      environment: childText(info, 'tpAmb') ?? '',
      at: new Date(childText(info, 'dhEvento') ?? ''),
      protocol: childText(info, 'nProt') ?? '',
      justification: childText(info, 'xJust') ?? '',
      description: childText(info, 'descEvento') ?? '',
    };
    if (event.type !== CANCELLATION_EVENT) return reject(491);
    // envEvento_v1.00.xsd leaves detEvento open; SEFAZ then applies e110111_v1.00.xsd (Tabela 5-37).
    const { length } = event.justification;
    if (
      event.description !== 'Cancelamento' ||
      !/^[0-9]{15}$/.test(event.protocol) ||
      length < JUSTIFICATION_MIN ||
      length > JUSTIFICATION_MAX
    )
      return reject(493);

    const signer = checkSigner(signedEventXml, 'infEvento', event.cnpj);
    if (signer) return signer;

    // P12-44: the author is the emitter named in the key (CNPJ at positions 7–20).
    if (event.accessKey.slice(6, 20) !== event.cnpj) return reject(574);
    if (event.at.getTime() - receivedAt.getTime() > FUTURE_TOLERANCE) return reject(578);
    if (event.sequence !== 1) return reject(594);
    const nfe = await store.byKey(event.accessKey);
    if (!nfe) return reject(494);
    if (nfe.cancellation) return reject(573);
    if (!withinCancellationWindow(nfe.model, nfe.authorizedAt, receivedAt)) return reject(501);
    if (nfe.authorizedAt.getTime() - event.at.getTime() > FUTURE_TOLERANCE) return reject(579);
    if (nfe.protocol !== event.protocol) return reject(222);

    const protocol = formatProtocol(event.accessKey.slice(0, 2), receivedAt, await store.nextSequence());
    await store.save({ ...nfe, cancellation: { protocol, at: receivedAt } });
    const evento = doc.getElementsByTagNameNS(NFE_NAMESPACE, 'evento')[0]!;
    const procEventoXml =
      `<procEventoNFe versao="1.00" xmlns="${NFE_NAMESPACE}">${evento.toString().replace(` xmlns="${NFE_NAMESPACE}"`, '')}` +
      '<retEvento versao="1.00"><infEvento>' +
      `<tpAmb>${event.environment}</tpAmb><verAplic>${APPLICATION_VERSION}</verAplic>` +
      `<cOrgao>${event.accessKey.slice(0, 2)}</cOrgao><cStat>135</cStat>` +
      `<xMotivo>${sefazReasons[135]}</xMotivo><chNFe>${event.accessKey}</chNFe>` +
      `<tpEvento>${CANCELLATION_EVENT}</tpEvento><xEvento>Cancelamento registrado</xEvento>` +
      `<nSeqEvento>${event.sequence}</nSeqEvento><dhRegEvento>${brasiliaDateTime(receivedAt)}</dhRegEvento>` +
      `<nProt>${protocol}</nProt></infEvento></retEvento></procEventoNFe>`;
    return {
      outcome: 'registered',
      status: 135,
      reason: sefazReasons[135],
      accessKey: event.accessKey,
      protocol,
      registeredAt: receivedAt,
      procEventoXml,
    };
  }

  /** NFeConsultaProtocolo4 for one access key: the authorisation, or 217 when there is none. */
  async function consult(accessKey: string): Promise<AuthorizationResult | NotFound> {
    await reachable('NFeConsultaProtocolo4');
    const nfe = await store.byKey(accessKey);
    if (!nfe) return { outcome: 'not_found', status: 217, reason: sefazReasons[217] };
    const answer = authorizedAnswer(nfe);
    return nfe.cancellation ? { ...answer, cancelledProtocol: nfe.cancellation.protocol } : answer;
  }

  /** NFeStatusServico4: in operation, unless an admin switched the simulated SEFAZ off. */
  async function status(): Promise<ServiceStatus> {
    await reachable('NFeStatusServico4');
    return { status: 107, reason: sefazReasons[107], checkedAt: options.clock(), averageSeconds: 1 };
  }

  /** NFeInutilizacao4: not simulated yet, answered as SEFAZ answers a service it does not offer. */
  async function voidRange(_signedInutXml: string): Promise<VoidResult> {
    await reachable('NFeInutilizacao4');
    return reject(252);
  }

  return { authorize, registerEvent, consult, voidRange, status };
}

interface NfeFields {
  accessKey: string;
  stateCode: string;
  numericCode: string;
  model: '55' | '65';
  series: number;
  number: number;
  issuedAtText: string;
  emissionType: number;
  checkDigit: string;
  environment: string;
  cnpj: string;
}

/** The fields the checks need; the schema already passed, so a missing one is a malformed document. */
function readNfe(doc: Document): Result<NfeFields> {
  const info = doc.getElementsByTagNameNS(NFE_NAMESPACE, 'infNFe')[0];
  const ide = info?.getElementsByTagNameNS(NFE_NAMESPACE, 'ide')[0];
  const emit = info?.getElementsByTagNameNS(NFE_NAMESPACE, 'emit')[0];
  if (!info || !ide || !emit) return fail('invalid', 'FISCAL.SCHEMA_INVALID', 'infNFe incompleta');
  const model = childText(ide, 'mod');
  if (model !== '55' && model !== '65') return fail('invalid', 'FISCAL.SCHEMA_INVALID', 'mod');
  return ok({
    accessKey: (info.getAttribute('Id') ?? '').replace(/^NFe/, ''),
    stateCode: childText(ide, 'cUF') ?? '',
    numericCode: childText(ide, 'cNF') ?? '',
    model,
    series: Number(childText(ide, 'serie')),
    number: Number(childText(ide, 'nNF')),
    issuedAtText: childText(ide, 'dhEmi') ?? '',
    emissionType: Number(childText(ide, 'tpEmis')),
    checkDigit: childText(ide, 'cDV') ?? '',
    environment: childText(ide, 'tpAmb') ?? '',
    cnpj: childText(emit, 'CNPJ') ?? childText(emit, 'CPF') ?? '',
  });
}
