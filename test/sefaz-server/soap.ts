/**
 * The SOAP 1.2 layer of the test SEFAZ (MOC 7.0 §3.1, layout 4.00): the six services, the endpoint table
 * it hands to the client, the envelope checks and the answer envelopes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseXml } from '../../src/fiscal/xml/index.ts';
import { ufCodes } from '../../src/platform/uf.ts';

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
const WSDL_BASE = 'http://www.portalfiscal.inf.br/nfe/wsdl/';

export const services = {
  NFeAutorizacao4: { method: 'nfeAutorizacaoLote', message: 'enviNFe', answer: 'retEnviNFe' },
  NFeRetAutorizacao4: { method: 'nfeRetAutorizacaoLote', message: 'consReciNFe', answer: 'retConsReciNFe' },
  NFeConsultaProtocolo4: { method: 'nfeConsultaNF', message: 'consSitNFe', answer: 'retConsSitNFe' },
  NFeRecepcaoEvento4: { method: 'nfeRecepcaoEvento', message: 'envEvento', answer: 'retEnvEvento' },
  NFeInutilizacao4: { method: 'nfeInutilizacaoNF', message: 'inutNFe', answer: 'retInutNFe' },
  NFeStatusServico4: { method: 'nfeStatusServicoNF', message: 'consStatServ', answer: 'retConsStatServ' },
} as const;
export type SefazService = keyof typeof services;

export const wsdlNamespace = (service: SefazService) => WSDL_BASE + service;
export const soapAction = (service: SefazService) => `${wsdlNamespace(service)}/${services[service].method}`;

/** IBGE codes of the states, by UF (the fiscal domain's table). */
export const stateCodes: Readonly<Record<string, string | undefined>> = ufCodes;
/** The shared authorisers (virtual SEFAZ and national environment) and the two SVCs (contingency). */
export const authorisers = ['SVRS', 'SVAN', 'AN', 'SVCAN', 'SVCRS'] as const;
export const environments = { homologacao: '2', producao: '1' } as const;
export type Environment = keyof typeof environments;

/** Where a call went: the endpoint path names it, `/ws/<model>/<UF or authoriser>/<environment>/<service>`. */
export interface Route {
  readonly model: '55' | '65';
  readonly authoriser: string;
  readonly environment: Environment;
  readonly service: SefazService;
}

export function endpointTable(baseUrl: string): Record<string, unknown> {
  const table: Record<string, Record<string, Record<string, Record<string, string>>>> = {};
  for (const model of ['55', '65']) {
    table[model] = {};
    for (const key of [...Object.keys(stateCodes), ...authorisers]) {
      table[model]![key] = {};
      for (const environment of Object.keys(environments)) {
        table[model]![key]![environment] = Object.fromEntries(
          Object.keys(services).map((s) => [s, `${baseUrl}/ws/${model}/${key}/${environment}/${s}`]),
        );
      }
    }
  }
  return table;
}

export function parseRoute(path: string): Route | undefined {
  const match = /^\/ws\/(55|65)\/([A-Z]{2,5})\/(homologacao|producao)\/([A-Za-z0-9]+)$/.exec(path);
  if (!match) return undefined;
  const [, model, authoriser, environment, service] = match;
  if (!(service! in services) || !(authoriser! in stateCodes || authorisers.includes(authoriser as never)))
    return undefined;
  return {
    model: model as '55' | '65',
    authoriser: authoriser!,
    environment: environment as Environment,
    service: service as SefazService,
  };
}

/** Why an envelope is refused: the HTTP status and the SOAP 1.2 fault code and text the server answers. */
export interface EnvelopeRefusal {
  readonly http: number;
  readonly code: 'soap:Sender' | 'soap:VersionMismatch';
  readonly reason: string;
}

/**
 * Checks the request as the states' servers do and returns the message inside `nfeDadosMsg` (serialised
 * on its own: xmldom declares its namespace), or the refusal. SOAP 1.2 binding: a media type other than
 * application/soap+xml is 415; everything else a Fault with HTTP 500.
 */
export function readEnvelope(
  service: SefazService,
  headers: IncomingHttpHeaders,
  body: string,
): { message: string } | EnvelopeRefusal {
  const contentType = headers['content-type'] ?? '';
  if (!/^application\/soap\+xml\s*(;|$)/i.test(contentType))
    return { http: 415, code: 'soap:Sender', reason: `Unsupported media type: ${contentType || '(none)'}` };
  const action = /;\s*action\s*=\s*"?([^";]+)"?/i.exec(contentType)?.[1];
  if (action !== soapAction(service))
    return { http: 500, code: 'soap:Sender', reason: `Unknown SOAP action: ${action ?? '(none)'}` };
  const doc = parseXml(body);
  const root = doc?.documentElement;
  if (root?.localName !== 'Envelope')
    return { http: 500, code: 'soap:Sender', reason: 'The request is not a SOAP envelope' };
  if (root.namespaceURI !== SOAP12_NS)
    return { http: 500, code: 'soap:VersionMismatch', reason: 'Only SOAP 1.2 envelopes are accepted' };
  const soapBody = elementChildren(root).find((e) => e.namespaceURI === SOAP12_NS && e.localName === 'Body');
  const data = soapBody && elementChildren(soapBody)[0];
  if (data?.localName !== 'nfeDadosMsg' || data.namespaceURI !== wsdlNamespace(service))
    return { http: 500, code: 'soap:Sender', reason: `nfeDadosMsg of ${wsdlNamespace(service)} expected` };
  const message = elementChildren(data);
  if (message.length !== 1)
    return { http: 500, code: 'soap:Sender', reason: 'nfeDadosMsg must hold one message' };
  return { message: message[0]!.toString() };
}

const elementChildren = (parent: Element): Element[] =>
  Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1);

const ENVELOPE_OPEN =
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP12_NS}" ` +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>';

export const answerEnvelope = (service: SefazService, answer: string): string =>
  `${ENVELOPE_OPEN}<nfeResultMsg xmlns="${wsdlNamespace(service)}">${answer}</nfeResultMsg></soap:Body></soap:Envelope>`;

export const faultEnvelope = (code: string, reason: string): string =>
  `${ENVELOPE_OPEN}<soap:Fault><soap:Code><soap:Value>${code}</soap:Value></soap:Code>` +
  `<soap:Reason><soap:Text xml:lang="pt-BR">${reason.replace(/[<>&]/g, ' ')}</soap:Text></soap:Reason>` +
  '</soap:Fault></soap:Body></soap:Envelope>';
