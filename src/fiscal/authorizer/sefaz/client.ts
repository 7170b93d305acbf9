/**
 * The real SEFAZ behind the `Authorizer` port: each call routes to the web service of its model's
 * authoriser (the state's own, SVRS, SVAN; SVC-AN / SVC-RS for an NF-e in contingency), sends the message
 * over mutual TLS with the store's A1 certificate and turns SEFAZ's answer into the port's outcome. Only a
 * missing answer throws (`SefazFault`); every cStat is a value.
 */
import { performance } from 'node:perf_hooks';
import type { TicketRecorder } from '../../../platform/tickets/service.ts';
import { ufCodes } from '../../../platform/uf.ts';
import { type A1Certificate, NFE_NAMESPACE, parseXml } from '../../xml/index.ts';
import {
  type AuthorizationResult,
  type Authorizer,
  type EventResult,
  type NotFound,
  rejection,
  SefazFault,
  type ServiceStatus,
  type VoidResult,
} from '../port.ts';
import {
  authoriserOf,
  type EndpointTable,
  type Environment,
  type FiscalModel,
  loadEndpointTable,
  resolveEndpoint,
  type SefazService,
} from './endpoints.ts';
import {
  buildConsReciNFe,
  buildConsSitNFe,
  buildConsStatServ,
  buildEnviNFe,
  composeNfeProc,
  composeProcEvento,
  composeProcInut,
  keyRouting,
  type NfeProtocol,
  type NfeRouting,
  nfeRouting,
  readBatchAnswer,
  readConsultAnswer,
  readEventBatchAnswer,
  readStatusAnswer,
  readVoidAnswer,
  serialize,
  ufOfCode,
} from './messages.ts';
import { answerElement, postSoap, soapEnvelope } from './transport.ts';
import { defaultTrustedCa } from './trust.ts';

