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
 * Events: the cancellation (110111) and the correction letter (110110, its sequence per NF-e). Denials
 * (110/301/302) and late authorisations (150) come only from a `SimulatorRules` a test or demo injects:
 * no check of the simulator's reaches them.
 *
 * Not simulated: the ICP-Brasil chain (our test certificates are self-signed), cadastro (IE) checks,
 * the tax arithmetic rules (5xx/6xx), the other contingency modes and the asynchronous receipt (nRec) flow.
 */
import { fail, ok, type Result } from '../../platform/errors.ts';
import {
  brasiliaDateTime,
  buildAccessKey,
  CANCELLATION_EVENT,
  CORRECTION_CONDITIONS,
  CORRECTION_EVENT,
  CORRECTION_MAX,
  CORRECTION_MIN,
  CORRECTION_SEQUENCE_MAX,
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
  type Denied,
  type EventResult,
  type NotFound,
  type RegisteredEventInfo,
  type Rejection,
  rejection,
  SefazUnreachable,
  type ServiceStatus,
  type VoidResult,
} from './port.ts';

/** verAplic: at most 20 characters (TVerAplic of the event answers). */
const APPLICATION_VERSION = 'OMNIHUB-SEFAZSIM-1.0';

/**
 * cStat and xMotivo as the MOC 7.0 words them, with the validation rule that yields each (§5 tables:
 * B = message, D = schema, F = signature, G/H = business rules of the NF-e; P = events, §5.8.4/§5.9.3).
 */
export const sefazReasons = {
  100: 'Autorizado o uso da NF-e',
  102: 'Inutilização de número homologado',
  107: 'Serviço em Operação',
  /** Denials (MOC 7.0 §5, "Uso Denegado"): SEFAZ keeps the NF-e with a protocol, its number used up. */
  110: 'Uso Denegado',
  /** Inutilização: more numbers than the authoriser voids per request. */
  201: 'Rejeição: Número máximo de numeração a inutilizar ultrapassou o limite',
  135: 'Evento registrado e vinculado a NF-e',
  150: 'Autorizado o uso da NF-e, autorização fora de prazo',
  301: 'Uso Denegado: Irregularidade fiscal do emitente',
  302: 'Uso Denegado: Irregularidade fiscal do destinatário',
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
  /** Inutilização: nNFIni above nNFFin. */
  224: 'Rejeição: A faixa inicial é maior que a faixa final',
  /** Inutilização: a number of the range was used by an NF-e. */
  241: 'Rejeição: Um número da faixa já foi utilizado',
  /** A number voided before (inutilização) cannot be authorised. */
  206: 'Rejeição: NF-e já está inutilizada na Base de dados da SEFAZ',
  /** Inutilização: a number of the range was voided before. */
  256: 'Rejeição: Uma NF-e da faixa já está inutilizada na Base de dados da SEFAZ',
  /** Inutilização: ano after the current year. */
  453: 'Rejeição: Ano de inutilização não pode ser superior ao Ano atual',
  /** Inutilização: the same range was voided before. */
  563: 'Rejeição: Já existe pedido de Inutilização com a mesma faixa de inutilização',
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
  /** An event on an NF-e that is not authorised (denied, or a correction letter on a cancelled one). */
  580: 'Rejeição: O evento exige uma NF-e autorizada',
  /** P12-44. */
  574: 'Rejeição: O autor do evento diverge do emissor da NF-e',
  /** P13-10. */
  578: 'Rejeição: A data do evento não pode ser maior que a data do processamento',
  /** P 2P13-14. */
  579: 'Rejeição: A data do evento não pode ser menor que a data de autorização da NF-e',
  /** P15-10: a cancellation is event 1; a correction letter the next of its NF-e, at most 20. */
  594: 'Rejeição: Número de sequência do evento informado é maior do que o permitido',
  703: 'Rejeição: Data-Hora de Emissão posterior ao horário de recebimento',
  /** B09-40 (NT 2015.002). */
  704: 'Rejeição: NFC-e com Data-Hora de emissão atrasada',
} as const;

const reject = (status: keyof typeof sefazReasons, suffix = ''): Rejection =>
  rejection(status, sefazReasons[status] + suffix);

const MINUTE = 60_000;
/** Rejection 201: the numbers one inutilização may void (the limit the authorisers publish). */
const VOID_RANGE_LIMIT = 10_000;
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
  /** The correction letters registered (110110), in sequence. */
  readonly corrections?: readonly SimulatedCorrection[];
}

