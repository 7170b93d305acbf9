/**
 * The local SEFAZ test server (test/sefaz-server/), proven with plain `https.request` calls: mutual TLS,
 * the SOAP 1.2 checks, each service's answer valid against its official `ret*` XSD, and each behaviour.
 */
import { request } from 'node:https';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FiscalDocument } from '../src/fiscal/domain.ts';
import { shipFromStoreToCuritiba, store11Emitter } from '../src/fiscal/fixtures.test-support.ts';
import {
  type A1Certificate,
  buildCancellationEvent,
  buildNfeXml,
  generateTestCertificate,
  loadPkcs12,
  type SchemaName,
  signFiscalXml,
  validateXml,
} from '../src/fiscal/xml/index.ts';
import { requireTool } from './fiscal-tools.ts';
import { type SefazService, type SefazTestServer, startSefazTestServer } from './sefaz-server/index.ts';
import { SOAP12_NS, services, soapAction, wsdlNamespace } from './sefaz-server/soap.ts';

const NFE_NS = 'http://www.portalfiscal.inf.br/nfe';
const issuedAt = shipFromStoreToCuritiba().issuedAt;
const clock = { now: new Date(issuedAt.getTime() + 60_000) };

let sefaz: SefazTestServer;
let store11: A1Certificate;
let otherCompany: A1Certificate;

beforeAll(async () => {
  requireTool('xmllint');
  sefaz = await startSefazTestServer({ clock: () => clock.now });
  const open = (input: Parameters<SefazTestServer['issueClientCertificate']>[0]) => {
    const loaded = loadPkcs12(sefaz.issueClientCertificate(input).pkcs12, input.password);
    if (!loaded.ok) throw new Error(loaded.failure.detail);
    return loaded.value;
  };
  store11 = open({
    legalName: 'DEMO COMÉRCIO DE VESTUÁRIO PAULISTA LTDA',
    cnpj: store11Emitter.cnpj,
    password: 'loja11',
  });
  otherCompany = open({ legalName: 'OUTRA EMPRESA LTDA', cnpj: '11222333000181', password: 'outra' });
});
afterAll(() => sefaz?.close());

interface Reply {
  status: number;
  contentType: string;
  body: string;
}

interface CallOptions {
  cert?: Pick<A1Certificate, 'privateKeyPem' | 'certificatePem'> | null;
  path?: string;
  contentType?: string;
  method?: string;
  timeoutMs?: number;
  raw?: string;
}

function post(service: SefazService, message: string, options: CallOptions = {}): Promise<Reply> {
  const cert = options.cert === undefined ? store11 : options.cert;
  const body =
    options.raw ??
    `<soap12:Envelope xmlns:soap12="${SOAP12_NS}"><soap12:Body><nfeDadosMsg xmlns="${wsdlNamespace(service)}">` +
      `${message}</nfeDadosMsg></soap12:Body></soap12:Envelope>`;
  const url = new URL(options.path ?? `/ws/55/SP/homologacao/${service}`, sefaz.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'POST',
        ca: sefaz.caPem,
        ...(cert ? { key: cert.privateKeyPem, cert: cert.certificatePem } : {}),
        headers: {
          'content-type':
            options.contentType ?? `application/soap+xml; charset=utf-8; action="${soapAction(service)}"`,
        },
        timeout: options.timeoutMs ?? 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type']),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(options.method === 'GET' ? undefined : body);
  });
}

/** The answer inside nfeResultMsg, checked against its XSD, and its first cStat (and the second one). */
async function answerOf(reply: Reply, service: SefazService) {
  expect(reply.status).toBe(200);
  expect(reply.body).toMatch(
    /^<\?xml[^>]*\?><soap:Envelope xmlns:soap="http:\/\/www.w3.org\/2003\/05\/soap-envelope"/,
  );
  expect(reply.body).toContain(`<nfeResultMsg xmlns="${wsdlNamespace(service)}">`);
  const answer = /<nfeResultMsg[^>]*>([\s\S]*)<\/nfeResultMsg>/.exec(reply.body)![1]!;
  const schema = services[service].answer as SchemaName;
  expect(await validateXml(answer, schema), answer).toEqual({ ok: true, value: undefined });
  const statuses = [...answer.matchAll(/<cStat>(\d+)<\/cStat>/g)].map((m) => Number(m[1]));
  const reasons = [...answer.matchAll(/<xMotivo>([^<]*)<\/xMotivo>/g)].map((m) => m[1]);
  return { answer, statuses, reasons, nProt: /<nProt>(\d+)<\/nProt>/.exec(answer)?.[1] };
}

