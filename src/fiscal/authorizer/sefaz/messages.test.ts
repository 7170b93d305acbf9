import { beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../../../test/fiscal-tools.ts';
import { shipFromStoreToCuritiba, store11Emitter } from '../../fixtures.test-support.ts';
import {
  type A1Certificate,
  buildCancellationEvent,
  buildNfeXml,
  generateTestCertificate,
  parseXml,
  type SchemaName,
  signFiscalXml,
  validateXml,
} from '../../xml/index.ts';
import {
  procEventoNFe,
  protNFe,
  retConsReciNFe,
  retConsSitNFe,
  retConsStatServ,
  retEnvEvento,
  retEnviNFeProcessed,
  retEnviNFeReceived,
  retInutNFe,
} from './answers.test-support.ts';
import {
  buildConsReciNFe,
  buildConsSitNFe,
  buildConsStatServ,
  buildEnviNFe,
  buildInutNFe,
  composeNfeProc,
  composeProcInut,
  keyRouting,
  nfeRouting,
  readBatchAnswer,
  readConsultAnswer,
  readEventBatchAnswer,
  readStatusAnswer,
  readVoidAnswer,
  sefazDate,
} from './messages.ts';
import { officialText, officialTextCount } from './official-texts.ts';

async function expectValid(xml: string, schema: SchemaName) {
  requireTool('xmllint');
  const result = await validateXml(xml, schema);
  expect(result.ok ? 'valid' : JSON.stringify(result.failure)).toBe('valid');
}

const root = (xml: string): Element => parseXml(xml)!.documentElement as unknown as Element;

let cert: A1Certificate;
let signedNfe: string;
let accessKey: string;

beforeAll(() => {
  ({ certificate: cert } = generateTestCertificate({
    legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
    cnpj: store11Emitter.cnpj,
    password: 'x',
  }));
  const built = buildNfeXml(shipFromStoreToCuritiba());
  if (!built.ok) throw new Error(built.failure.detail);
  signedNfe = signFiscalXml(built.value.xml, cert, 'infNFe');
  accessKey = built.value.accessKey;
});

/** The procEventoNFe of a registered cancellation (nProt 135260000000999). */
function cancelled(): string {
  const event = buildCancellationEvent({
    accessKey,
    protocol: '135260000000123',
    justification: 'Pedido cancelado pelo cliente',
    at: new Date('2026-12-06T12:40:00Z'),
    cnpj: store11Emitter.cnpj,
    environment: '2',
    batchId: '1',
  });
  if (!event.ok) throw new Error(event.failure.detail);
  return procEventoNFe(signFiscalXml(event.value, cert, 'infEvento'), {
    accessKey,
    status: 135,
    reason: 'Evento registrado e vinculado a NF-e',
    protocol: '135260000000999',
  });
}

const voidInput = {
  uf: 'SP',
  environment: '2' as const,
  cnpj: store11Emitter.cnpj,
  model: '55' as const,
  series: 1,
  from: 1043,
  to: 1045,
  justification: 'Numeração pulada por falha do sistema emissor',
  year: 2026,
};

describe('the requests follow their official schemas', () => {
  it('enviNFe: one signed NF-e, synchronous', async () => {
    const xml = buildEnviNFe(signedNfe, '123456789012345');
    expect(xml).toContain('<idLote>123456789012345</idLote><indSinc>1</indSinc><NFe');
    await expectValid(xml, 'enviNFe');
  });

  it('consReciNFe, consSitNFe and consStatServ', async () => {
    await expectValid(buildConsReciNFe('2', '351000012345678'), 'consReciNFe');
    await expectValid(buildConsSitNFe('2', accessKey), 'consSitNFe');
    await expectValid(buildConsStatServ('1', '35'), 'consStatServ');
  });

  it('inutNFe: the Id concatenates cUF, year, CNPJ, model, series and the range; valid once signed', async () => {
    const built = buildInutNFe(voidInput);
    if (!built.ok) throw new Error(built.failure.detail);
    expect(built.value).toContain(`Id="ID3526${store11Emitter.cnpj}55001000001043000001045"`);
    expect(built.value).toContain('<xServ>INUTILIZAR</xServ><cUF>35</cUF><ano>26</ano>');
    await expectValid(signFiscalXml(built.value, cert, 'infInut'), 'inutNFe');
  });

  it.each([
    ['a short justification', { justification: 'falha' }, 'justification'],
    ['a range upside down', { from: 10, to: 9 }, 'to'],
    ['number zero', { from: 0 }, 'from'],
    ['a series past 999', { series: 1000 }, 'series'],
    ['an unknown UF', { uf: 'XX' }, 'uf'],
    ['a CNPJ with punctuation', { cnpj: '12.345.678/0001-95' }, 'cnpj'],
  ])('inutNFe refuses %s, naming the field', (_, change, path) => {
    const built = buildInutNFe({ ...voidInput, ...change });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.failure.code).toBe('FISCAL.VOID_INVALID');
    expect(JSON.stringify(built.failure)).toContain(`"path":"${path}"`);
  });
});

