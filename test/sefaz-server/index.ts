/**
 * A SEFAZ that tests start in-process (issue 14): HTTPS with mutual TLS, SOAP 1.2, the six NF-e 4.00
 * web services, answering as the states' servers do (MOC 7.0).
 *
 * - TLS (certificates.ts): its own server CA (`caPem`/`caFile`, for OMNIHUB_SEFAZ_CA) and a separate
 *   client CA, the only issuer it accepts; `issueClientCertificate` makes a store's A1 `.pfx` (CN
 *   `<razão social>:<CNPJ>`, optionally in the legacy RC2-40 form OpenSSL 3 refuses). A call without a
 *   valid client certificate fails the handshake and never reaches SOAP.
 * - SOAP (soap.ts): every UF and authoriser (SVRS, SVAN, AN, SVCAN, SVCRS), both models and both
 *   environments get a path `/ws/<model>/<UF|authoriser>/<homologacao|producao>/<service>`
 *   (`endpoints`/`endpointsFile`, for OMNIHUB_SEFAZ_ENDPOINTS); POST with application/soap+xml and the
 *   service's action, a SOAP 1.2 envelope and `nfeDadosMsg` in the service's namespace, else a Fault.
 * - Answers (answers.ts): the message against its XSD, signatures, then the simulator's rules; the
 *   answer in `nfeResultMsg` under a `soap:` envelope.
 * - Behaviours (`behave`): the next calls of a service hang, reset, answer an HTTP error, a SOAP fault,
 *   garbage, lose the answer after processing, go asynchronous, deny, or report the service paralysed.
 * Every call is in `received`, with what was answered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { certificateCnpj, xmllintAvailable, xmllintPath } from '../../src/fiscal/xml/index.ts';
import { createSefazCore, type SemanticBehaviour } from './answers.ts';
import {
  type ClientCertificateInput,
  createAuthority,
  issueClientCertificate,
  issueServerCertificate,
} from './certificates.ts';
import {
  answerEnvelope,
  type Environment,
  endpointTable,
  faultEnvelope,
  parseRoute,
  readEnvelope,
  type SefazService,
} from './soap.ts';

export type { SefazService } from './soap.ts';

export type Behaviour =
  /** Accept, never answer. */
  | 'hang'
  /** Destroy the socket on the request. */
  | 'reset'
  /** That HTTP status with an HTML body, as a proxy answers. */
  | { http: number }
  /** HTTP 500 with a SOAP 1.2 Fault. */
  | 'soap-fault'
  /** 200 with a body that is not XML. */
  | 'garbage'
  /** Process the message (an NF-e is authorised) and drop the connection: the answer is lost. */
  | 'lost-answer'
  | SemanticBehaviour;

export interface ReceivedCall {
  readonly service: SefazService;
  readonly model: '55' | '65';
  readonly authoriser: string;
  readonly environment: Environment;
  /** The client certificate's subject, `CN=<razão social>:<CNPJ>,O=…,C=BR`. */
  readonly clientSubject: string;
  /** The message inside nfeDadosMsg, or the whole body when the envelope was refused. */
  readonly message: string;
  /** The answer's cStat, and that of its protNFe / retEvento. */
  readonly cStat?: number;
  readonly itemStatus?: number;
  /** The behaviour played, or `envelope` for a refused request. */
  readonly fault?: string;
}

export interface SefazTestServer {
  readonly url: string;
  readonly endpoints: Record<string, unknown>;
  readonly endpointsFile: string;
  readonly caPem: string;
  readonly caFile: string;
  issueClientCertificate(input: ClientCertificateInput): { pkcs12: Buffer };
  behave(service: SefazService, ...behaviours: Behaviour[]): void;
  readonly received: ReceivedCall[];
  close(): Promise<void>;
}