let nextNumber = 5000;
function signedNfe(overrides: Partial<FiscalDocument> = {}, cert = store11) {
  const built = buildNfeXml(shipFromStoreToCuritiba({ number: nextNumber++, ...overrides }));
  if (!built.ok) throw new Error(built.failure.detail);
  const xml = signFiscalXml(built.value.xml, cert).replace(/^<\?xml[^>]*\?>/, '');
  return { xml, key: built.value.accessKey };
}

const enviNFe = (nfes: string[], indSinc = '1') =>
  `<enviNFe versao="4.00" xmlns="${NFE_NS}"><idLote>1</idLote><indSinc>${indSinc}</indSinc>${nfes.join('')}</enviNFe>`;
const consSitNFe = (key: string) =>
  `<consSitNFe versao="4.00" xmlns="${NFE_NS}"><tpAmb>2</tpAmb><xServ>CONSULTAR</xServ><chNFe>${key}</chNFe></consSitNFe>`;
const consStatServ = (cUF = '35', tpAmb = '2') =>
  `<consStatServ versao="4.00" xmlns="${NFE_NS}"><tpAmb>${tpAmb}</tpAmb><cUF>${cUF}</cUF><xServ>STATUS</xServ></consStatServ>`;
const consReciNFe = (nRec: string) =>
  `<consReciNFe versao="4.00" xmlns="${NFE_NS}"><tpAmb>2</tpAmb><nRec>${nRec}</nRec></consReciNFe>`;

function inutNFe(first: number, last: number, cert = store11) {
  const cnpj = store11Emitter.cnpj;
  const id = `ID3526${cnpj}55001${String(first).padStart(9, '0')}${String(last).padStart(9, '0')}`;
  const xml =
    `<inutNFe versao="4.00" xmlns="${NFE_NS}"><infInut Id="${id}"><tpAmb>2</tpAmb><xServ>INUTILIZAR</xServ>` +
    `<cUF>35</cUF><ano>26</ano><CNPJ>${cnpj}</CNPJ><mod>55</mod><serie>1</serie><nNFIni>${first}</nNFIni>` +
    `<nNFFin>${last}</nNFFin><xJust>Numeracao pulada por falha no sistema</xJust></infInut></inutNFe>`;
  return signFiscalXml(xml, cert, 'infInut');
}

async function authorise(nfe: string, path?: string) {
  return answerOf(await post('NFeAutorizacao4', enviNFe([nfe]), path ? { path } : {}), 'NFeAutorizacao4');
}

describe('SEFAZ test server: TLS', () => {
  it('refuses at the handshake a call without a client certificate, or with one of another CA', async () => {
    await expect(post('NFeStatusServico4', consStatServ(), { cert: null })).rejects.toThrow();
    const { certificate: untrusted } = generateTestCertificate({
      legalName: 'INTRUSA LTDA',
      cnpj: store11Emitter.cnpj,
      password: 'x',
    });
    await expect(post('NFeStatusServico4', consStatServ(), { cert: untrusted })).rejects.toThrow();
    expect(sefaz.received.filter((c) => c.service === 'NFeStatusServico4')).toEqual([]);
  });

  it('issues a legacy RC2-40 A1 that OpenSSL 3 refuses and node-forge opens, and that it accepts', async () => {
    const { pkcs12 } = sefaz.issueClientCertificate({
      legalName: 'LOJA ANTIGA LTDA',
      cnpj: store11Emitter.cnpj,
      password: 'antiga',
      legacy: true,
    });
    expect(() => createSecureContext({ pfx: pkcs12, passphrase: 'antiga' })).toThrow(/unsupported/i);
    const loaded = loadPkcs12(pkcs12, 'antiga');
    if (!loaded.ok) throw new Error(loaded.failure.detail);
    expect(loaded.value.subject).toContain(`CN=LOJA ANTIGA LTDA:${store11Emitter.cnpj}`);
    const { statuses } = await answerOf(
      await post('NFeStatusServico4', consStatServ(), { cert: loaded.value }),
      'NFeStatusServico4',
    );
    expect(statuses).toEqual([107]);
    expect(sefaz.received.at(-1)?.clientSubject).toContain(`CN=LOJA ANTIGA LTDA:${store11Emitter.cnpj}`);
  });

  it('publishes endpoints for both models, every UF and authoriser, both environments, six services', () => {
    const table = sefaz.endpoints as Record<string, Record<string, Record<string, Record<string, string>>>>;
    expect(Object.keys(table)).toEqual(['55', '65']);
    for (const key of ['SP', 'PR', 'SVRS', 'SVAN', 'AN', 'SVCAN', 'SVCRS'])
      expect(Object.keys(table['65']![key]!.producao!)).toEqual(Object.keys(services));
    expect(table['55']!.SVCRS!.homologacao!.NFeAutorizacao4).toBe(
      `${sefaz.url}/ws/55/SVCRS/homologacao/NFeAutorizacao4`,
    );
  });
});

