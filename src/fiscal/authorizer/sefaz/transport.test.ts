import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SefazFault } from '../port.ts';
import { retConsStatServ } from './answers.test-support.ts';
import type { SefazService } from './endpoints.ts';
import { buildConsStatServ } from './messages.ts';
import {
  type Issued,
  issue,
  makeCa,
  soapAnswer,
  soapFault,
  startServer,
  type TestServer,
} from './tls.test-support.ts';
import { answerElement, postSoap, type SoapCall } from './transport.ts';

let sefazCa: Issued;
let storeCa: Issued;
let client: Issued;
let strangerClient: Issued;
let sefaz: TestServer;
let impostor: TestServer;
let strict: TestServer;

beforeAll(async () => {
  sefazCa = makeCa('Test SEFAZ CA');
  storeCa = makeCa('Test ICP CA');
  client = issue(storeCa, 'LOJAS EXEMPLO LTDA:12345678000195', 'client');
  strangerClient = issue(makeCa('Another CA'), 'STRANGER LTDA:11222333000181', 'client');
  sefaz = await startServer({ server: issue(sefazCa, 'localhost', 'server'), clientCa: storeCa });
  // A server whose certificate no trusted CA issued.
  const otherCa = makeCa('Untrusted CA');
  impostor = await startServer({ server: issue(otherCa, 'localhost', 'server'), clientCa: storeCa });
  strict = await startServer({
    server: issue(sefazCa, 'localhost', 'server'),
    clientCa: storeCa,
    maxVersion: 'TLSv1.2',
  });
});

afterAll(async () => {
  await sefaz.close();
  await impostor.close();
  await strict.close();
});

const service: SefazService = 'NFeStatusServico4';

const callTo = (url: string, overrides: Partial<SoapCall> = {}): SoapCall => ({
  url,
  service,
  message: buildConsStatServ('2', '35'),
  key: client.keyPem,
  cert: client.certPem,
  ca: [sefazCa.certPem],
  timeoutMs: 2_000,
  ...overrides,
});

async function faultOf(promise: Promise<unknown>): Promise<SefazFault> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SefazFault);
    return error as SefazFault;
  }
  throw new Error('expected a SefazFault');
}

