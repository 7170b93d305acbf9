/**
 * A throwaway PKI and tiny mutual-TLS servers for the client's tests: a CA, server and client
 * certificates (node-forge signs, Node's crypto makes the keys), and an HTTPS server that demands a client
 * certificate of its CA and answers as the test scripts it.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type tls from 'node:tls';
import forge from 'node-forge';

export interface Issued {
  readonly keyPem: string;
  readonly certPem: string;
  readonly key: forge.pki.rsa.PrivateKey;
  readonly cert: forge.pki.Certificate;
}

function keyPair() {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  return {
    keyPem,
    key: forge.pki.privateKeyFromPem(keyPem),
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }) as string),
  };
}

function certificate(
  subjectCn: string,
  publicKey: forge.pki.PublicKey,
  issuer: { cert?: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey },
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + 24 * 3600_000);
  const subject = [
    { shortName: 'C', value: 'BR' },
    { shortName: 'CN', value: subjectCn },
  ];
  cert.setSubject(subject);
  cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : subject);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return cert;
}

export function makeCa(name: string): Issued {
  const { keyPem, key, publicKey } = keyPair();
  const cert = certificate(name, publicKey, { key }, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  return { keyPem, key, cert, certPem: forge.pki.certificateToPem(cert) };
}

export function issue(ca: Issued, cn: string, use: 'server' | 'client'): Issued {
  const { keyPem, key, publicKey } = keyPair();
  const cert = certificate(cn, publicKey, ca, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    use === 'server' ? { name: 'extKeyUsage', serverAuth: true } : { name: 'extKeyUsage', clientAuth: true },
    ...(use === 'server'
      ? [
          {
            name: 'subjectAltName',
            altNames: [
              { type: 2, value: 'localhost' },
              { type: 7, ip: '127.0.0.1' },
            ],
          },
        ]
      : []),
  ]);
  return { keyPem, key, cert, certPem: forge.pki.certificateToPem(cert) };
}

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
  /** The CN of the client certificate the server saw. */
  readonly clientCn: string | undefined;
}

export type Responder = (
  request: Received,
  response: import('node:http').ServerResponse,
  socket: tls.TLSSocket,
) => void;

export interface TestServer {
  readonly url: (path?: string) => string;
  readonly received: Received[];
  /** Replaces how the server answers from the next request on. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 that requires a client certificate issued by `clientCa`. */
export async function startServer(options: {
  server: Issued;
  clientCa: Issued;
  responder?: Responder;
  /** TLS 1.2 refuses a client certificate inside the handshake, as most SEFAZ servers do. */
  maxVersion?: tls.SecureVersion;
}): Promise<TestServer> {
  const received: Received[] = [];
  let responder: Responder = options.responder ?? ((_, res) => res.end());
  const server = https.createServer(
    {
      key: options.server.keyPem,
      cert: options.server.certPem,
      ca: [options.clientCa.certPem],
      requestCert: true,
      rejectUnauthorized: true,
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const socket = req.socket as tls.TLSSocket;
        const peer = socket.getPeerCertificate();
        const entry: Received = {
          method: req.method ?? '',
          path: req.url ?? '',
          contentType: String(req.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
          clientCn: peer?.subject?.CN as string | undefined,
        };
        received.push(entry);
        responder(entry, res, socket);
      });
    },
  );
  const sockets = new Set<import('node:stream').Duplex>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {
    // A refused client certificate: the client sees the alert, the test asserts on its side.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/ws') => `https://127.0.0.1:${port}${path}`,
    received,
    respond: (next) => {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const soapAnswer = (service: string, answer: string, prefix = 'soap'): string =>
  `<?xml version="1.0" encoding="utf-8"?><${prefix}:Envelope xmlns:${prefix}="http://www.w3.org/2003/05/soap-envelope" ` +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">' +
  `<${prefix}:Body><nfeResultMsg xmlns="http://www.portalfiscal.inf.br/nfe/wsdl/${service}">${answer}</nfeResultMsg>` +
  `</${prefix}:Body></${prefix}:Envelope>`;

export const soapFault = (reason: string): string =>
  '<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">' +
  '<env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code>' +
  `<env:Reason><env:Text xml:lang="pt-BR">${reason}</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`;