export interface SefazClientOptions {
  /** The store's A1 certificate: its key and certificate authenticate the TLS connection. */
  readonly certificate: A1Certificate;
  /** The store's state, e.g. 'SP'. */
  readonly uf: string;
  /** tpAmb: 1 produção, 2 homologação. */
  readonly environment: Environment;
  /** Default: `loadEndpointTable()`, the bundled table with OMNIHUB_SEFAZ_ENDPOINTS over it. */
  readonly endpoints?: EndpointTable;
  /** Default: Node's roots, the ICP-Brasil roots of certs/ and OMNIHUB_SEFAZ_CA. */
  readonly trustedCa?: readonly string[];
  /** Per call, connect and answer together. Default 30 s. */
  readonly timeoutMs?: number;
  readonly clock?: () => Date;
  /** Waits tMed between receipt polls (tests pass a quick one). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Receipt polls of an asynchronous batch before giving up with a `timeout` fault. Default 5. */
  readonly maxPolls?: number;
  /** Where each web-service call is recorded as a connector ticket (`sefaz.call`); nowhere without it. */
  readonly tickets?: TicketRecorder;
  /** The network the store belongs to, which its tickets are filed under. */
  readonly networkId?: string | null;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_POLLS = 5;
/** A tMed past this is waited for only this long before polling again. */
const MAX_WAIT_MS = 60_000;

/** tpEmis of SVC-AN and SVC-RS (MOC 7.0 §2.3): sent to the state's SVC authoriser. */
const SVC_EMISSION = new Set(['6', '7']);
/** cStat 103 lote recebido, 104 lote processado, 105 lote em processamento (MOC 7.0 §4.1). */
const BATCH_RECEIVED = 103;
const BATCH_PROCESSED = 104;
const BATCH_IN_PROCESS = 105;
/**
 * 108 serviço paralisado momentaneamente, 109 sem previsão: the message was not processed, the
 * authoriser is down (contingency, issue 14 §4); a fault, so the caller retries or goes to SVC.
 */
const SERVICE_DOWN = new Set([108, 109]);
const AUTHORIZED = new Set([100, 150]);
const DENIED = new Set([110, 301, 302]);
/** NFeConsultaProtocolo4: 101 cancelled, 151/155 cancelled out of its window (the NF-e was authorised). */
const CANCELLED = new Set([101, 151, 155]);
const NOT_FOUND = 217;
const EVENT_BATCH_PROCESSED = 128;
const EVENT_REGISTERED = new Set([135, 136, 155]);
const RANGE_VOIDED = 102;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The endpoint table and trusted CAs from the environment, read once per process (a client is made per
 * store and job). Call it at start-up: a malformed OMNIHUB_SEFAZ_ENDPOINTS or OMNIHUB_SEFAZ_CA throws
 * SefazConfigurationError there rather than at the first document.
 */
export function sefazConfiguration(env: NodeJS.ProcessEnv = process.env): {
  readonly endpoints: EndpointTable;
  readonly trustedCa: readonly string[];
} {
  const key = `${env.OMNIHUB_SEFAZ_ENDPOINTS ?? ''}\n${env.OMNIHUB_SEFAZ_CA ?? ''}`;
  if (cached?.key !== key)
    cached = { key, endpoints: loadEndpointTable(env), trustedCa: defaultTrustedCa(env) };
  return cached;
}
let cached: { key: string; endpoints: EndpointTable; trustedCa: readonly string[] } | undefined;

export function createSefazClient(options: SefazClientOptions): Authorizer {
  const table = options.endpoints ?? sefazConfiguration().endpoints;
  const ca = options.trustedCa ?? sefazConfiguration().trustedCa;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? sleepFor;
  const maxPolls = options.maxPolls ?? DEFAULT_MAX_POLLS;
  const environment = options.environment;
  const stateCode = ufCodes[options.uf as keyof typeof ufCodes];
  if (!stateCode) throw new Error(`Unknown UF ${options.uf}`);

  async function call(
    service: SefazService,
    route: { model: FiscalModel; uf: string; contingency?: boolean },
    message: string,
    answer: string,
    accessKey: string | null = null,
  ): Promise<Element> {
    const url = resolveEndpoint(table, { ...route, environment, service });
    if (!url)
      throw new SefazFault(
        'unreachable',
        service,
        `No ${service} address for model ${route.model}, ${route.uf}${route.contingency ? ' (SVC)' : ''}, tpAmb ${environment}`,
      );
    const startedAt = new Date();
    const t0 = performance.now();
    let body: string | null = null;
    let fault: Error | null = null;
    try {
      body = await postSoap({
        url,
        service,
        message,
        key: options.certificate.privateKeyPem,
        cert: options.certificate.certificatePem,
        ca,
        timeoutMs,
      });
      return answerElement(service, body, answer);
    } catch (error) {
      fault = error as Error;
      throw error;
    } finally {
      await options.tickets?.record({
        networkId: options.networkId ?? null,
        direction: 'out',
        system: systemOf(route),
        method: service,
        kind: 'sefaz.call',
        status: fault ? 'failed' : 'processed',
        reference: accessKey,
        url,
        // postSoap answers only a 200; anything else is a fault.
        httpStatus: body === null ? null : 200,
        latencyMs: performance.now() - t0,
        request: soapEnvelope(service, message),
        response: body,
        error: fault ? fault.message : null,
        startedAt,
      });
    }
  }

  /** `sefaz-SP`, or the SVC an NF-e in contingency went to (`sefaz-svc-an`, `sefaz-svc-rs`). */
  function systemOf(route: { model: FiscalModel; uf: string; contingency?: boolean }): string {
    if (!route.contingency) return `sefaz-${route.uf}`;
    const svc = authoriserOf(table, { ...route, environment }) ?? 'SVC';
    return `sefaz-${svc.toLowerCase().replace(/^svc(?=..)/, 'svc-')}`;
  }

  const routeOf = (routing: NfeRouting) => {
    const uf = ufOfCode(routing.stateCode);
    if (!uf) throw new Error(`Unknown cUF ${routing.stateCode}`);
    return { model: routing.model, uf, contingency: SVC_EMISSION.has(routing.emissionType) };
  };

  const downFault = (service: SefazService, status: number, reason: string) =>
    new SefazFault('unreachable', service, `${service} answered ${status}: ${reason}`);

  /** The port's outcome of one NF-e's protocol; `signedNfeXml` makes the nfeProc. */
  function outcomeOf(
    service: SefazService,
    prot: NfeProtocol,
    signedNfeXml: string | undefined,
  ): AuthorizationResult {
    if ((AUTHORIZED.has(prot.status) || DENIED.has(prot.status)) && !prot.protocol)
      throw new SefazFault(
        'unexpected_body',
        service,
        `${service} answered cStat ${prot.status} without nProt`,
      );
    const nfeProcXml = signedNfeXml ? composeNfeProc(signedNfeXml, prot.xml) : prot.xml;
    const receivedAt = prot.receivedAt ?? clock();
    if (AUTHORIZED.has(prot.status) && prot.protocol)
      return {
        outcome: 'authorized',
        status: prot.status as 100 | 150,
        reason: prot.reason,
        accessKey: prot.accessKey,
        protocol: prot.protocol,
        receivedAt,
        nfeProcXml,
      };
    if (DENIED.has(prot.status) && prot.protocol)
      return {
        outcome: 'denied',
        status: prot.status as 110 | 301 | 302,
        reason: prot.reason,
        accessKey: prot.accessKey,
        protocol: prot.protocol,
        receivedAt,
        nfeProcXml,
      };
    // 204 / 539 (duplicates) and every other rejection: the caller consults the key where it must.
    return rejection(prot.status, prot.reason);
  }

  /** The protocol of our NF-e: another key's protocol is never taken for it. */
  function protocolFor(service: SefazService, protocols: NfeProtocol[], accessKey: string): NfeProtocol {
    const prot = protocols.find((p) => p.accessKey === accessKey);
    if (!prot)
      throw new SefazFault(
        'unexpected_body',
        service,
        `${service} processed the batch without a protNFe for ${accessKey}`,
      );
    return prot;
  }

  /** Polls NFeRetAutorizacao4 after tMed until the batch is processed, at most `maxPolls` times. */
  async function pollReceipt(
    route: ReturnType<typeof routeOf>,
    receipt: { number: string; averageSeconds: number },
    accessKey: string,
    signedNfeXml: string,
  ): Promise<AuthorizationResult> {
    const service = 'NFeRetAutorizacao4';
    let wait = receipt.averageSeconds;
    for (let poll = 1; poll <= maxPolls; poll++) {
      await sleep(Math.min(Math.max(wait, 1) * 1000, MAX_WAIT_MS));
      const answer = readBatchAnswer(
        service,
        await call(
          service,
          route,
          buildConsReciNFe(environment, receipt.number),
          'retConsReciNFe',
          accessKey,
        ),
      );
      if (answer.status === BATCH_PROCESSED)
        return outcomeOf(service, protocolFor(service, answer.protocols, accessKey), signedNfeXml);
      if (SERVICE_DOWN.has(answer.status)) throw downFault(service, answer.status, answer.reason);
      if (answer.status !== BATCH_IN_PROCESS) return rejection(answer.status, answer.reason);
      wait = receipt.averageSeconds;
    }
    throw new SefazFault(
      'timeout',
      service,
      `Batch ${receipt.number} still in process after ${maxPolls} polls: resolve the NF-e by consulting its key`,
    );
  }

  return {
    async authorize(signedNfeXml) {
      const service = 'NFeAutorizacao4';
      const routing = nfeRouting(signedNfeXml);
      const route = routeOf(routing);
      // idLote: up to 15 digits, unique enough per store and second.
      const batchId = String(clock().getTime()).slice(-15);
      const answer = readBatchAnswer(
        service,
        await call(service, route, buildEnviNFe(signedNfeXml, batchId), 'retEnviNFe', routing.accessKey),
      );
      if (answer.status === BATCH_PROCESSED)
        return outcomeOf(service, protocolFor(service, answer.protocols, routing.accessKey), signedNfeXml);
      if (answer.status === BATCH_RECEIVED) {
        if (!answer.receipt)
          throw new SefazFault('unexpected_body', service, `${service} answered 103 without infRec/nRec`);
        return pollReceipt(route, answer.receipt, routing.accessKey, signedNfeXml);
      }
      if (SERVICE_DOWN.has(answer.status)) throw downFault(service, answer.status, answer.reason);
      return rejection(answer.status, answer.reason);
    },

    async consult(accessKey, signedNfeXml): Promise<AuthorizationResult | NotFound> {
      const service = 'NFeConsultaProtocolo4';
      const route = routeOf(keyRouting(accessKey));
      const answer = readConsultAnswer(
        service,
        await call(service, route, buildConsSitNFe(environment, accessKey), 'retConsSitNFe', accessKey),
      );
      if (answer.status === NOT_FOUND)
        return { outcome: 'not_found', status: NOT_FOUND, reason: answer.reason };
      if (SERVICE_DOWN.has(answer.status)) throw downFault(service, answer.status, answer.reason);
      const prot = answer.protocol;
      const held = AUTHORIZED.has(answer.status) || DENIED.has(answer.status) || CANCELLED.has(answer.status);
      if (held && prot?.accessKey !== accessKey)
        throw new SefazFault(
          'unexpected_body',
          service,
          `${service} answered ${answer.status} without the protNFe of ${accessKey}`,
        );
      const events = answer.events.length > 0 ? { events: answer.events } : {};
      if (prot && (AUTHORIZED.has(answer.status) || DENIED.has(answer.status))) {
        const outcome = outcomeOf(service, prot, signedNfeXml);
        return outcome.outcome === 'authorized' ? { ...outcome, ...events } : outcome;
      }
      if (prot && CANCELLED.has(answer.status)) {
        const outcome = outcomeOf(service, prot, signedNfeXml);
        if (outcome.outcome !== 'authorized') return outcome;
        return answer.cancellationProtocol
          ? { ...outcome, ...events, cancelledProtocol: answer.cancellationProtocol }
          : { ...outcome, ...events };
      }
      return rejection(answer.status, answer.reason);
    },

    async registerEvent(signedEventXml): Promise<EventResult> {
      const service = 'NFeRecepcaoEvento4';
      const doc = parseXml(signedEventXml);
      const evento = doc?.getElementsByTagNameNS(NFE_NAMESPACE, 'evento')[0];
      const accessKey = evento?.getElementsByTagNameNS(NFE_NAMESPACE, 'chNFe')[0]?.textContent?.trim() ?? '';
      if (!evento || !/^[0-9]{44}$/.test(accessKey))
        throw new Error('The event to register is not a signed envEvento with one evento (chNFe).');
      const route = routeOf(keyRouting(accessKey));
      const answer = readEventBatchAnswer(
        service,
        await call(service, route, signedEventXml, 'retEnvEvento', accessKey),
      );
      if (SERVICE_DOWN.has(answer.status)) throw downFault(service, answer.status, answer.reason);
      if (answer.status !== EVENT_BATCH_PROCESSED) return rejection(answer.status, answer.reason);
      const result = answer.events.find((e) => (e.accessKey ?? accessKey) === accessKey);
      if (!result)
        throw new SefazFault(
          'unexpected_body',
          service,
          `${service} processed the batch without a retEvento`,
        );
      if (!EVENT_REGISTERED.has(result.status)) return rejection(result.status, result.reason);
      if (!result.protocol)
        throw new SefazFault('unexpected_body', service, `${service} registered the event without nProt`);
      return {
        outcome: 'registered',
        status: result.status as 135 | 136 | 155,
        reason: result.reason,
        accessKey: result.accessKey ?? accessKey,
        protocol: result.protocol,
        registeredAt: result.registeredAt ?? clock(),
        procEventoXml: composeProcEvento(serialize(evento), result.xml),
      };
    },

    async voidRange(signedInutXml): Promise<VoidResult> {
      const service = 'NFeInutilizacao4';
      const doc = parseXml(signedInutXml);
      const infInut = doc?.getElementsByTagNameNS(NFE_NAMESPACE, 'infInut')[0];
      const field = (name: string) =>
        infInut?.getElementsByTagNameNS(NFE_NAMESPACE, name)[0]?.textContent?.trim();
      const model = field('mod');
      const uf = ufOfCode(field('cUF') ?? '');
      if (!infInut || (model !== '55' && model !== '65') || !uf)
        throw new Error('The range to void is not a signed inutNFe 4.00 (infInut cUF, mod).');
      // Voiding is the state authoriser's service; the SVC do not void numbers (MOC 7.0 §2.3).
      const answer = readVoidAnswer(service, await call(service, { model, uf }, signedInutXml, 'retInutNFe'));
      if (SERVICE_DOWN.has(answer.status)) throw downFault(service, answer.status, answer.reason);
      if (answer.status !== RANGE_VOIDED) return rejection(answer.status, answer.reason);
      if (!answer.protocol)
        throw new SefazFault('unexpected_body', service, `${service} voided the range without nProt`);
      return {
        outcome: 'voided',
        status: RANGE_VOIDED,
        reason: answer.reason,
        protocol: answer.protocol,
        voidedAt: answer.receivedAt ?? clock(),
        procInutXml: composeProcInut(signedInutXml, answer.xml),
      };
    },

    async status(model): Promise<ServiceStatus> {
      const service = 'NFeStatusServico4';
      const route = { model: String(model) as FiscalModel, uf: options.uf };
      const answer = readStatusAnswer(
        service,
        await call(service, route, buildConsStatServ(environment, stateCode), 'retConsStatServ'),
      );
      return {
        status: answer.status,
        reason: answer.reason,
        checkedAt: answer.answeredAt ?? clock(),
        ...(answer.averageSeconds !== undefined ? { averageSeconds: answer.averageSeconds } : {}),
        ...(answer.expectedBackAt ? { expectedBackAt: answer.expectedBackAt } : {}),
        ...(answer.observation ? { observation: answer.observation } : {}),
      };
    },
  };
}
