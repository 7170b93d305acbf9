import { beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../../test/fiscal-tools.ts';
import type { FiscalDocument } from '../domain.ts';
import { shipFromStoreToCuritiba, store11Emitter, tShirt } from '../fixtures.test-support.ts';
import { type A1Certificate, certificateCnpj, generateTestCertificate } from '../xml/certificate.ts';
import { buildCancellationEvent, buildCorrectionEvent } from '../xml/event-xml.ts';
import { buildNfeXml } from '../xml/nfe-xml.ts';
import { signFiscalXml, signInfNFe, verifySignature } from '../xml/signature.ts';
import { validateXml } from '../xml/xsd.ts';
import type { AuthorizationResult, Authorizer, EventResult } from './port.ts';
import {
  createMemorySimulatorStore,
  createSefazSimulator,
  formatProtocol,
  type SimulatorRules,
  type SimulatorStore,
  withinCancellationWindow,
} from './sefaz-simulator.ts';

/** The simulator checks the schema as SEFAZ does: without xmllint its tests fail, naming the package. */
const validate: typeof validateXml = (xml, schema) => {
  requireTool('xmllint');
  return validateXml(xml, schema);
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const issuedAt = shipFromStoreToCuritiba().issuedAt;

let store11: A1Certificate;
let otherCompany: A1Certificate;

beforeAll(() => {
  // Two RSA key pairs for the file: key generation is the slow part.
  ({ certificate: store11 } = generateTestCertificate({
    legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
    cnpj: store11Emitter.cnpj,
    password: 'senha-da-loja-11',
  }));
  ({ certificate: otherCompany } = generateTestCertificate({
    legalName: 'OUTRA EMPRESA LTDA',
    cnpj: '11222333000181',
    password: 'outra',
  }));
});

function signedNfe(overrides: Partial<FiscalDocument> = {}, cert = store11) {
  const built = buildNfeXml(shipFromStoreToCuritiba(overrides));
  if (!built.ok) throw new Error(built.failure.detail);
  return { xml: signInfNFe(built.value.xml, cert), accessKey: built.value.accessKey };
}

function simulator(
  start = new Date(issuedAt.getTime() + MINUTE),
  store?: SimulatorStore,
  rules?: SimulatorRules,
) {
  const clock = { now: start };
  const sefaz = createSefazSimulator({
    clock: () => clock.now,
    validate,
    ...(store ? { store } : {}),
    ...(rules ? { rules } : {}),
  });
  return { sefaz, clock };
}

function authorized(result: AuthorizationResult) {
  if (result.outcome !== 'authorized') throw new Error(`rejected ${result.status} ${result.reason}`);
  return result;
}

function cancellation(
  accessKey: string,
  protocol: string,
  at: Date,
  justification = 'Pedido cancelado pelo cliente antes do envio',
  cnpj = store11Emitter.cnpj,
) {
  const event = buildCancellationEvent({
    accessKey,
    protocol,
    justification,
    at,
    cnpj,
    environment: '2',
    batchId: '1',
  });
  if (!event.ok) throw new Error(event.failure.detail);
  return signFiscalXml(event.value, store11, 'infEvento');
}

/** A consumer sale at the till of store 11 (NFC-e): no recipient, no freight, cash. */
const nfce = (overrides: Partial<FiscalDocument> = {}): Partial<FiscalDocument> => ({
  model: '65',
  number: 1,
  presence: '1',
  destination: '1',
  recipient: undefined,
  items: [tShirt('5102')],
  freight: { mode: '9', amount: 0n },
  payments: [{ method: '01', amount: 10782n }],
  additionalInfo: undefined,
  ...overrides,
});

const statusOf = (result: AuthorizationResult | EventResult) => [result.status, result.reason];

async function authorizeOne(sefaz: Authorizer, overrides: Partial<FiscalDocument> = {}) {
  const nfe = signedNfe(overrides);
  return { nfe, result: authorized(await sefaz.authorize(nfe.xml)) };
}

describe('SEFAZ simulator: authorisation', () => {
  it('authorises with a 15-digit protocol and an nfeProc carrying protNFe', async () => {
    const { sefaz, clock } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);

    expect(result).toMatchObject({
      status: 100,
      reason: 'Autorizado o uso da NF-e',
      accessKey: nfe.accessKey,
    });
    expect(result.protocol).toMatch(/^135\d{12}$/);
    expect(result.receivedAt).toEqual(clock.now);
    const digest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(nfe.xml)![1];
    expect(result.nfeProcXml).toContain(nfe.xml.replace(/^<\?xml[^>]*>/, ''));
    expect(result.nfeProcXml).toMatch(
      /^<nfeProc versao="4.00" xmlns="http:\/\/www.portalfiscal.inf.br\/nfe">/,
    );
    expect(result.nfeProcXml).toContain(
      `<chNFe>${nfe.accessKey}</chNFe><dhRecbto>2026-11-23T12:31:00-03:00</dhRecbto>` +
        `<nProt>${result.protocol}</nProt><digVal>${digest}</digVal><cStat>100</cStat>`,
    );
    // The signed NFe travels inside nfeProc untouched: its signature still verifies there.
    expect(verifySignature(result.nfeProcXml).ok).toBe(true);
  });

  it('refuses the same NF-e twice with 204, naming the first protocol', async () => {
    const { sefaz } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    expect(statusOf(await sefaz.authorize(nfe.xml))).toEqual([
      204,
      `Rejeição: Duplicidade de NF-e [nProt:${result.protocol}]`,
    ]);
  });

  it('refuses the same number under another key (another cNF) with 539', async () => {
    const { sefaz } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    const again = signedNfe({ numericCode: '61830297' });
    expect(again.accessKey).not.toBe(nfe.accessKey);
    expect(statusOf(await sefaz.authorize(again.xml))).toEqual([
      539,
      `Rejeição: Duplicidade de NF-e com diferença na Chave de Acesso [chNFe: ${nfe.accessKey}][nProt:${result.protocol}]`,
    ]);
  });

  it('refuses an NF-e altered after signing with 297', async () => {
    const { sefaz } = simulator();
    const tampered = signedNfe().xml.replace('<vNF>332.72</vNF>', '<vNF>3.72</vNF>');
    expect(tampered).toContain('<vNF>3.72</vNF>');
    expect(statusOf(await sefaz.authorize(tampered))).toEqual([
      297,
      'Rejeição: Assinatura difere do calculado',
    ]);
  });

  it("refuses an NF-e signed with another company's certificate with 213", async () => {
    const { sefaz } = simulator();
    expect((await sefaz.authorize(signedNfe({}, otherCompany).xml)).status).toBe(213);
  });

  it('refuses dhEmi more than 5 minutes after receipt with 703, and accepts a smaller skew', async () => {
    const { sefaz, clock } = simulator(new Date(issuedAt.getTime() - 6 * MINUTE));
    expect(statusOf(await sefaz.authorize(signedNfe().xml))).toEqual([
      703,
      'Rejeição: Data-Hora de Emissão posterior ao horário de recebimento',
    ]);
    clock.now = new Date(issuedAt.getTime() - 4 * MINUTE);
    expect((await sefaz.authorize(signedNfe().xml)).status).toBe(100);
  });

  it('refuses a document that does not parse with 243', async () => {
    const { sefaz } = simulator();
    expect(statusOf(await sefaz.authorize('<NFe><infNFe>'))).toEqual([243, 'Rejeição: XML Mal Formado']);
    expect((await sefaz.registerEvent('<envEvento><idLote></envEvento>')).status).toBe(243);
  });

  it('refuses an NF-e issued more than 30 days before receipt with 228', async () => {
    const { sefaz } = simulator(new Date(issuedAt.getTime() + 31 * 24 * HOUR));
    expect((await sefaz.authorize(signedNfe().xml)).status).toBe(228);
  });

  it('refuses an access key that does not match the fields with 502', async () => {
    const { sefaz } = simulator();
    const built = buildNfeXml(shipFromStoreToCuritiba());
    if (!built.ok) throw new Error(built.failure.detail);
    // A well-formed key (right check digit) for another cNF than the one in <ide><cNF>.
    const other = signedNfe({ numericCode: '61830297' }).accessKey;
    const xml = signInfNFe(
      built.value.xml.replace(`Id="NFe${built.value.accessKey}"`, `Id="NFe${other}"`),
      store11,
    );
    expect(statusOf(await sefaz.authorize(xml))).toEqual([
      502,
      'Rejeição: Erro na Chave de Acesso - Campo Id não corresponde à concatenação dos campos correspondentes',
    ]);
  });

  it('refuses an NFC-e sent more than 5 minutes after dhEmi with 704', async () => {
    const { sefaz } = simulator(new Date(issuedAt.getTime() + 6 * MINUTE));
    expect((await sefaz.authorize(signedNfe(nfce()).xml)).status).toBe(704);
  });
});

describe('SEFAZ simulator: cancellation (110111)', () => {
  it('registers a cancellation within 24 h with 135, then refuses it again with 573', async () => {
    const { sefaz, clock } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    clock.now = new Date(clock.now.getTime() + 23 * HOUR);
    const event = cancellation(nfe.accessKey, result.protocol, clock.now);

    const registered = await sefaz.registerEvent(event);
    expect(registered).toMatchObject({
      outcome: 'registered',
      status: 135,
      reason: 'Evento registrado e vinculado a NF-e',
      accessKey: nfe.accessKey,
    });
    if (registered.outcome !== 'registered') return;
    expect(registered.protocol).toMatch(/^135\d{12}$/);
    expect(registered.protocol).not.toBe(result.protocol);
    expect(registered.procEventoXml).toContain(`<infEvento Id="ID110111${nfe.accessKey}01">`);
    expect(registered.procEventoXml).toContain('<cStat>135</cStat>');

    const again = cancellation(nfe.accessKey, result.protocol, clock.now);
    expect(statusOf(await sefaz.registerEvent(again))).toEqual([573, 'Rejeição: Duplicidade de Evento']);
  });

  it('refuses a cancellation 25 h after authorisation with 501', async () => {
    const { sefaz, clock } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    clock.now = new Date(clock.now.getTime() + 25 * HOUR);
    expect(
      statusOf(await sefaz.registerEvent(cancellation(nfe.accessKey, result.protocol, clock.now))),
    ).toEqual([501, 'Rejeição: Prazo de cancelamento superior ao previsto na Legislação']);
  });

  it('refuses an unknown key with 494 and a wrong protocol with 222', async () => {
    const { sefaz } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    const unknown = signedNfe({ number: 2001 }).accessKey;
    expect((await sefaz.registerEvent(cancellation(unknown, result.protocol, issuedAt))).status).toBe(494);
    const wrong = `${result.protocol.slice(0, 14)}${(Number(result.protocol.slice(14)) + 1) % 10}`;
    expect(statusOf(await sefaz.registerEvent(cancellation(nfe.accessKey, wrong, issuedAt)))).toEqual([
      222,
      'Rejeição: Protocolo de Autorização de Uso difere do cadastrado',
    ]);
  });

  it('refuses a justification shorter than 15 characters, and a tampered event with 297', async () => {
    const { sefaz } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    expect(
      buildCancellationEvent({
        accessKey: nfe.accessKey,
        protocol: result.protocol,
        justification: 'desisti',
        at: issuedAt,
        cnpj: store11Emitter.cnpj,
        environment: '2',
      }).ok,
    ).toBe(false);
    // One built by hand (not through the builder) reaches the authoriser and is refused there.
    const short = cancellation(nfe.accessKey, result.protocol, issuedAt).replace(
      /<xJust>[^<]*<\/xJust>/,
      '<xJust>desisti</xJust>',
    );
    expect(statusOf(await sefaz.registerEvent(short))).toEqual([
      493,
      'Rejeição: Evento não atende o Schema XML específico',
    ]);
    const tampered = cancellation(nfe.accessKey, result.protocol, issuedAt).replace(
      'Pedido cancelado pelo cliente',
      'Pedido cancelado pela loja!!',
    );
    expect((await sefaz.registerEvent(tampered)).status).toBe(297);
  });

  it('refuses an author other than the emitter in the key with 574, an event dated ahead with 578', async () => {
    const { sefaz, clock } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    // A branch of the same company (same CNPJ root) passes 213 but is not the NF-e's emitter.
    const branch = cancellation(nfe.accessKey, result.protocol, clock.now, undefined, '45997418000234');
    expect(statusOf(await sefaz.registerEvent(branch))).toEqual([
      574,
      'Rejeição: O autor do evento diverge do emissor da NF-e',
    ]);
    const ahead = cancellation(nfe.accessKey, result.protocol, new Date(clock.now.getTime() + 10 * MINUTE));
    expect((await sefaz.registerEvent(ahead)).status).toBe(578);
  });

  it('gives an NFC-e (model 65) 30 minutes to be cancelled', async () => {
    const { sefaz, clock } = simulator();
    const first = await authorizeOne(sefaz, nfce());
    const second = await authorizeOne(sefaz, nfce({ number: 2, numericCode: '61830297' }));
    clock.now = new Date(clock.now.getTime() + 29 * MINUTE);
    const inTime = cancellation(first.nfe.accessKey, first.result.protocol, clock.now);
    expect((await sefaz.registerEvent(inTime)).status).toBe(135);
    clock.now = new Date(clock.now.getTime() + 2 * MINUTE);
    const late = cancellation(second.nfe.accessKey, second.result.protocol, clock.now);
    expect((await sefaz.registerEvent(late)).status).toBe(501);
  });

  it('window rule: 30 minutes for model 65, 24 hours for model 55, inclusive', () => {
    const at = new Date('2026-11-23T12:00:00Z');
    const later = (ms: number) => new Date(at.getTime() + ms);
    expect(withinCancellationWindow('65', at, later(30 * MINUTE))).toBe(true);
    expect(withinCancellationWindow('65', at, later(30 * MINUTE + 1000))).toBe(false);
    expect(withinCancellationWindow('55', at, later(24 * HOUR))).toBe(true);
    expect(withinCancellationWindow('55', at, later(24 * HOUR + 1000))).toBe(false);
  });
});

describe('SEFAZ simulator: consultation (NFeConsultaProtocolo4)', () => {
  it('answers an authorised key with its protocol, authorisation time and nfeProc', async () => {
    const { sefaz, clock } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    clock.now = new Date(clock.now.getTime() + HOUR);
    expect(await sefaz.consult(nfe.accessKey)).toEqual(result);
  });

  it('answers a key it never authorised with 217, and a rejected NF-e is not in its base', async () => {
    const { sefaz } = simulator();
    const tampered = signedNfe().xml.replace('<vNF>332.72</vNF>', '<vNF>3.72</vNF>');
    expect((await sefaz.authorize(tampered)).status).toBe(297);
    expect(await sefaz.consult(signedNfe().accessKey)).toEqual({
      outcome: 'not_found',
      status: 217,
      reason: 'Rejeição: NF-e não consta na base de dados da SEFAZ',
    });
  });

  it('still answers the authorisation of a cancelled NF-e, naming the cancellation', async () => {
    const { sefaz, clock } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    const registered = await sefaz.registerEvent(cancellation(nfe.accessKey, result.protocol, clock.now));
    if (registered.outcome !== 'registered') throw new Error(`rejected ${registered.status}`);
    expect(await sefaz.consult(nfe.accessKey)).toEqual({
      ...result,
      cancelledProtocol: registered.protocol,
      events: [
        { type: '110111', sequence: 1, protocol: registered.protocol, registeredAt: registered.registeredAt },
      ],
    });
  });

  it('a simulator over the same store (a restart) refuses the resend with 204 and consults it', async () => {
    const store = createMemorySimulatorStore();
    const { nfe, result } = await authorizeOne(simulator(undefined, store).sefaz);
    const { sefaz } = simulator(undefined, store);
    expect((await sefaz.authorize(nfe.xml)).status).toBe(204);
    expect(await sefaz.consult(nfe.accessKey)).toEqual(result);
  });
});

describe('SEFAZ simulator: helpers', () => {
  it('formats nProt as authoriser 1, cUF, year and a 10-digit sequence', () => {
    expect(formatProtocol('35', new Date('2026-11-23T12:00:00Z'), 42)).toBe('135260000000042');
  });

  it('reads the CNPJ from an ICP-Brasil subject CN', () => {
    expect(certificateCnpj('C=BR,O=Teste,CN=LOJAS EXEMPLO LTDA:12345678000195')).toBe('12345678000195');
    expect(certificateCnpj('C=BR,CN=LOJAS EXEMPLO LTDA')).toBeUndefined();
  });
});

describe('SEFAZ simulator: schemas (xmllint)', () => {
  beforeAll(() => {
    requireTool('xmllint');
  });

  it('the signed cancellation event is valid against envEvento_v1.00.xsd', async () => {
    const event = cancellation(signedNfe().accessKey, '135260000000001', issuedAt);
    expect(await validateXml(event, 'envEvento')).toEqual({ ok: true, value: undefined });
  });

  it('refuses an NF-e that breaks the schema with 225', async () => {
    const { sefaz } = simulator();
    const broken = signedNfe().xml.replace('<natOp>', '<natOpX>').replace('</natOp>', '</natOpX>');
    expect(statusOf(await sefaz.authorize(broken))).toEqual([225, 'Rejeição: Falha no Schema XML da NFe']);
  });
});

function correction(
  accessKey: string,
  sequence: number,
  at: Date,
  text = 'Onde se lê Rua A, leia-se Rua B, 100',
) {
  const event = buildCorrectionEvent({
    accessKey,
    text,
    sequence,
    at,
    cnpj: store11Emitter.cnpj,
    environment: '2',
    batchId: '1',
  });
  if (!event.ok) throw new Error(event.failure.detail);
  return signFiscalXml(event.value, store11, 'infEvento');
}

describe('SEFAZ simulator: correction letter (110110)', () => {
  it('registers letters in sequence with 135, answers a repeated one 573 and a skipped one 594', async () => {
    const { sefaz, clock } = simulator();
    const { nfe } = await authorizeOne(sefaz);
    const first = await sefaz.registerEvent(correction(nfe.accessKey, 1, clock.now));
    expect(first).toMatchObject({ outcome: 'registered', status: 135, accessKey: nfe.accessKey });
    if (first.outcome !== 'registered') return;
    expect(first.procEventoXml).toContain('<tpEvento>110110</tpEvento>');
    expect(await validateXml(first.procEventoXml, 'procEventoNFe')).toEqual({ ok: true, value: undefined });
    expect(statusOf(await sefaz.registerEvent(correction(nfe.accessKey, 1, clock.now)))).toEqual([
      573,
      'Rejeição: Duplicidade de Evento',
    ]);
    expect((await sefaz.registerEvent(correction(nfe.accessKey, 3, clock.now))).status).toBe(594);
    const second = await sefaz.registerEvent(correction(nfe.accessKey, 2, clock.now));
    expect(second.status).toBe(135);
    const known = await sefaz.consult(nfe.accessKey);
    expect(known.outcome === 'authorized' && known.events?.map((e) => [e.type, e.sequence])).toEqual([
      ['110110', 1],
      ['110110', 2],
    ]);
  });

  it('refuses a text out of 15–1,000 characters (493) and a letter on a key it does not hold (494)', async () => {
    const { sefaz, clock } = simulator();
    const { nfe } = await authorizeOne(sefaz);
    const short = correction(nfe.accessKey, 1, clock.now).replace(
      /<xCorrecao>[^<]+<\/xCorrecao>/,
      '<xCorrecao>curto</xCorrecao>',
    );
    expect((await sefaz.registerEvent(short)).status).toBe(493);
    const unknown = signedNfe({ number: 99 });
    expect((await sefaz.registerEvent(correction(unknown.accessKey, 1, clock.now))).status).toBe(494);
  });

  it('refuses a letter on a cancelled NF-e with 580', async () => {
    const { sefaz, clock } = simulator();
    const { nfe, result } = await authorizeOne(sefaz);
    expect((await sefaz.registerEvent(cancellation(nfe.accessKey, result.protocol, clock.now))).status).toBe(
      135,
    );
    expect(statusOf(await sefaz.registerEvent(correction(nfe.accessKey, 1, clock.now)))).toEqual([
      580,
      'Rejeição: O evento exige uma NF-e autorizada',
    ]);
  });
});

describe('SEFAZ simulator: rules for denial and late authorisation', () => {
  it('denies (301) with a protocol and an nfeProc, keeps the number used up and consults it as denied', async () => {
    const { sefaz, clock } = simulator(undefined, undefined, { authorization: () => 301 });
    const nfe = signedNfe();
    const denied = await sefaz.authorize(nfe.xml);
    expect(denied).toMatchObject({
      outcome: 'denied',
      status: 301,
      reason: 'Uso Denegado: Irregularidade fiscal do emitente',
      accessKey: nfe.accessKey,
    });
    if (denied.outcome !== 'denied') return;
    expect(denied.protocol).toMatch(/^[0-9]{15}$/);
    expect(denied.nfeProcXml).toContain('<cStat>301</cStat>');
    expect(await sefaz.consult(nfe.accessKey)).toEqual(denied);
    expect((await sefaz.authorize(signedNfe({ numericCode: '87654321' }).xml)).status).toBe(539);
    expect((await sefaz.registerEvent(cancellation(nfe.accessKey, denied.protocol, clock.now))).status).toBe(
      580,
    );
  });

  it('authorises late with 150 and its own text', async () => {
    const { sefaz } = simulator(undefined, undefined, {
      authorization: ({ number }) => (number > 0 ? 150 : undefined),
    });
    const result = await sefaz.authorize(signedNfe().xml);
    expect(result).toMatchObject({
      outcome: 'authorized',
      status: 150,
      reason: 'Autorizado o uso da NF-e, autorização fora de prazo',
    });
  });
});
