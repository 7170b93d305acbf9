import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireTool } from '../../../../test/fiscal-tools.ts';
import { shipFromStoreToCuritiba, store11Emitter } from '../../fixtures.test-support.ts';
import {
  type A1Certificate,
  buildCancellationEvent,
  buildNfeXml,
  loadPkcs12,
  type SchemaName,
  signFiscalXml,
  validateXml,
} from '../../xml/index.ts';
import { type Authorizer, authoriserDown, SefazFault } from '../port.ts';
import {
  procEventoNFe,
  retConsReciNFe,
  retConsSitNFe,
  retConsStatServ,
  retEnvEvento,
  retEnviNFeProcessed,
  retEnviNFeReceived,
  retEnviNFeStatus,
  retInutNFe,
} from './answers.test-support.ts';
import { createSefazClient, sefazConfiguration } from './client.ts';
import {
  applyEndpointOverride,
  bundledEndpointTable,
  SEFAZ_SERVICES,
  SefazConfigurationError,
  type SefazService,
} from './endpoints.ts';
import { buildInutNFe } from './messages.ts';
import { type Issued, issue, makeCa, soapAnswer, startServer, type TestServer } from './tls.test-support.ts';

async function expectValid(xml: string, schema: SchemaName) {
  requireTool('xmllint');
  const result = await validateXml(xml, schema);
  expect(result.ok ? 'valid' : JSON.stringify(result.failure)).toBe('valid');
}

let sefazCa: Issued;
let server: TestServer;
let storeCertificate: A1Certificate;
/** What the server answers next, per path (`/55/SP/NFeAutorizacao4`), first in first out. */
const script = new Map<string, string[]>();
const waits: number[] = [];

const ACCESS_PROTOCOL = '135260000000123';

beforeAll(async () => {
  sefazCa = makeCa('Test SEFAZ CA');
  const icpCa = makeCa('Test AC Raiz');
  // The store's A1 as stores have it: a .pfx opened with its password, its key and certificate in PEM.
  const client = issue(icpCa, `DEMO COMERCIO DE VESTUARIO PAULISTA LTDA:${store11Emitter.cnpj}`, 'client');
  const forge = (await import('node-forge')).default;
  const pfx = forge.pkcs12.toPkcs12Asn1(client.key, [client.cert], 'senha', { algorithm: '3des' });
  const opened = loadPkcs12(Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary'), 'senha');
  if (!opened.ok) throw new Error(opened.failure.detail);
  storeCertificate = opened.value;

  server = await startServer({ server: issue(sefazCa, 'localhost', 'server'), clientCa: icpCa });
  server.respond((request, res) => {
    const next = script.get(request.path)?.shift();
    if (next === undefined) {
      res.writeHead(404);
      res.end(`nothing scripted for ${request.path}`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
    res.end(next);
  });
});

afterAll(() => server.close());

beforeEach(() => {
  script.clear();
  waits.length = 0;
});

const serviceFromPath = (path: string) => path.split('/').at(-1) as SefazService;

/** Queues SOAP answers for `/<model>/<authoriser>/<service>`. */
function answer(path: string, ...answers: string[]) {
  const service = serviceFromPath(path);
  script.set(path, [...(script.get(path) ?? []), ...answers.map((a) => soapAnswer(service, a))]);
}

function client(overrides: { maxPolls?: number; uf?: string } = {}): Authorizer {
  const override: Record<string, Record<string, { homologacao: Record<string, string> }>> = {
    '55': {},
    '65': {},
  };
  for (const [model, authoriser] of [
    ['55', 'SP'],
    ['65', 'SP'],
    ['55', 'SVCAN'],
  ] as const)
    override[model]![authoriser] = {
      homologacao: Object.fromEntries(
        SEFAZ_SERVICES.map((s) => [s, server.url(`/${model}/${authoriser}/${s}`)]),
      ),
    };
  return createSefazClient({
    certificate: storeCertificate,
    uf: overrides.uf ?? 'SP',
    environment: '2',
    endpoints: applyEndpointOverride(bundledEndpointTable(), override, 'test'),
    trustedCa: [sefazCa.certPem],
    timeoutMs: 2_000,
    clock: () => new Date('2026-12-06T12:31:40Z'),
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...(overrides.maxPolls ? { maxPolls: overrides.maxPolls } : {}),
  });
}

function signedNfe(emissionType = '1') {
  const built = buildNfeXml(shipFromStoreToCuritiba());
  if (!built.ok) throw new Error(built.failure.detail);
  // An SVC document (tpEmis 6) differs in ide only, for routing; the key is left as built.
  const xml = built.value.xml.replace('<tpEmis>1</tpEmis>', `<tpEmis>${emissionType}</tpEmis>`);
  return { xml: signFiscalXml(xml, storeCertificate, 'infNFe'), accessKey: built.value.accessKey };
}

const authorisedProt = (accessKey: string) => ({
  accessKey,
  status: 100,
  reason: 'Autorizado o uso da NF-e',
  protocol: ACCESS_PROTOCOL,
});

async function fault(promise: Promise<unknown>): Promise<SefazFault> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SefazFault) return error;
    throw error;
  }
  throw new Error('expected a SefazFault');
}

