/**
 * The port to the SEFAZ authoriser (issue 5 §4). The simulator implements it today; a real SEFAZ
 * client (NFeAutorizacao4 / NFeRecepcaoEvento4 / NFeConsultaProtocolo4 over mutual TLS) implements the
 * same interface later,
 * so nothing that calls it changes. Calls are made by the outbox worker, never inside a transaction.
 *
 * A rejection is an answer, not a fault: it comes back as a value with SEFAZ's cStat and xMotivo.
 * Only transport faults (timeout, TLS) throw.
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
  /** cStat 100. */
  readonly status: 100;
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
}

export type AuthorizationResult = Authorized | Rejection;

/** cStat 217 of NFeConsultaProtocolo4: SEFAZ holds no NF-e under the key, so it may be sent. */
export interface NotFound {
  readonly outcome: 'not_found';
  readonly status: 217;
  readonly reason: string;
}

export interface EventRegistered {
  readonly outcome: 'registered';
  /** cStat 135: event registered and linked to the NF-e. */
  readonly status: 135;
  readonly reason: string;
  readonly accessKey: string;
  readonly protocol: string;
  readonly registeredAt: Date;
  /** `<procEventoNFe>`: the signed event plus SEFAZ's `<retEvento>`. */
  readonly procEventoXml: string;
}

export type EventResult = EventRegistered | Rejection;

export interface Authorizer {
  /** Sends one signed `<NFe>` (synchronous mode, indSinc 1). */
  authorize(signedNfeXml: string): Promise<AuthorizationResult>;
  /** Sends one signed `<envEvento>` holding a cancellation (tpEvento 110111). */
  cancel(signedEventXml: string): Promise<EventResult>;
  /**
   * Asks what SEFAZ holds under an access key (NFeConsultaProtocolo4). A worker that crashed after SEFAZ
   * authorised but before it committed recovers the protocol and the nfeProc here: sending again would
   * only get 204. For a key SEFAZ authorised, the authorisation as `authorize` answered it
   * (`receivedAt` = when it was authorised), cancelled or not.
   */
  consult(accessKey: string): Promise<AuthorizationResult | NotFound>;
}

export const rejection = (status: number, reason: string): Rejection => ({
  outcome: 'rejected',
  status,
  reason,
});

/**
 * A transport fault: the authoriser could not be reached (connection refused, timeout, TLS). Whatever an
 * `Authorizer` throws is one; this class names the case the simulator plays and a real client raises
 * when it cannot connect. An NFC-e that meets it goes into offline contingency (outbox.ts).
 */
export class SefazUnreachable extends Error {
  constructor(service: string, cause?: unknown) {
    super(`SEFAZ unreachable: ${service} did not answer (connection refused)`, { cause });
    this.name = 'SefazUnreachable';
  }
}