describe('the answer fixtures follow SEFAZ’s schemas', () => {
  it.each([
    [
      'retEnviNFe',
      () =>
        retEnviNFeProcessed({
          accessKey,
          status: 100,
          reason: 'Autorizado o uso da NF-e',
          protocol: '135260000000123',
        }),
    ],
    ['retEnviNFe', () => retEnviNFeReceived('351000012345678', 3)],
    ['retConsReciNFe', () => retConsReciNFe('351000012345678', 105, 'Lote em processamento')],
    [
      'retConsSitNFe',
      () =>
        retConsSitNFe(accessKey, 101, 'Cancelamento de NF-e homologado', {
          prot: { accessKey, status: 100, reason: 'Autorizado o uso da NF-e', protocol: '135260000000123' },
          procEvento: cancelled(),
        }),
    ],
    [
      'retEnvEvento',
      () =>
        retEnvEvento(128, 'Lote de evento processado', {
          accessKey,
          status: 135,
          reason: 'Evento registrado e vinculado a NF-e',
          protocol: '135260000000999',
        }),
    ],
    [
      'retInutNFe',
      () =>
        retInutNFe(102, 'Inutilização de número homologado', {
          cnpj: store11Emitter.cnpj,
          from: 1043,
          to: 1045,
          protocol: '135260000000777',
        }),
    ],
    [
      'retConsStatServ',
      () =>
        retConsStatServ(108, 'Serviço Paralisado Momentaneamente (curto prazo)', {
          tMed: 5,
          dhRetorno: '2026-12-06T11:00:00-03:00',
          xObs: 'Manutenção programada',
        }),
    ],
  ] as const)('%s', async (schema, make) => {
    await expectValid(make(), schema);
  });
});