const paths = () => server.received.slice(-10).map((r) => r.path);

describe('authorize', () => {
  it('synchronously: 104 with protocol 100 is authorised, with an nfeProc the store keeps', async () => {
    const nfe = signedNfe();
    answer('/55/SP/NFeAutorizacao4', retEnviNFeProcessed(authorisedProt(nfe.accessKey)));
    const result = await client().authorize(nfe.xml);
    expect(result).toMatchObject({
      outcome: 'authorized',
      status: 100,
      reason: 'Autorizado o uso da NF-e',
      accessKey: nfe.accessKey,
      protocol: ACCESS_PROTOCOL,
      receivedAt: new Date('2026-12-06T12:31:46Z'),
    });
    if (result.outcome !== 'authorized') return;
    await expectValid(result.nfeProcXml, 'procNFe');
    const sent = server.received.at(-1)!;
    expect(sent.clientCn).toBe(`DEMO COMERCIO DE VESTUARIO PAULISTA LTDA:${store11Emitter.cnpj}`);
    expect(sent.body).toContain('<indSinc>1</indSinc>');
    expect(sent.contentType).toContain(
      'action="http://www.portalfiscal.inf.br/nfe/wsdl/NFeAutorizacao4/nfeAutorizacaoLote"',
    );
  });

  it('asynchronously: 103, then polls after tMed while 105, until 104', async () => {
    const nfe = signedNfe();
    const receipt = '351000012345678';
    answer('/55/SP/NFeAutorizacao4', retEnviNFeReceived(receipt, 3));
    answer(
      '/55/SP/NFeRetAutorizacao4',
      retConsReciNFe(receipt, 105, 'Lote em processamento'),
      retConsReciNFe(receipt, 104, 'Lote processado', authorisedProt(nfe.accessKey)),
    );
    const result = await client().authorize(nfe.xml);
    expect(result).toMatchObject({ outcome: 'authorized', status: 100, protocol: ACCESS_PROTOCOL });
    expect(waits).toEqual([3000, 3000]);
    expect(paths().slice(-3)).toEqual([
      '/55/SP/NFeAutorizacao4',
      '/55/SP/NFeRetAutorizacao4',
      '/55/SP/NFeRetAutorizacao4',
    ]);
    expect(server.received.at(-1)!.body).toContain(`<nRec>${receipt}</nRec>`);
  });

  it('gives up with a timeout fault when the batch stays in process, so the outbox consults later', async () => {
    const nfe = signedNfe();
    answer('/55/SP/NFeAutorizacao4', retEnviNFeReceived('351000012345679', 1));
    answer(
      '/55/SP/NFeRetAutorizacao4',
      ...Array.from({ length: 3 }, () => retConsReciNFe('351000012345679', 105, 'Lote em processamento')),
    );
    const thrown = await fault(client({ maxPolls: 3 }).authorize(nfe.xml));
    expect(thrown.kind).toBe('timeout');
    expect(thrown.service).toBe('NFeRetAutorizacao4');
    expect(waits).toEqual([1000, 1000, 1000]);
  });

  it('a denial (302) is final: the number is used up and the nfeProc kept', async () => {
    const nfe = signedNfe();
    answer(
      '/55/SP/NFeAutorizacao4',
      retEnviNFeProcessed({
        accessKey: nfe.accessKey,
        status: 302,
        reason: 'Uso Denegado: Irregularidade fiscal do destinatário',
        protocol: '135260000000124',
      }),
    );
    const result = await client().authorize(nfe.xml);
    expect(result).toMatchObject({ outcome: 'denied', status: 302, protocol: '135260000000124' });
    if (result.outcome === 'denied') await expectValid(result.nfeProcXml, 'procNFe');
  });

  it('a duplicate (204) is a rejection with SEFAZ’s own text, for the caller to consult', async () => {
    const nfe = signedNfe();
    const reason = `Rejeição: Duplicidade de NF-e [nProt:${ACCESS_PROTOCOL}][dhAut:2026-12-06T09:30:00-03:00]`;
    answer('/55/SP/NFeAutorizacao4', retEnviNFeProcessed({ accessKey: nfe.accessKey, status: 204, reason }));
    expect(await client().authorize(nfe.xml)).toEqual({ outcome: 'rejected', status: 204, reason });
  });

  it('a batch refused as a whole (225) is a rejection', async () => {
    answer('/55/SP/NFeAutorizacao4', retEnviNFeStatus(225, 'Rejeição: Falha no Schema XML da NFe'));
    expect(await client().authorize(signedNfe().xml)).toEqual({
      outcome: 'rejected',
      status: 225,
      reason: 'Rejeição: Falha no Schema XML da NFe',
    });
  });

  it('108 / 109 (service paralysed) are faults that mean the authoriser is down', async () => {
    answer(
      '/55/SP/NFeAutorizacao4',
      retEnviNFeStatus(108, 'Serviço Paralisado Momentaneamente (curto prazo)'),
    );
    const thrown = await fault(client().authorize(signedNfe().xml));
    expect(thrown.kind).toBe('unreachable');
    expect(authoriserDown(thrown)).toBe(true);
  });

  it('an NF-e in SVC contingency (tpEmis 6) goes to the state’s SVC authoriser (SVC-AN for SP)', async () => {
    const nfe = signedNfe('6');
    answer('/55/SVCAN/NFeAutorizacao4', retEnviNFeProcessed(authorisedProt(nfe.accessKey)));
    expect(await client().authorize(nfe.xml)).toMatchObject({ outcome: 'authorized' });
    expect(paths().at(-1)).toBe('/55/SVCAN/NFeAutorizacao4');
  });

  it('a fault of the transport reaches the caller as a SefazFault (HTTP 502 from a proxy)', async () => {
    // Nothing scripted: the test server answers 404.
    const thrown = await fault(client().authorize(signedNfe().xml));
    expect(thrown.kind).toBe('http_status');
    expect(authoriserDown(thrown)).toBe(true);
  });
});