export async function startSefazTestServer(options: { clock?: () => Date } = {}): Promise<SefazTestServer> {
  // Without xmllint every message would look schema-invalid (215/225): refuse to start instead.
  if (!(await xmllintAvailable()))
    throw new Error(
      `The SEFAZ test server validates with xmllint, missing at ${xmllintPath()} (apt-get install libxml2-utils)`,
    );
  const clock = options.clock ?? (() => new Date());
  const serverCa = createAuthority('SEFAZ de teste - AC servidor');
  const clientCa = createAuthority('SEFAZ de teste - AC ICP-Brasil');
  const serverCert = issueServerCertificate(serverCa);
  const core = createSefazCore(clock);
  const queues = new Map<SefazService, Behaviour[]>();
  const received: ReceivedCall[] = [];

  const server: Server = createServer(
    {
      key: serverCert.keyPem,
      cert: serverCert.certPem,
      ca: clientCa.certPem,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void serve(Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
          // A defect of this server, not a behaviour: the test sees it as a plain-text 500.
          if (res.headersSent) res.destroy();
          else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
        });
      });

      async function serve(body: string): Promise<void> {
        const route = parseRoute(new URL(req.url ?? '/', 'https://x').pathname);
        if (!route) {
          res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404 Not Found</body></html>');
          return;
        }
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const clientSubject = Object.entries(peer.subject ?? {})
          .reverse()
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        const call = { ...route, clientSubject, message: body };
        const behaviour = queues.get(route.service)?.shift();
        const played = (fault: string) => received.push({ ...call, fault });

        if (behaviour === 'hang') return void played('hang');
        if (behaviour === 'reset') {
          played('reset');
          req.socket.destroy();
          return;
        }
        if (typeof behaviour === 'object' && 'http' in behaviour) {
          played(`http ${behaviour.http}`);
          res.writeHead(behaviour.http, { 'content-type': 'text/html' });
          res.end(
            `<html><head><title>${behaviour.http}</title></head><body><h1>Proxy error</h1></body></html>`,
          );
          return;
        }
        if (behaviour === 'soap-fault') return refuse('soap-fault', 500, 'soap:Receiver', 'Internal error');
        if (behaviour === 'garbage') {
          played('garbage');
          res
            .writeHead(200, { 'content-type': 'application/soap+xml; charset=utf-8' })
            .end('Service Unavailable ### {');
          return;
        }
        if (req.method !== 'POST') {
          played('envelope');
          res
            .writeHead(405, { allow: 'POST', 'content-type': 'text/html' })
            .end('<html><body>405</body></html>');
          return;
        }
        const envelope = readEnvelope(route.service, req.headers, body);
        if (!('message' in envelope))
          return refuse('envelope', envelope.http, envelope.code, envelope.reason);

        const answer = await core.handle(envelope.message, {
          route,
          clientCnpj: certificateCnpj(`CN=${peer.subject?.CN ?? ''}`),
          ...(typeof behaviour === 'object' ? { behaviour: behaviour as SemanticBehaviour } : {}),
        });
        received.push({
          ...call,
          message: envelope.message,
          cStat: answer.cStat,
          ...(answer.itemStatus === undefined ? {} : { itemStatus: answer.itemStatus }),
          ...(behaviour === 'lost-answer' ? { fault: 'lost-answer' } : {}),
        });
        if (behaviour === 'lost-answer') {
          req.socket.destroy();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/soap+xml; charset=utf-8' });
        res.end(answerEnvelope(route.service, answer.xml));

        function refuse(fault: string, http: number, code: string, reason: string): void {
          played(fault);
          res.writeHead(http, { 'content-type': 'application/soap+xml; charset=utf-8' });
          res.end(faultEnvelope(code, reason));
        }
      }
    },
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const endpoints = endpointTable(url);
  const dir = mkdtempSync(join(tmpdir(), 'sefaz-test-server-'));
  const endpointsFile = join(dir, 'endpoints.json');
  const caFile = join(dir, 'ca.pem');
  writeFileSync(endpointsFile, JSON.stringify(endpoints, null, 2));
  writeFileSync(caFile, serverCa.certPem);

  return {
    url,
    endpoints,
    endpointsFile,
    caPem: serverCa.certPem,
    caFile,
    issueClientCertificate: (input) => issueClientCertificate(clientCa, input),
    behave: (service, ...behaviours) => queues.set(service, [...(queues.get(service) ?? []), ...behaviours]),
    received,
    close: async () => {
      // A hanging call keeps its socket open: close them all so close() resolves.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
