/**
 * The port to the SEFAZ authoriser (issue 5 §4, issue 14). Two implementations: the SEFAZ simulator (the
 * embedded demo's default, sefaz-simulator.ts) and the real web-service client (SOAP 1.2 over mutual
 * TLS with the store's A1 certificate, ../sefaz/). Calls are made by the outbox worker, never inside a
 * transaction; which one a store uses is its fiscal settings' `authorizer` (`AuthorizerFor`).
 *
 * An answer of SEFAZ's is a value, never a throw: authorised, denied, rejected (with SEFAZ's cStat and
 * xMotivo), registered, voided, not found. Only faults throw (`SefazFault`): the authoriser could not be
 * reached, the TLS handshake failed, it timed out, answered an HTTP error, a SOAP fault or a body that is
 * not the service's answer. After a fault nobody knows whether SEFAZ received the message; the caller
 * resolves that by consulting the key before sending again (a resend of a received NF-e gets 204).
 */

export interface Rejection {
  readonly outcome: 'rejected';
  /** cStat of the Manual de Orientação do Contribuinte (e.g. 204, 297, 539). */
  readonly status: number;
  /** xMotivo exactly as SEFAZ words it. */
  readonly reason: string;
}

export interface Authorized {
  readonly outcome: 'authorized';
  /** cStat 100, or 150 "Autorizado o uso da NF-e, autorização fora de prazo" (late). */
  readonly status: 100 | 150;
  readonly reason: string;
  readonly accessKey: string;
  /** nProt, 15 digits. */
  readonly protocol: string;
  readonly receivedAt: Date;
  /** `<nfeProc>`: the signed NFe plus SEFAZ's `<protNFe>`, the document the store keeps and sends. */
  readonly nfeProcXml: string;
  /**
   * Only from `consult`: the nProt of the cancellation event when the NF-e was cancelled after it was
   * authorised (SEFAZ itself then answers cStat 101; the port keeps the authorisation's shape).
   */
  readonly cancelledProtocol?: string;
  /**
   * Only from `consult`: the events SEFAZ registered on the NF-e (retConsSitNFe's `procEventoNFe`), so a
   * job whose event was answered 573 (already registered) reads its protocol back.
   */
  readonly events?: readonly RegisteredEventInfo[];
}

/** One event of a consultation's answer: tpEvento, nSeqEvento, nProt, dhRegEvento, its procEventoNFe. */
export interface RegisteredEventInfo {
  readonly type: string;
  readonly sequence: number;
  readonly protocol: string;
  readonly registeredAt: Date;
  readonly procEventoXml?: string;
}

/**
 * cStat 110 (uso denegado), 301 (irregularidade fiscal do emitente) or 302 (irregularidade fiscal do
 * destinatário): SEFAZ keeps the document with a protocol and its number is used up. It is never sent
 * again under that number; the sale needs a new document once the irregularity is solved.
 */
export interface Denied {
  readonly outcome: 'denied';
  readonly status: 110 | 301 | 302;
  readonly reason: string;
  readonly accessKey: string;
  readonly protocol: string;
  readonly receivedAt: Date;
  /** `<nfeProc>` with the denial's `<protNFe>`: the store must keep it. */
  readonly nfeProcXml: string;
}

export type AuthorizationResult = Authorized | Denied | Rejection;

/** cStat 217 of NFeConsultaProtocolo4: SEFAZ holds no NF-e under the key, so it may be sent. */
export interface NotFound {
  readonly outcome: 'not_found';
  readonly status: 217;
  readonly reason: string;
}

export interface EventRegistered {
  readonly outcome: 'registered';
  /**
   * 135 registered and linked to the NF-e; 136 registered but not linked (the NF-e is not in that
   * authoriser's base yet); 155 a cancellation accepted out of its window (homologated late).
   */
  readonly status: 135 | 136 | 155;
  readonly reason: string;
  readonly accessKey: string;
  readonly protocol: string;
  readonly registeredAt: Date;
  /** `<procEventoNFe>`: the signed event plus SEFAZ's `<retEvento>`. */
  readonly procEventoXml: string;
}

export type EventResult = EventRegistered | Rejection;

/** cStat 102 of NFeInutilizacao4: the range of numbers is voided. */
export interface RangeVoided {
  readonly outcome: 'voided';
  readonly status: 102;
  readonly reason: string;
  readonly protocol: string;
  readonly voidedAt: Date;
  /** `<ProcInutNFe>`: the signed `<inutNFe>` plus SEFAZ's `<retInutNFe>`, kept by the store. */
  readonly procInutXml: string;
}

export type VoidResult = RangeVoided | Rejection;