describe('answers that do not add up', () => {
  it('a processed batch whose protocol is another key’s is an unexpected body, never adopted', async () => {
    const nfe = signedNfe();
    const otherKey = `${nfe.accessKey.slice(0, 25)}000009999${nfe.accessKey.slice(34)}`;
    answer('/55/SP/NFeAutorizacao4', retEnviNFeProcessed(authorisedProt(otherKey)));
    expect((await fault(client().authorize(nfe.xml))).kind).toBe('unexpected_body');
  });

  it('a consult answering 100 without the NF-e’s protocol is an unexpected body', async () => {
    const { accessKey } = signedNfe();
    answer('/55/SP/NFeConsultaProtocolo4', retConsSitNFe(accessKey, 100, 'Autorizado o uso da NF-e'));
    expect((await fault(client().consult(accessKey))).kind).toBe('unexpected_body');
  });
});

describe('consult', () => {
  it('recovers the authorisation of a key and composes the nfeProc from the NF-e as sent', async () => {
    const nfe = signedNfe();
    answer(
      '/55/SP/NFeConsultaProtocolo4',
      retConsSitNFe(
        nfe.accessKey,
        100,
        'Autorizado o uso da NF-e',
        { prot: authorisedProt(nfe.accessKey) },
        'nfe',
      ),
    );
    const result = await client().consult(nfe.accessKey, nfe.xml);
    expect(result).toMatchObject({ outcome: 'authorized', status: 100, protocol: ACCESS_PROTOCOL });
    if (result.outcome === 'authorized') await expectValid(result.nfeProcXml, 'procNFe');
    expect(server.received.at(-1)!.body).toContain(`<xServ>CONSULTAR</xServ><chNFe>${nfe.accessKey}</chNFe>`);
  });

  it('a cancelled NF-e (101) keeps its authorisation and names the cancellation protocol', async () => {
    const nfe = signedNfe();
    const event = buildCancellationEvent({
      accessKey: nfe.accessKey,
      protocol: ACCESS_PROTOCOL,
      justification: 'Pedido cancelado pelo cliente',
      at: new Date('2026-12-06T12:40:00Z'),
      cnpj: store11Emitter.cnpj,
      environment: '2',
      batchId: '1',
    });
    if (!event.ok) throw new Error(event.failure.detail);
    answer(
      '/55/SP/NFeConsultaProtocolo4',
      retConsSitNFe(nfe.accessKey, 101, 'Cancelamento de NF-e homologado', {
        prot: authorisedProt(nfe.accessKey),
        procEvento: procEventoNFe(signFiscalXml(event.value, storeCertificate, 'infEvento'), {
          accessKey: nfe.accessKey,
          status: 135,
          reason: 'Evento registrado e vinculado a NF-e',
          protocol: '135260000000999',
        }),
      }),
    );
    expect(await client().consult(nfe.accessKey)).toMatchObject({
      outcome: 'authorized',
      status: 100,
      protocol: ACCESS_PROTOCOL,
      cancelledProtocol: '135260000000999',
    });
  });

  it('217 is not found: the NF-e may be sent', async () => {
    const { accessKey } = signedNfe();
    answer(
      '/55/SP/NFeConsultaProtocolo4',
      retConsSitNFe(accessKey, 217, 'Rejeição: NF-e não consta na base de dados da SEFAZ'),
    );
    expect(await client().consult(accessKey)).toEqual({
      outcome: 'not_found',
      status: 217,
      reason: 'Rejeição: NF-e não consta na base de dados da SEFAZ',
    });
  });

  it('a key whose emission type (digit 35) is SVC is consulted at the SVC', async () => {
    const { accessKey } = signedNfe();
    const svcKey = `${accessKey.slice(0, 34)}6${accessKey.slice(35)}`;
    answer(
      '/55/SVCAN/NFeConsultaProtocolo4',
      retConsSitNFe(svcKey, 217, 'Rejeição: NF-e não consta na base de dados da SEFAZ'),
    );
    expect(await client().consult(svcKey)).toMatchObject({ outcome: 'not_found' });
    expect(paths().at(-1)).toBe('/55/SVCAN/NFeConsultaProtocolo4');
  });
});