describe('reading the answers', () => {
  const authorised = () => ({
    accessKey,
    status: 100,
    reason: 'Autorizado o uso da NF-e',
    protocol: '135260000000123',
  });

  it('a processed batch, with or without a namespace prefix', () => {
    for (const prefix of [undefined, 'nfe', 'ns2']) {
      const answer = readBatchAnswer('NFeAutorizacao4', root(retEnviNFeProcessed(authorised(), prefix)));
      expect(answer.status).toBe(104);
      expect(answer.protocols).toHaveLength(1);
      expect(answer.protocols[0]).toMatchObject({
        status: 100,
        reason: 'Autorizado o uso da NF-e',
        accessKey,
        protocol: '135260000000123',
        receivedAt: new Date('2026-12-06T12:31:46Z'),
      });
    }
  });

  it('a received batch names its receipt and tMed', () => {
    const answer = readBatchAnswer('NFeAutorizacao4', root(retEnviNFeReceived('351000012345678', 3)));
    expect(answer).toMatchObject({ status: 103, receipt: { number: '351000012345678', averageSeconds: 3 } });
  });

  it('composes an nfeProc that follows procNFe_v4.00.xsd', async () => {
    const [prot] = readBatchAnswer(
      'NFeAutorizacao4',
      root(retEnviNFeProcessed(authorised(), 'nfe')),
    ).protocols;
    await expectValid(
      composeNfeProc(`<?xml version="1.0" encoding="UTF-8"?>${signedNfe}`, prot!.xml),
      'procNFe',
    );
  });

  it('a consult of a cancelled NF-e: the authorisation and the cancellation protocol', () => {
    const answer = readConsultAnswer(
      'NFeConsultaProtocolo4',
      root(
        retConsSitNFe(
          accessKey,
          101,
          'Cancelamento de NF-e homologado',
          { prot: authorised(), procEvento: cancelled() },
          'nfe',
        ),
      ),
    );
    expect(answer).toMatchObject({
      status: 101,
      protocol: { status: 100, protocol: '135260000000123' },
      cancellationProtocol: '135260000000999',
    });
  });

  it('an event batch answers each event’s own cStat', () => {
    const answer = readEventBatchAnswer(
      'NFeRecepcaoEvento4',
      root(
        retEnvEvento(128, 'Lote de evento processado', {
          accessKey,
          status: 573,
          reason: 'Rejeição: Duplicidade de Evento',
        }),
      ),
    );
    expect(answer.status).toBe(128);
    expect(answer.events[0]).toMatchObject({
      status: 573,
      reason: 'Rejeição: Duplicidade de Evento',
      protocol: undefined,
    });
  });

  it('a voided range, kept as a ProcInutNFe that follows procInutNFe_v4.00.xsd', async () => {
    const built = buildInutNFe(voidInput);
    if (!built.ok) throw new Error(built.failure.detail);
    const signed = signFiscalXml(built.value, cert, 'infInut');
    const answer = readVoidAnswer(
      'NFeInutilizacao4',
      root(
        retInutNFe(102, 'Inutilização de número homologado', {
          cnpj: store11Emitter.cnpj,
          from: 1043,
          to: 1045,
          protocol: '135260000000777',
        }),
      ),
    );
    expect(answer).toMatchObject({ status: 102, protocol: '135260000000777' });
    await expectValid(composeProcInut(signed, answer.xml), 'procInutNFe');
  });

  it('the service status with tMed, dhRetorno and xObs', () => {
    const answer = readStatusAnswer(
      'NFeStatusServico4',
      root(
        retConsStatServ(
          108,
          'Serviço Paralisado Momentaneamente (curto prazo)',
          { tMed: 5, dhRetorno: '2026-12-06T11:00:00-03:00', xObs: 'Manutenção programada' },
          'ns1',
        ),
      ),
    );
    expect(answer).toEqual({
      status: 108,
      reason: 'Serviço Paralisado Momentaneamente (curto prazo)',
      averageSeconds: 5,
      expectedBackAt: new Date('2026-12-06T14:00:00Z'),
      observation: 'Manutenção programada',
      answeredAt: new Date('2026-12-06T12:31:46Z'),
    });
  });

  it('a date-time without an offset is Brasília’s', () => {
    expect(sefazDate('2026-12-06T09:31:46')).toEqual(new Date('2026-12-06T12:31:46Z'));
    expect(sefazDate('garbage')).toBeUndefined();
  });

  it('an answer without cStat is an unexpected body', () => {
    expect(() =>
      readStatusAnswer(
        'NFeStatusServico4',
        root('<retConsStatServ xmlns="http://www.portalfiscal.inf.br/nfe"/>'),
      ),
    ).toThrow(expect.objectContaining({ kind: 'unexpected_body' }));
  });
});

describe('routing', () => {
  it('reads the model, state and emission type of a signed NF-e and of an access key', () => {
    expect(nfeRouting(signedNfe)).toEqual({ accessKey, model: '55', emissionType: '1', stateCode: '35' });
    expect(keyRouting(accessKey)).toEqual({ accessKey, model: '55', emissionType: '1', stateCode: '35' });
  });
});

describe('official texts', () => {
  it('lists the 527 codes of sped-nfe with their text', () => {
    expect(officialTextCount()).toBe(527);
    expect(officialText(100)).toBe('Autorizado o uso da NF-e');
    expect(officialText('539')).toMatch(/^Duplicidade de NF-e com diferença na Chave de Acesso/);
    expect(officialText(1)).toBeUndefined();
  });

  it('keeps protNFe text when composing (the xMotivo is SEFAZ’s own)', () => {
    const prot = protNFe({
      accessKey,
      status: 302,
      reason: 'Uso Denegado: Irregularidade fiscal do destinatário',
      protocol: '135260000000124',
    });
    expect(prot).toContain('Irregularidade fiscal do destinatário');
  });
});
