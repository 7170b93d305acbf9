/**
 * One SOAP 1.2 call to a SEFAZ web service over mutual TLS (MOC 7.0 §3, layout 4.00): the store's A1
 * certificate as client certificate, the server's certificate checked against the trusted CAs (never
 * switched off), one deadline for connect and answer. Every way of not getting the service's answer is
 * a `SefazFault` whose kind says which.
 */
import https from 'node:https';
import { NFE_NAMESPACE, parseXml } from '../../xml/index.ts';
import { SefazFault } from '../port.ts';
import type { SefazService } from './endpoints.ts';

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
/** A few authorisers still answer faults in SOAP 1.1; reading either costs nothing. */
const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

/** The WSDL operation of each service (the `action` of the Content-Type). */
export const SERVICE_METHODS: Record<SefazService, string> = {
  NFeAutorizacao4: 'nfeAutorizacaoLote',
  NFeRetAutorizacao4: 'nfeRetAutorizacaoLote',
  NFeConsultaProtocolo4: 'nfeConsultaNF',
  NFeRecepcaoEvento4: 'nfeRecepcaoEvento',
  NFeInutilizacao4: 'nfeInutilizacaoNF',
  NFeStatusServico4: 'nfeStatusServicoNF',
};

export const wsdlNamespace = (service: SefazService): string =>
  `http://www.portalfiscal.inf.br/nfe/wsdl/${service}`;

/** An answer past this size is not a SEFAZ answer (the largest, a consult with events, is a few kB). */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export interface SoapCall {
  readonly url: string;
  readonly service: SefazService;
  /** The message (enviNFe, consSitNFe…), without an XML declaration. */
  readonly message: string;
  readonly key: string;
  readonly cert: string;
  readonly ca: readonly string[];
  readonly timeoutMs: number;
}

export const stripDeclaration = (xml: string): string => xml.replace(/^\s*<\?xml[^>]*\?>\s*/, '');