describe('registerEvent', () => {
  function cancellation(accessKey: string) {
    const event = buildCancellationEvent({
      accessKey,
      protocol: ACCESS_PROTOCOL,
      justification: 'Pedido cancelado pelo cliente',
      at: new Date('2026-12-06T12:40:00Z'),
      cnpj: store11Emitter.cnpj,
      environment: '2',
      batchId: '7',
    });
    if (!event.ok) throw new Error(event.failure.detail);
    return signFiscalXml(event.value, storeCertificate, 'infEvento');
  }

  it('135: registered, with a procEventoNFe that follows its schema', async () => {
    const { accessKey } = signedNfe();
    answer(
      '/55/SP/NFeRecepcaoEvento4',
      retEnvEvento(
        128,
        'Lote de evento processado',
        {
          accessKey,
          status: 135,
          reason: 'Evento registrado e vinculado a NF-e',
          protocol: '135260000000999',
        },
        'nfe',
      ),
    );
    const result = await client().registerEvent(cancellation(accessKey));
    expect(result).toMatchObject({
      outcome: 'registered',
      status: 135,
      accessKey,
      protocol: '135260000000999',
      registeredAt: new Date('2026-12-06T12:31:46Z'),
    });
    if (result.outcome === 'registered') await expectValid(result.procEventoXml, 'procEventoNFe');
  });

  it.each([
    [573, 'Rejeição: Duplicidade de Evento'],
    [501, 'Rejeição: Prazo de cancelamento superior ao previsto na Legislação'],
  ])('answers the event’s own cStat %s as a rejection', async (status, reason) => {
    const { accessKey } = signedNfe();
    answer(
      '/55/SP/NFeRecepcaoEvento4',
      retEnvEvento(128, 'Lote de evento processado', { accessKey, status, reason }),
    );
    expect(await client().registerEvent(cancellation(accessKey))).toEqual({
      outcome: 'rejected',
      status,
      reason,
    });
  });

  it('135 without nProt is an unexpected body, not a registered event', async () => {
    const { accessKey } = signedNfe();
    answer(
      '/55/SP/NFeRecepcaoEvento4',
      retEnvEvento(128, 'Lote de evento processado', {
        accessKey,
        status: 135,
        reason: 'Evento registrado e vinculado a NF-e',
      }),
    );
    expect((await fault(client().registerEvent(cancellation(accessKey)))).kind).toBe('unexpected_body');
  });

  it('a batch refused as a whole answers the batch’s cStat', async () => {
    const { accessKey } = signedNfe();
    answer('/55/SP/NFeRecepcaoEvento4', retEnvEvento(215, 'Rejeição: Falha no schema XML'));
    expect(await client().registerEvent(cancellation(accessKey))).toEqual({
      outcome: 'rejected',
      status: 215,
      reason: 'Rejeição: Falha no schema XML',
    });
  });
});