/**
 * NFeStatusServico4's answer: 107 in operation, 108 paralysed for now, 109 paralysed without forecast
 * (any other cStat is a rejection of the request itself, e.g. 280 for a certificate SEFAZ does not trust).
 */
export interface ServiceStatus {
  readonly status: number;
  readonly reason: string;
  readonly checkedAt: Date;
  /** tMed: the average seconds SEFAZ takes to answer, when it says. */
  readonly averageSeconds?: number;
  /** dhRetorno: when SEFAZ expects to be back (108/109), when it says. */
  readonly expectedBackAt?: Date;
  /** xObs, free text of the authoriser. */
  readonly observation?: string;
}

export interface Authorizer {
  /**
   * Sends one signed `<NFe>`: synchronously (indSinc 1) where the authoriser can, else as a batch whose
   * receipt (nRec) is polled with NFeRetAutorizacao4 after tMed. A document in contingency (tpEmis 6/7)
   * goes to the SVC authoriser of its state.
   */
  authorize(signedNfeXml: string): Promise<AuthorizationResult>;
  /**
   * Sends one signed `<envEvento>` batch of one event: a cancellation (tpEvento 110111) or a correction
   * letter (110110, "Carta de Correção").
   */
  registerEvent(signedEventXml: string): Promise<EventResult>;
  /**
   * Asks what SEFAZ holds under an access key (NFeConsultaProtocolo4). A worker that crashed after SEFAZ
   * authorised but before it committed recovers the protocol and the nfeProc here: sending again would
   * only get 204. For a key SEFAZ authorised, the authorisation as `authorize` answered it
   * (`receivedAt` = when it was authorised), cancelled or not. SEFAZ answers only the `<protNFe>`: the
   * `<nfeProc>` is made of `signedNfeXml` (the document as the store sent it) and that protocol; without
   * it, `nfeProcXml` holds the `<protNFe>` alone.
   */
  consult(accessKey: string, signedNfeXml?: string): Promise<AuthorizationResult | NotFound>;
  /** Sends one signed `<inutNFe>`: voids a range of unused numbers of a series (NFeInutilizacao4). */
  voidRange(signedInutXml: string): Promise<VoidResult>;
  /** NFeStatusServico4 of the model's authoriser (the store's state and environment). */
  status(model: 55 | 65): Promise<ServiceStatus>;
}

/**
 * The authoriser of a store's documents, as its fiscal settings choose it (`simulator` or `sefaz`). The
 * outbox asks it per document; a fixed `Authorizer` serves every store (tests, the demo).
 */
export type AuthorizerFor = (storeId: string) => Promise<Authorizer>;

export const rejection = (status: number, reason: string): Rejection => ({
  outcome: 'rejected',
  status,
  reason,
});

/**
 * What went wrong when SEFAZ's answer could not be had: `unreachable` (connection refused, reset, DNS:
 * nothing was answered); `tls` (the handshake failed: the server's certificate is not trusted, or ours was
 * refused); `timeout` (no answer within the time allowed, connect or response); `http_status` (an HTTP
 * status other than 200; a SOAP fault travels with 500 and is `soap_fault`); `soap_fault` (a SOAP 1.2
 * `<Fault>`: the authoriser refused the envelope itself); `unexpected_body` (a 200 whose body is not the
 * service's answer: garbage, another service's, truncated).
 */
export const sefazFaultKinds = [
  'unreachable',
  'tls',
  'timeout',
  'http_status',
  'soap_fault',
  'unexpected_body',
] as const;
export type SefazFaultKind = (typeof sefazFaultKinds)[number];

/**
 * A fault: SEFAZ's answer could not be had. `kind` says why; `service` which web service was called.
 * Whether SEFAZ received the message is unknown (except for `unreachable` and `tls`, which fail before
 * anything is sent). An NFC-e that meets one goes into offline contingency (outbox.ts); an NF-e may go to
 * SVC (contingency.ts).
 */
export class SefazFault extends Error {
  readonly kind: SefazFaultKind;
  readonly service: string;

  constructor(kind: SefazFaultKind, service: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'SefazFault';
    this.kind = kind;
    this.service = service;
  }
}

/** The fault the simulator plays when an admin switches it off, as a refused connection would be. */
export class SefazUnreachable extends SefazFault {
  constructor(service: string, cause?: unknown) {
    super('unreachable', service, `SEFAZ unreachable: ${service} did not answer (connection refused)`, cause);
    this.name = 'SefazUnreachable';
  }
}

/** Whether a fault means the authoriser is down (the contingency triggers), rather than a bad message. */
export const authoriserDown = (fault: unknown): boolean =>
  !(fault instanceof SefazFault) ||
  fault.kind === 'unreachable' ||
  fault.kind === 'timeout' ||
  fault.kind === 'http_status';