export function soapEnvelope(service: SefazService, message: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap12:Envelope xmlns:soap12="${SOAP12_NS}"><soap12:Body>` +
    `<nfeDadosMsg xmlns="${wsdlNamespace(service)}">${stripDeclaration(message)}</nfeDadosMsg>` +
    '</soap12:Body></soap12:Envelope>'
  );
}

export const soapContentType = (service: SefazService): string =>
  `application/soap+xml; charset=utf-8; action="${wsdlNamespace(service)}/${SERVICE_METHODS[service]}"`;

/** Node's error codes of a refused, reset or unresolvable connection. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
]);

/** OpenSSL's and Node's codes of a certificate the other side does not accept. */
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/**
 * `inHandshake`: the TCP connection was made but TLS was not established. A server that refuses our
 * certificate may just drop the connection there (Node's own servers do) instead of sending an alert.
 */
function faultOf(
  service: SefazService,
  url: string,
  error: NodeJS.ErrnoException,
  inHandshake: boolean,
): SefazFault {
  const code = error.code ?? '';
  const droppedInHandshake = inHandshake && (code === 'ECONNRESET' || code === 'EPIPE');
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || droppedInHandshake)
    return new SefazFault('tls', service, `TLS with ${url} failed (${code}): ${error.message}`, error);
  if (UNREACHABLE_CODES.has(code) || /socket hang up/i.test(error.message))
    return new SefazFault('unreachable', service, `${url} did not answer (${code || error.message})`, error);
  return new SefazFault('unreachable', service, `${url} failed: ${code} ${error.message}`.trim(), error);
}

/** The element `local` in `namespace` under `within` (any depth), prefix ignored. */
function elementNS(within: Document | Element, namespace: string, local: string): Element | undefined {
  return within.getElementsByTagNameNS(namespace, local)[0] ?? undefined;
}

/** The Fault's text (SOAP 1.2 Reason/Text, or SOAP 1.1 faultstring) when `body` is a SOAP Fault. */
export function soapFaultText(body: string): string | undefined {
  if (!/Fault/.test(body)) return undefined;
  const doc = parseXml(body);
  if (!doc) return undefined;
  const fault = elementNS(doc, SOAP12_NS, 'Fault') ?? elementNS(doc, SOAP11_NS, 'Fault');
  if (!fault) return undefined;
  const text =
    elementNS(fault, SOAP12_NS, 'Text')?.textContent ??
    fault.getElementsByTagName('faultstring')[0]?.textContent ??
    fault.textContent ??
    '';
  return text.trim().slice(0, 500) || 'SOAP Fault';
}

/**
 * The answer element (`retEnviNFe`, `retConsSitNFe`…) in the Body's `nfeResultMsg`, parsed by namespace:
 * each state's prefixes differ. Anything else in a 200 is `unexpected_body`.
 */
export function answerElement(service: SefazService, body: string, answer: string): Element {
  const unexpected = (why: string) =>
    new SefazFault('unexpected_body', service, `${service} answered a body that is not ${answer}: ${why}`);
  const doc = parseXml(body);
  if (!doc) throw unexpected('not well-formed XML');
  const soapBody = elementNS(doc, SOAP12_NS, 'Body') ?? elementNS(doc, SOAP11_NS, 'Body');
  if (!soapBody) throw unexpected('no SOAP Body');
  // Inside the service's result element: `nfeResultMsg` for most, `<operation>Result` or a longer name
  // for a few authorisers; what matters is its namespace, the service's WSDL namespace.
  const candidates = soapBody.getElementsByTagNameNS(NFE_NAMESPACE, answer);
  let found: Element | undefined;
  for (let i = 0; i < candidates.length && !found; i++) {
    const parent = candidates[i]!.parentNode as Element | null;
    if (parent?.namespaceURI === wsdlNamespace(service)) found = candidates[i]!;
  }
  if (!found) throw unexpected(`no ${answer} in a result of ${wsdlNamespace(service)}`);
  return found;
}

/**
 * POSTs the message and resolves to the raw body of a 200, or rejects with a SefazFault: unreachable,
 * tls, timeout, http_status, soap_fault. The answer's shape is checked by `answerElement`.
 */
export function postSoap(call: SoapCall): Promise<string> {
  const { service, url } = call;
  const body = Buffer.from(soapEnvelope(service, call.message), 'utf8');
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const settle = (fault: SefazFault | undefined, answer?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (fault) reject(fault);
      else resolve(answer!);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      settle(new SefazFault('unreachable', service, `${url} is not a URL`));
      return;
    }
    const request = https.request(
      target,
      {
        method: 'POST',
        key: call.key,
        cert: call.cert,
        ca: [...call.ca],
        rejectUnauthorized: true,
        agent: false,
        headers: {
          'Content-Type': soapContentType(service),
          'Content-Length': String(body.length),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            response.destroy();
            settle(new SefazFault('unexpected_body', service, `${service} answered more than 8 MB`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error) => settle(faultOf(service, url, error, false)));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          const fault = soapFaultText(text);
          if (fault !== undefined)
            return settle(
              new SefazFault(
                'soap_fault',
                service,
                `${service} refused the envelope (HTTP ${status}): ${fault}`,
              ),
            );
          if (status !== 200)
            return settle(
              new SefazFault(
                'http_status',
                service,
                `${service} answered HTTP ${status}: ${text.slice(0, 200)}`,
              ),
            );
          settle(undefined, text);
        });
      },
    );
    const deadline = setTimeout(() => {
      settle(
        new SefazFault('timeout', service, `${service} did not answer within ${call.timeoutMs} ms (${url})`),
      );
      request.destroy();
    }, call.timeoutMs);
    let connected = false;
    let secured = false;
    request.on('socket', (socket) => {
      socket.once('connect', () => {
        connected = true;
      });
      socket.once('secureConnect', () => {
        secured = true;
      });
    });
    request.on('error', (error) => settle(faultOf(service, url, error, connected && !secured)));
    request.end(body);
  });
}