describe('a SOAP 1.2 call over mutual TLS', () => {
  it('presents the store certificate and sends the envelope, header and namespace of the service', async () => {
    sefaz.respond((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
      res.end(soapAnswer(service, retConsStatServ(107, 'Serviço em Operação', { tMed: 1 })));
    });
    const body = await postSoap(callTo(sefaz.url('/ws/NFeStatusServico4.asmx')));
    const answer = answerElement(service, body, 'retConsStatServ');
    expect(answer.localName).toBe('retConsStatServ');

    const request = sefaz.received.at(-1)!;
    expect(request.clientCn).toBe('LOJAS EXEMPLO LTDA:12345678000195');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/ws/NFeStatusServico4.asmx');
    expect(request.contentType).toBe(
      'application/soap+xml; charset=utf-8; action="http://www.portalfiscal.inf.br/nfe/wsdl/NFeStatusServico4/nfeStatusServicoNF"',
    );
    expect(request.body).toBe(
      '<?xml version="1.0" encoding="utf-8"?><soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope">' +
        '<soap12:Body><nfeDadosMsg xmlns="http://www.portalfiscal.inf.br/nfe/wsdl/NFeStatusServico4">' +
        '<consStatServ versao="4.00" xmlns="http://www.portalfiscal.inf.br/nfe"><tpAmb>2</tpAmb><cUF>35</cUF>' +
        '<xServ>STATUS</xServ></consStatServ></nfeDadosMsg></soap12:Body></soap12:Envelope>',
    );
  });

  it('reads the answer by namespace whatever the prefixes', async () => {
    for (const prefix of ['soap', 'env', 'S', 'soap12']) {
      sefaz.respond((_, res) =>
        res.end(soapAnswer(service, retConsStatServ(107, 'Serviço em Operação', {}, 'nfe'), prefix)),
      );
      const body = await postSoap(callTo(sefaz.url()));
      const answer = answerElement(service, body, 'retConsStatServ');
      expect(answer.namespaceURI).toBe('http://www.portalfiscal.inf.br/nfe');
    }
  });

  it('accepts a result element named otherwise, in the service’s namespace', async () => {
    const answer = retConsStatServ(107, 'Serviço em Operação');
    sefaz.respond((_, res) =>
      res.end(soapAnswer(service, answer).replace(/nfeResultMsg/g, 'nfeStatusServicoNFResult')),
    );
    const body = await postSoap(callTo(sefaz.url()));
    expect(answerElement(service, body, 'retConsStatServ').localName).toBe('retConsStatServ');
  });

  it('is a tls fault when the server certificate is not trusted', async () => {
    const fault = await faultOf(postSoap(callTo(impostor.url())));
    expect(fault.kind).toBe('tls');
    expect(fault.service).toBe(service);
    expect(impostor.received).toHaveLength(0);
  });

  it('is a tls fault when the server refuses the client certificate in the handshake', async () => {
    const fault = await faultOf(
      postSoap(callTo(strict.url(), { key: strangerClient.keyPem, cert: strangerClient.certPem })),
    );
    expect(fault.kind).toBe('tls');
    expect(strict.received).toHaveLength(0);
  });

  it('never lets a refused client certificate reach the service (TLS 1.3 refuses after the handshake)', async () => {
    const before = sefaz.received.length;
    const fault = await faultOf(
      postSoap(callTo(sefaz.url(), { key: strangerClient.keyPem, cert: strangerClient.certPem })),
    );
    // The alert races the server's reset: either way nothing was processed.
    expect(['tls', 'unreachable']).toContain(fault.kind);
    expect(sefaz.received).toHaveLength(before);
  });

  it('is a timeout when the server never answers', async () => {
    sefaz.respond(() => {
      // Holds the request open.
    });
    const started = Date.now();
    const fault = await faultOf(postSoap(callTo(sefaz.url(), { timeoutMs: 300 })));
    expect(fault.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('is unreachable when the connection is reset', async () => {
    sefaz.respond((_, __, socket) => socket.destroy());
    expect((await faultOf(postSoap(callTo(sefaz.url())))).kind).toBe('unreachable');
  });

  it('is unreachable when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    expect((await faultOf(postSoap(callTo(`https://127.0.0.1:${port}/ws`)))).kind).toBe('unreachable');
  });

  it('is a soap_fault when the server answers HTTP 500 with a SOAP 1.2 Fault', async () => {
    sefaz.respond((_, res) => {
      res.writeHead(500, { 'Content-Type': 'application/soap+xml' });
      res.end(soapFault('Server was unable to process request. --> Data at the root level is invalid.'));
    });
    const fault = await faultOf(postSoap(callTo(sefaz.url())));
    expect(fault.kind).toBe('soap_fault');
    expect(fault.message).toContain('Data at the root level is invalid');
  });

  it('is an http_status fault for another status without a Fault', async () => {
    sefaz.respond((_, res) => {
      res.writeHead(503);
      res.end('<html><body>Service Unavailable</body></html>');
    });
    const fault = await faultOf(postSoap(callTo(sefaz.url())));
    expect(fault.kind).toBe('http_status');
    expect(fault.message).toContain('503');
  });

  it.each([
    ['garbage', 'Bad gateway ¯\\_(ツ)_/¯'],
    ['a truncated answer', soapAnswer(service, retConsStatServ(107, 'Serviço em Operação')).slice(0, 200)],
    ['another service’s answer', soapAnswer('NFeAutorizacao4', retConsStatServ(107, 'Serviço em Operação'))],
    [
      'a SOAP body without the answer',
      soapAnswer(service, '<retEnviNFe xmlns="http://www.portalfiscal.inf.br/nfe"/>'),
    ],
  ])('is an unexpected_body fault for %s in a 200', async (_, body) => {
    sefaz.respond((__, res) => res.end(body));
    const text = await postSoap(callTo(sefaz.url()));
    const fault = await faultOf(
      Promise.resolve().then(() => answerElement(service, text, 'retConsStatServ')),
    );
    expect(fault.kind).toBe('unexpected_body');
  });
});