describe('voidRange', () => {
  function signedRange() {
    const built = buildInutNFe({
      uf: 'SP',
      environment: '2',
      cnpj: store11Emitter.cnpj,
      model: '55',
      series: 1,
      from: 1043,
      to: 1045,
      justification: 'Numeração pulada por falha do sistema emissor',
      year: 2026,
    });
    if (!built.ok) throw new Error(built.failure.detail);
    return signFiscalXml(built.value, storeCertificate, 'infInut');
  }

  it('102: voided, with a ProcInutNFe that follows its schema', async () => {
    answer(
      '/55/SP/NFeInutilizacao4',
      retInutNFe(102, 'Inutilização de número homologado', {
        cnpj: store11Emitter.cnpj,
        from: 1043,
        to: 1045,
        protocol: '135260000000777',
      }),
    );
    const result = await client().voidRange(signedRange());
    expect(result).toMatchObject({ outcome: 'voided', status: 102, protocol: '135260000000777' });
    if (result.outcome === 'voided') await expectValid(result.procInutXml, 'procInutNFe');
  });

  it('102 without nProt is an unexpected body, not a voided range', async () => {
    answer(
      '/55/SP/NFeInutilizacao4',
      retInutNFe(102, 'Inutilização de número homologado', {
        cnpj: store11Emitter.cnpj,
        from: 1043,
        to: 1045,
      }),
    );
    expect((await fault(client().voidRange(signedRange()))).kind).toBe('unexpected_body');
  });

  it('any other cStat is a rejection with SEFAZ’s text', async () => {
    const reason = 'Rejeição: Uma NF-e da faixa já está inutilizada na Base de dados da SEFAZ';
    answer(
      '/55/SP/NFeInutilizacao4',
      retInutNFe(256, reason, { cnpj: store11Emitter.cnpj, from: 1043, to: 1045 }),
    );
    expect(await client().voidRange(signedRange())).toEqual({ outcome: 'rejected', status: 256, reason });
  });
});

describe('status', () => {
  it('asks the model’s authoriser of the store’s state and reads tMed, dhRetorno, xObs', async () => {
    answer('/65/SP/NFeStatusServico4', retConsStatServ(107, 'Serviço em Operação', { tMed: 1 }));
    expect(await client().status(65)).toEqual({
      status: 107,
      reason: 'Serviço em Operação',
      checkedAt: new Date('2026-12-06T12:31:46Z'),
      averageSeconds: 1,
    });
    expect(server.received.at(-1)!.body).toContain('<tpAmb>2</tpAmb><cUF>35</cUF><xServ>STATUS</xServ>');

    answer(
      '/55/SP/NFeStatusServico4',
      retConsStatServ(109, 'Serviço Paralisado sem Previsão', {
        dhRetorno: '2026-12-07T08:00:00-03:00',
        xObs: 'Pane',
      }),
    );
    expect(await client().status(55)).toMatchObject({
      status: 109,
      expectedBackAt: new Date('2026-12-07T11:00:00Z'),
      observation: 'Pane',
    });
  });

  it('a state without an address in the table is an unreachable fault, sent nowhere', async () => {
    const before = server.received.length;
    const sefaz = createSefazClient({
      certificate: storeCertificate,
      uf: 'SP',
      environment: '2',
      endpoints: {
        authorizers: { '55': {}, '65': {} },
        contingency: { '55': {} },
        endpoints: { '55': {}, '65': {} },
      },
      trustedCa: [sefazCa.certPem],
    });
    expect((await fault(sefaz.status(55))).kind).toBe('unreachable');
    expect(server.received).toHaveLength(before);
  });
});

describe('sefazConfiguration', () => {
  it('reads the environment once and fails at start-up on a malformed override', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const first = sefazConfiguration({});
    expect(sefazConfiguration({})).toBe(first);
    expect(first.endpoints).toEqual(bundledEndpointTable());
    const dir = mkdtempSync(join(tmpdir(), 'omnihub-sefaz-config-'));
    try {
      const file = join(dir, 'endpoints.json');
      writeFileSync(file, '{"55": {"SP": {"homologacao": {"NFeAutorizacao4": "ftp://x"}}}}');
      expect(() => sefazConfiguration({ OMNIHUB_SEFAZ_ENDPOINTS: file })).toThrow(SefazConfigurationError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