describe('SEFAZ test server: SOAP envelope', () => {
  it('answers a Fault (HTTP 500) to a wrong action, a SOAP 1.1 envelope or another namespace; 415 and 405', async () => {
    const status = consStatServ();
    const fault = async (reply: Promise<Reply>, code: string) => {
      const r = await reply;
      expect(r.status).toBe(500);
      expect(r.body).toContain(`<soap:Fault><soap:Code><soap:Value>${code}</soap:Value>`);
    };
    await fault(
      post('NFeStatusServico4', status, {
        contentType: `application/soap+xml; action="${soapAction('NFeAutorizacao4')}"`,
      }),
      'soap:Sender',
    );
    await fault(
      post('NFeStatusServico4', status, {
        raw: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${status}</s:Body></s:Envelope>`,
      }),
      'soap:VersionMismatch',
    );
    await fault(
      post('NFeStatusServico4', status, {
        raw: `<e:Envelope xmlns:e="${SOAP12_NS}"><e:Body><nfeDadosMsg xmlns="${wsdlNamespace('NFeAutorizacao4')}">${status}</nfeDadosMsg></e:Body></e:Envelope>`,
      }),
      'soap:Sender',
    );
    expect((await post('NFeStatusServico4', status, { contentType: 'text/xml; charset=utf-8' })).status).toBe(
      415,
    );
    expect((await post('NFeStatusServico4', status, { method: 'GET' })).status).toBe(405);
    expect(sefaz.received.at(-1)?.fault).toBe('envelope');
  });
});

describe('SEFAZ test server: services', () => {
  it('NFeStatusServico4: 107, 289 for another UF, 252 for another environment, 108 when told', async () => {
    const call = async (message: string) =>
      (await answerOf(await post('NFeStatusServico4', message), 'NFeStatusServico4')).statuses;
    expect(await call(consStatServ())).toEqual([107]);
    expect(await call(consStatServ('41'))).toEqual([289]);
    expect(await call(consStatServ('35', '1'))).toEqual([252]);
    sefaz.behave('NFeStatusServico4', { status: 108 });
    const paralysed = await answerOf(await post('NFeStatusServico4', consStatServ()), 'NFeStatusServico4');
    expect(paralysed.statuses).toEqual([108]);
    expect(paralysed.answer).toContain('<dhRetorno>');
    expect(await call(consStatServ())).toEqual([107]);
  });

  it('NFeAutorizacao4 synchronous: 104 with protNFe 100, then 204 and 539 naming the key; 225 and 213', async () => {
    const nfe = signedNfe();
    const first = await authorise(nfe.xml);
    expect(first.statuses).toEqual([104, 100]);
    expect(first.nProt).toMatch(/^135\d{12}$/);
    expect((await authorise(nfe.xml)).statuses).toEqual([104, 204]);
    const sameNumber = signedNfe({ number: nextNumber - 1, numericCode: '11111111' });
    const duplicate = await authorise(sameNumber.xml);
    expect(duplicate.statuses).toEqual([104, 539]);
    expect(duplicate.reasons[1]).toContain(nfe.key);

    const broken = await post(
      'NFeAutorizacao4',
      enviNFe([signedNfe().xml.replace('<mod>55</mod>', '<mod>57</mod>')]),
    );
    expect((await answerOf(broken, 'NFeAutorizacao4')).statuses).toEqual([225]);
    // Signed and transmitted by another company than the emitter.
    const foreign = signedNfe({}, otherCompany);
    const byOther = await post('NFeAutorizacao4', enviNFe([foreign.xml]), { cert: otherCompany });
    expect((await answerOf(byOther, 'NFeAutorizacao4')).statuses).toEqual([104, 213]);
    // Signed by the emitter but transmitted with another company's certificate.
    const relayed = await post('NFeAutorizacao4', enviNFe([signedNfe().xml]), { cert: otherCompany });
    expect((await answerOf(relayed, 'NFeAutorizacao4')).statuses).toEqual([104, 213]);
    expect(sefaz.received.at(-1)).toMatchObject({
      authoriser: 'SP',
      environment: 'homologacao',
      cStat: 104,
      itemStatus: 213,
    });
    // An NF-e of homologação at the production endpoint, and one of SP at PR's.
    expect((await authorise(signedNfe().xml, '/ws/55/SP/producao/NFeAutorizacao4')).statuses).toEqual([
      104, 252,
    ]);
    expect((await authorise(signedNfe().xml, '/ws/55/PR/homologacao/NFeAutorizacao4')).statuses).toEqual([
      104, 226,
    ]);
  });

  it('NFeAutorizacao4 asynchronous: 103 with nRec and tMed, 105 while pending, then 104; 106 and 248', async () => {
    sefaz.behave('NFeAutorizacao4', { async: { tMed: 2, pending: 2 } });
    const nfe = signedNfe();
    const sent = await authorise(nfe.xml);
    expect(sent.statuses).toEqual([103]);
    expect(sent.answer).toMatch(/<infRec><nRec>\d{15}<\/nRec><tMed>2<\/tMed><\/infRec>/);
    const nRec = /<nRec>(\d+)/.exec(sent.answer)![1]!;
    const poll = async (path?: string) =>
      (
        await answerOf(
          await post('NFeRetAutorizacao4', consReciNFe(nRec), path ? { path } : {}),
          'NFeRetAutorizacao4',
        )
      ).statuses;
    expect(await poll()).toEqual([105]);
    expect(await poll('/ws/55/SVRS/homologacao/NFeRetAutorizacao4')).toEqual([248]);
    expect(await poll()).toEqual([105]);
    expect(await poll()).toEqual([104, 100]);
    expect(await poll()).toEqual([104, 100]);
    const unknown = await post('NFeRetAutorizacao4', consReciNFe('351000000009999'));
    expect((await answerOf(unknown, 'NFeRetAutorizacao4')).statuses).toEqual([106]);
    // indSinc 0 is asynchronous without being told, for a batch of several NF-e too.
    const batch = await answerOf(
      await post('NFeAutorizacao4', enviNFe([signedNfe().xml, signedNfe().xml], '0')),
      'NFeAutorizacao4',
    );
    expect(batch.statuses).toEqual([103]);
    const batchRec = /<nRec>(\d+)/.exec(batch.answer)![1]!;
    const processed = await post('NFeRetAutorizacao4', consReciNFe(batchRec));
    expect((await answerOf(processed, 'NFeRetAutorizacao4')).statuses).toEqual([104, 100, 100]);
    // indSinc 1 asks for one NF-e only (764).
    const two = await post('NFeAutorizacao4', enviNFe([signedNfe().xml, signedNfe().xml]));
    expect((await answerOf(two, 'NFeAutorizacao4')).statuses).toEqual([764]);
  });

  it('denies with a protocol; the consult answers the denial and a resend 205', async () => {
    sefaz.behave('NFeAutorizacao4', { deny: 301 });
    const nfe = signedNfe();
    const denied = await authorise(nfe.xml);
    expect(denied.statuses).toEqual([104, 301]);
    expect(denied.nProt).toMatch(/^\d{15}$/);
    const consult = await answerOf(
      await post('NFeConsultaProtocolo4', consSitNFe(nfe.key)),
      'NFeConsultaProtocolo4',
    );
    expect(consult.statuses).toEqual([301, 301]);
    expect((await authorise(nfe.xml)).statuses).toEqual([104, 205]);
  });

  it('NFeConsultaProtocolo4 and NFeRecepcaoEvento4: 217, 100, cancellation 128/135, then 101 with the event', async () => {
    const unknown = await post('NFeConsultaProtocolo4', consSitNFe(signedNfe().key));
    expect((await answerOf(unknown, 'NFeConsultaProtocolo4')).statuses).toEqual([217]);
    const nfe = signedNfe();
    const { nProt } = await authorise(nfe.xml);
    const consult = async () =>
      answerOf(await post('NFeConsultaProtocolo4', consSitNFe(nfe.key)), 'NFeConsultaProtocolo4');
    expect((await consult()).statuses).toEqual([100, 100]);

    const event = buildCancellationEvent({
      accessKey: nfe.key,
      protocol: nProt!,
      justification: 'Cliente desistiu da compra antes da entrega',
      at: clock.now,
      cnpj: store11Emitter.cnpj,
      environment: '2',
      batchId: '7',
    });
    if (!event.ok) throw new Error(event.failure.detail);
    const signed = signFiscalXml(event.value, store11, 'infEvento');
    const registered = await answerOf(await post('NFeRecepcaoEvento4', signed), 'NFeRecepcaoEvento4');
    expect(registered.statuses).toEqual([128, 135]);
    expect(registered.answer).toContain('<idLote>7</idLote>');
    expect((await answerOf(await post('NFeRecepcaoEvento4', signed), 'NFeRecepcaoEvento4')).statuses).toEqual(
      [128, 573],
    );
    const byOther = await post('NFeRecepcaoEvento4', signed, { cert: otherCompany });
    expect((await answerOf(byOther, 'NFeRecepcaoEvento4')).statuses).toEqual([128, 213]);
    const cancelled = await consult();
    expect(cancelled.statuses.slice(0, 3)).toEqual([101, 100, 135]);
    expect(cancelled.answer).toContain('<procEventoNFe versao="1.00"');
  });

  it('NFeInutilizacao4: 102 with nProt; 563 for the same range, 256 overlapping, 241 used, 206 afterwards', async () => {
    const base = nextNumber + 100;
    nextNumber = base + 50;
    const voided = await answerOf(
      await post('NFeInutilizacao4', inutNFe(base, base + 4)),
      'NFeInutilizacao4',
    );
    expect(voided.statuses).toEqual([102]);
    expect(voided.nProt).toMatch(/^135\d{12}$/);
    expect(voided.answer).toContain(`<infInut Id="ID${voided.nProt}">`);
    const again = async (first: number, last: number, cert = store11) =>
      (await answerOf(await post('NFeInutilizacao4', inutNFe(first, last), { cert }), 'NFeInutilizacao4'))
        .statuses;
    expect(await again(base, base + 4)).toEqual([563]);
    expect(await again(base + 3, base + 8)).toEqual([256]);
    expect(await again(base + 9, base + 10, otherCompany)).toEqual([213]);
    expect(await again(base + 6, base + 5)).toEqual([224]);
    await authorise(signedNfe({ number: base + 20 }).xml);
    expect(await again(base + 15, base + 25)).toEqual([241]);
    expect((await authorise(signedNfe({ number: base + 2 }).xml)).statuses).toEqual([104, 206]);
  });

  it('SVC: only tpEmis 6 at SVC-AN (else 713), never at the state (570), with its own protocol series', async () => {
    const inContingency = (emissionType: number) =>
      signedNfe({
        contingency: {
          emissionType: emissionType as 9,
          since: new Date(issuedAt.getTime() - 600_000),
          justification: 'SEFAZ SP fora do ar, emissao em contingencia SVC',
        },
      });
    const svcan = '/ws/55/SVCAN/homologacao/NFeAutorizacao4';
    expect((await authorise(signedNfe().xml, svcan)).statuses).toEqual([104, 713]);
    expect((await authorise(inContingency(6).xml, '/ws/55/SP/homologacao/NFeAutorizacao4')).statuses).toEqual(
      [104, 570],
    );
    expect((await authorise(inContingency(7).xml, svcan)).statuses).toEqual([104, 713]);
    const svc = inContingency(6);
    const authorised = await authorise(svc.xml, svcan);
    expect(authorised.statuses).toEqual([104, 100]);
    expect(authorised.nProt).toMatch(/^235\d{12}$/);
    const consult = await answerOf(
      await post('NFeConsultaProtocolo4', consSitNFe(svc.key)),
      'NFeConsultaProtocolo4',
    );
    expect(consult.nProt).toBe(authorised.nProt);
  });
});

describe('SEFAZ test server: behaviours', () => {
  const status = () => post('NFeStatusServico4', consStatServ(), { timeoutMs: 1_000 });

  it('hangs, resets, answers an HTTP error, a SOAP fault, garbage; then back to normal', async () => {
    sefaz.behave('NFeStatusServico4', 'hang', 'reset', { http: 502 }, 'soap-fault', 'garbage');
    await expect(status()).rejects.toThrow('timeout');
    await expect(status()).rejects.toThrow(/ECONNRESET|socket hang up/);
    const proxy = await status();
    expect([proxy.status, proxy.contentType]).toEqual([502, 'text/html']);
    const fault = await status();
    expect(fault.status).toBe(500);
    expect(fault.body).toContain('<soap:Fault>');
    const garbage = await status();
    expect(garbage.status).toBe(200);
    expect(garbage.body).not.toMatch(/^</);
    expect((await answerOf(await status(), 'NFeStatusServico4')).statuses).toEqual([107]);
    expect(sefaz.received.slice(-6).map((c) => c.fault ?? c.cStat)).toEqual([
      'hang',
      'reset',
      'http 502',
      'soap-fault',
      'garbage',
      107,
    ]);
  });

  it('loses the answer after authorising: the consult finds the NF-e, a resend gets 204', async () => {
    sefaz.behave('NFeAutorizacao4', 'lost-answer');
    const nfe = signedNfe();
    await expect(post('NFeAutorizacao4', enviNFe([nfe.xml]))).rejects.toThrow(/ECONNRESET|socket hang up/);
    expect(sefaz.received.at(-1)).toMatchObject({ fault: 'lost-answer', cStat: 104, itemStatus: 100 });
    const consult = await answerOf(
      await post('NFeConsultaProtocolo4', consSitNFe(nfe.key)),
      'NFeConsultaProtocolo4',
    );
    expect(consult.statuses).toEqual([100, 100]);
    expect((await authorise(nfe.xml)).statuses).toEqual([104, 204]);
  });

  it('closes with a call still hanging: the caller sees the connection drop', async () => {
    const other = await startSefazTestServer();
    const opened = loadPkcs12(
      other.issueClientCertificate({ legalName: 'LOJA', cnpj: store11Emitter.cnpj, password: 'p' }).pkcs12,
      'p',
    );
    if (!opened.ok) throw new Error(opened.failure.detail);
    other.behave('NFeStatusServico4', 'hang');
    const hanging = request(new URL('/ws/65/SVRS/producao/NFeStatusServico4', other.url), {
      method: 'POST',
      ca: other.caPem,
      key: opened.value.privateKeyPem,
      cert: opened.value.certificatePem,
    });
    const dropped = new Promise<Error>((resolve) => hanging.on('error', resolve));
    hanging.end('<x/>');
    await expect.poll(() => other.received.length).toBe(1);
    expect(other.received[0]).toMatchObject({
      model: '65',
      authoriser: 'SVRS',
      environment: 'producao',
      fault: 'hang',
    });
    await other.close();
    expect((await dropped).message).toMatch(/socket hang up|ECONNRESET/);
  });

  it('answers 108 as the batch cStat of NFeAutorizacao4 while told', async () => {
    sefaz.behave('NFeAutorizacao4', { status: 108 });
    expect((await authorise(signedNfe().xml)).statuses).toEqual([108]);
    expect((await authorise(signedNfe().xml)).statuses).toEqual([104, 100]);
  });
});