export interface SimulatedCorrection {
  readonly sequence: number;
  readonly protocol: string;
  readonly at: Date;
  readonly procEventoXml: string;
}

/** What a simulation rule sees of an NF-e that passed every check. */
export interface SimulatedNfe {
  readonly accessKey: string;
  readonly model: '55' | '65';
  readonly series: number;
  readonly number: number;
  /** The recipient's CNPJ or CPF, when the NF-e names one. */
  readonly recipientDocument?: string;
}

/**
 * Cases a test or a demo makes the simulator play that its checks alone never reach: a denial (110, 301,
 * 302: the emitter's or recipient's registration is irregular) or an authorisation out of time (150).
 * Undefined: authorised (100), as by default.
 */
export interface SimulatorRules {
  authorization?(nfe: SimulatedNfe): 110 | 150 | 301 | 302 | undefined;
}

/** What the simulator remembers; inject one to share it between simulator instances or tests. */
export interface SimulatorStore extends SimulatorVoidingStore {
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

/** A range of numbers the simulated SEFAZ voided (NFeInutilizacao4, cStat 102). */
export interface VoidedAtSefaz {
  readonly emitterCnpj: string;
  readonly model: string;
  readonly series: number;
  readonly from: number;
  readonly to: number;
  readonly protocol: string;
  readonly voidedAt: Date;
}

/**
 * What the simulator needs to void ranges (NFeInutilizacao4). Optional, so a store made for the other
 * services keeps compiling; without them `voidRange` answers as SEFAZ answers a service it does not offer.
 */
export interface SimulatorVoidingStore {
  /** Numbers of the series the simulator authorised within from..to (at most 20, ascending). */
  numbersAuthorized?(
    emitterCnpj: string,
    model: string,
    series: number,
    from: number,
    to: number,
  ): Promise<number[]>;
  /** Voided ranges of the series sharing a number with from..to. */
  voidedOverlapping?(
    emitterCnpj: string,
    model: string,
    series: number,
    from: number,
    to: number,
  ): Promise<VoidedAtSefaz[]>;
  saveVoided?(range: VoidedAtSefaz): Promise<void>;
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
  const voided: VoidedAtSefaz[] = [];
  const sameSeries = (
    r: { emitterCnpj: string; model: string; series: number },
    c: string,
    m: string,
    s: number,
  ) => r.emitterCnpj === c && r.model === m && r.series === s;
  return {
    numbersAuthorized: async (cnpj, model, series, from, to) =>
      [...byKey.values()]
        .filter((r) => sameSeries(r, cnpj, model, series) && r.number >= from && r.number <= to)
        .map((r) => r.number)
        .sort((a, b) => a - b)
        .slice(0, 20),
    voidedOverlapping: async (cnpj, model, series, from, to) =>
      voided.filter((r) => sameSeries(r, cnpj, model, series) && r.from <= to && r.to >= from),
    saveVoided: async (range) => {
      voided.push(range);
    },
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
  readonly rules?: SimulatorRules;
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

/** The cStat SEFAZ gave the NF-e, as its kept `<protNFe>` says (100, 150, or a denial). */
const statusOf = (nfe: AuthorizedNfe): 100 | 150 | 110 | 301 | 302 => {
  const status = Number(/<cStat>(\d+)<\/cStat>/.exec(nfe.nfeProcXml)?.[1]);
  return status === 150 || status === 110 || status === 301 || status === 302 ? status : 100;
};

/** The answer to an NF-e in the base, the same from `authorize` and, later, from `consult`. */
const answerOf = (nfe: AuthorizedNfe): Authorized | Denied => {
  const status = statusOf(nfe);
  const common = {
    accessKey: nfe.accessKey,
    protocol: nfe.protocol,
    receivedAt: nfe.authorizedAt,
    nfeProcXml: nfe.nfeProcXml,
  };
  return status === 100 || status === 150
    ? { outcome: 'authorized', status, reason: sefazReasons[status], ...common }
    : { outcome: 'denied', status, reason: sefazReasons[status], ...common };
};

export function createSefazSimulator(options: SefazSimulatorOptions): Authorizer {
  const store = options.store ?? createMemorySimulatorStore();
  const validate = options.validate ?? validateXml;

  /** Playing unreachable: the call fails before anything is received, like ECONNREFUSED. */
  async function reachable(service: string): Promise<void> {
    if (!(await store.availability()).available) throw new SefazUnreachable(service);
  }

  /** Checks the signature of `element` and that its certificate belongs to `cnpj`'s company. */
  function checkSigner(
    xml: string,
    element: 'infNFe' | 'infEvento' | 'infInut',
    cnpj: string,
  ): Rejection | undefined {
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
    // A number voided before (NFeInutilizacao4) can never be authorised.
    const voided = await store.voidedOverlapping?.(nfe.cnpj, nfe.model, nfe.series, nfe.number, nfe.number);
    if (voided && voided.length > 0) return reject(206);

    const verdict =
      options.rules?.authorization?.({
        accessKey: nfe.accessKey,
        model: nfe.model,
        series: nfe.series,
        number: nfe.number,
        recipientDocument: nfe.recipientDocument,
      }) ?? 100;
    const protocol = formatProtocol(nfe.stateCode, receivedAt, await store.nextSequence());
    const digest = doc.getElementsByTagNameNS(XMLDSIG_NS, 'DigestValue')[0]?.textContent ?? '';
    const nfeProcXml =
      `<nfeProc versao="4.00" xmlns="${NFE_NAMESPACE}">${stripDeclaration(signedNfeXml)}` +
      '<protNFe versao="4.00"><infProt>' +
      `<tpAmb>${nfe.environment}</tpAmb><verAplic>${APPLICATION_VERSION}</verAplic>` +
      `<chNFe>${nfe.accessKey}</chNFe><dhRecbto>${brasiliaDateTime(receivedAt)}</dhRecbto>` +
      `<nProt>${protocol}</nProt><digVal>${digest}</digVal>` +
      `<cStat>${verdict}</cStat><xMotivo>${sefazReasons[verdict]}</xMotivo>` +
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
    return answerOf(record);
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
    if (event.type === CORRECTION_EVENT) return registerCorrection(signedEventXml, doc, info, receivedAt);
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
    if (answerOf(nfe).outcome === 'denied') return reject(580);
    if (!withinCancellationWindow(nfe.model, nfe.authorizedAt, receivedAt)) return reject(501);
    if (nfe.authorizedAt.getTime() - event.at.getTime() > FUTURE_TOLERANCE) return reject(579);
    if (nfe.protocol !== event.protocol) return reject(222);

    const protocol = formatProtocol(event.accessKey.slice(0, 2), receivedAt, await store.nextSequence());
    await store.save({ ...nfe, cancellation: { protocol, at: receivedAt } });
    const procEventoXml = procEvento(doc, {
      environment: event.environment,
      accessKey: event.accessKey,
      type: CANCELLATION_EVENT,
      label: 'Cancelamento registrado',
      sequence: event.sequence,
      receivedAt,
      protocol,
    });
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

  /**
   * The correction letter (CC-e, MOC 7.0 §6; e110110_v1.00.xsd): only on an authorised NF-e (model 55),
   * numbered after the letters already registered (a repeated sequence is 573, a skipped one or past the
   * 20th 594), its text of 15–1,000 characters and the fixed xCondUso (493 otherwise).
   */
  async function registerCorrection(
    signedEventXml: string,
    doc: Document,
    info: Element,
    receivedAt: Date,
  ): Promise<EventResult> {
    const event = {
      accessKey: childText(info, 'chNFe') ?? '',
      cnpj: childText(info, 'CNPJ') ?? childText(info, 'CPF') ?? '',
      sequence: Number(childText(info, 'nSeqEvento')),
      environment: childText(info, 'tpAmb') ?? '',
      at: new Date(childText(info, 'dhEvento') ?? ''),
      description: childText(info, 'descEvento') ?? '',
      text: childText(info, 'xCorrecao') ?? '',
      conditions: childText(info, 'xCondUso') ?? '',
    };
    const { length } = event.text;
    if (
      (event.description !== 'Carta de Correcao' && event.description !== 'Carta de Correção') ||
      length < CORRECTION_MIN ||
      length > CORRECTION_MAX ||
      event.conditions !== CORRECTION_CONDITIONS
    )
      return reject(493);
    const signer = checkSigner(signedEventXml, 'infEvento', event.cnpj);
    if (signer) return signer;
    if (event.accessKey.slice(6, 20) !== event.cnpj) return reject(574);
    if (event.at.getTime() - receivedAt.getTime() > FUTURE_TOLERANCE) return reject(578);
    const nfe = await store.byKey(event.accessKey);
    if (!nfe) return reject(494);
    // The CC-e is an NF-e event: the NFC-e has none (MOC 7.0 §6, "Carta de Correção Eletrônica").
    if (nfe.model !== '55') return reject(491);
    if (nfe.cancellation || answerOf(nfe).outcome === 'denied') return reject(580);
    const registered = nfe.corrections ?? [];
    if (registered.some((c) => c.sequence === event.sequence)) return reject(573);
    if (event.sequence !== registered.length + 1 || event.sequence > CORRECTION_SEQUENCE_MAX)
      return reject(594);
    if (nfe.authorizedAt.getTime() - event.at.getTime() > FUTURE_TOLERANCE) return reject(579);

    const protocol = formatProtocol(event.accessKey.slice(0, 2), receivedAt, await store.nextSequence());
    const procEventoXml = procEvento(doc, {
      environment: event.environment,
      accessKey: event.accessKey,
      type: CORRECTION_EVENT,
      label: 'Carta de Correção registrada',
      sequence: event.sequence,
      receivedAt,
      protocol,
    });
    await store.save({
      ...nfe,
      corrections: [...registered, { sequence: event.sequence, protocol, at: receivedAt, procEventoXml }],
    });
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

  /**
   * NFeConsultaProtocolo4 for one access key: the authorisation or the denial with the events registered
   * on it (retConsSitNFe's procEventoNFe), or 217 when there is none.
   */
  async function consult(accessKey: string): Promise<AuthorizationResult | NotFound> {
    await reachable('NFeConsultaProtocolo4');
    const nfe = await store.byKey(accessKey);
    if (!nfe) return { outcome: 'not_found', status: 217, reason: sefazReasons[217] };
    const answer = answerOf(nfe);
    if (answer.outcome === 'denied') return answer;
    const events: RegisteredEventInfo[] = (nfe.corrections ?? []).map((c) => ({
      type: CORRECTION_EVENT,
      sequence: c.sequence,
      protocol: c.protocol,
      registeredAt: c.at,
      procEventoXml: c.procEventoXml,
    }));
    if (nfe.cancellation)
      events.push({
        type: CANCELLATION_EVENT,
        sequence: 1,
        protocol: nfe.cancellation.protocol,
        registeredAt: nfe.cancellation.at,
      });
    return {
      ...answer,
      ...(nfe.cancellation ? { cancelledProtocol: nfe.cancellation.protocol } : {}),
      ...(events.length ? { events } : {}),
    };
  }

  /** NFeStatusServico4: in operation, unless an admin switched the simulated SEFAZ off. */
  async function status(): Promise<ServiceStatus> {
    await reachable('NFeStatusServico4');
    return { status: 107, reason: sefazReasons[107], checkedAt: options.clock(), averageSeconds: 1 };
  }

  /**
   * NFeInutilizacao4 (MOC 7.0 §4.5): schema, signature, then the range's rules — the year (453), the
   * order of its ends (224), its width (201), the same range voided before (563), a number of it voided
   * before (256) or used by an NF-e this SEFAZ authorised (241) — else 102 with nProt and the
   * `<ProcInutNFe>`.
   */
  async function voidRange(signedInutXml: string): Promise<VoidResult> {
    await reachable('NFeInutilizacao4');
    const receivedAt = options.clock();
    const doc = parseXml(signedInutXml);
    if (!doc) return reject(243);
    if (!(await validate(signedInutXml, 'inutNFe')).ok) return reject(215);
    const info = doc.getElementsByTagNameNS(NFE_NAMESPACE, 'infInut')[0];
    if (!info) return reject(215);
    const { numbersAuthorized, voidedOverlapping, saveVoided } = store;
    if (!numbersAuthorized || !voidedOverlapping || !saveVoided) return reject(252);
    const request = {
      environment: childText(info, 'tpAmb') ?? '',
      stateCode: childText(info, 'cUF') ?? '',
      year: Number(childText(info, 'ano')),
      cnpj: childText(info, 'CNPJ') ?? '',
      model: childText(info, 'mod') ?? '',
      series: Number(childText(info, 'serie')),
      from: Number(childText(info, 'nNFIni')),
      to: Number(childText(info, 'nNFFin')),
    };
    const signer = checkSigner(signedInutXml, 'infInut', request.cnpj);
    if (signer) return signer;
    if (request.year > receivedAt.getUTCFullYear() % 100) return reject(453);
    if (request.from > request.to) return reject(224);
    if (request.to - request.from + 1 > VOID_RANGE_LIMIT) return reject(201);
    const { cnpj, model, series, from, to } = request;
    const before = await voidedOverlapping(cnpj, model, series, from, to);
    if (before.some((r) => r.from === from && r.to === to)) return reject(563);
    if (before.length > 0) return reject(256);
    if ((await numbersAuthorized(cnpj, model, series, from, to)).length > 0) return reject(241);

    const protocol = formatProtocol(request.stateCode, receivedAt, await store.nextSequence());
    await saveVoided({ emitterCnpj: cnpj, model, series, from, to, protocol, voidedAt: receivedAt });
    const inut = doc.getElementsByTagNameNS(NFE_NAMESPACE, 'inutNFe')[0]!;
    const procInutXml =
      `<ProcInutNFe versao="4.00" xmlns="${NFE_NAMESPACE}">${inut.toString().replace(` xmlns="${NFE_NAMESPACE}"`, '')}` +
      `<retInutNFe versao="4.00"><infInut><tpAmb>${request.environment}</tpAmb>` +
      `<verAplic>${APPLICATION_VERSION}</verAplic><cStat>102</cStat><xMotivo>${sefazReasons[102]}</xMotivo>` +
      `<cUF>${request.stateCode}</cUF><ano>${childText(info, 'ano')}</ano><CNPJ>${cnpj}</CNPJ>` +
      `<mod>${model}</mod><serie>${series}</serie><nNFIni>${from}</nNFIni><nNFFin>${to}</nNFFin>` +
      `<dhRecbto>${brasiliaDateTime(receivedAt)}</dhRecbto><nProt>${protocol}</nProt></infInut>` +
      '</retInutNFe></ProcInutNFe>';
    return {
      outcome: 'voided',
      status: 102,
      reason: sefazReasons[102],
      protocol,
      voidedAt: receivedAt,
      procInutXml,
    };
  }

  return { authorize, registerEvent, consult, voidRange, status };
}

/** `<procEventoNFe>`: the event as received plus SEFAZ's `<retEvento>` (procEventoNFe_v1.00.xsd). */
function procEvento(
  doc: Document,
  answer: {
    environment: string;
    accessKey: string;
    type: string;
    label: string;
    sequence: number;
    receivedAt: Date;
    protocol: string;
  },
): string {
  const evento = doc.getElementsByTagNameNS(NFE_NAMESPACE, 'evento')[0]!;
  return (
    `<procEventoNFe versao="1.00" xmlns="${NFE_NAMESPACE}">${evento.toString().replace(` xmlns="${NFE_NAMESPACE}"`, '')}` +
    '<retEvento versao="1.00"><infEvento>' +
    `<tpAmb>${answer.environment}</tpAmb><verAplic>${APPLICATION_VERSION}</verAplic>` +
    `<cOrgao>${answer.accessKey.slice(0, 2)}</cOrgao><cStat>135</cStat>` +
    `<xMotivo>${sefazReasons[135]}</xMotivo><chNFe>${answer.accessKey}</chNFe>` +
    `<tpEvento>${answer.type}</tpEvento><xEvento>${answer.label}</xEvento>` +
    `<nSeqEvento>${answer.sequence}</nSeqEvento><dhRegEvento>${brasiliaDateTime(answer.receivedAt)}</dhRegEvento>` +
    `<nProt>${answer.protocol}</nProt></infEvento></retEvento></procEventoNFe>`
  );
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
  recipientDocument?: string;
}

/** The fields the checks need; the schema already passed, so a missing one is a malformed document. */
function readNfe(doc: Document): Result<NfeFields> {
  const info = doc.getElementsByTagNameNS(NFE_NAMESPACE, 'infNFe')[0];
  const ide = info?.getElementsByTagNameNS(NFE_NAMESPACE, 'ide')[0];
  const emit = info?.getElementsByTagNameNS(NFE_NAMESPACE, 'emit')[0];
  const dest = info?.getElementsByTagNameNS(NFE_NAMESPACE, 'dest')[0];
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
    recipientDocument: dest && (childText(dest, 'CNPJ') ?? childText(dest, 'CPF')),
  });
}
