import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, requireTool } from '../../test/fiscal-tools.ts';
import { textOf } from '../../test/pdf.ts';
import { createMemorySimulatorStore, createSefazSimulator } from './authorizer/sefaz-simulator.ts';
import {
  CONTINGENCY_DEADLINE_MS,
  computeDocument,
  deadlineLevel,
  documentFromJson,
  documentToJson,
  type FiscalDocument,
  OFFLINE_CONTINGENCY,
  UNREACHABLE_JUSTIFICATION,
} from './domain.ts';
import { shipFromStoreToCuritiba, trousers, tShirt } from './fixtures.test-support.ts';
import { renderNfceReceipt } from './printing/danfe-nfce.ts';
import type { SigningMaterial } from './settings.ts';
import { signAndValidate } from './signing.ts';
import { parseAccessKey } from './xml/access-key.ts';
import { type A1Certificate, generateTestCertificate } from './xml/certificate.ts';
import { qrCodeV2Offline } from './xml/nfce.ts';
import { schemaPath, validateXml } from './xml/xsd.ts';

const CSC = '0123456789ABCDEFGHIJKLMNOPQRSTUV';
const SP_HOMOLOGATION_QR =
  'https://www.homologacao.nfce.fazenda.sp.gov.br/NFCeConsultaPublica/Paginas/ConsultaQRCode.aspx';
const HOUR = 3_600_000;

/** A consumer at store 11's till, 2 × 59.90 − 11.98 + 199.90 = 307.72 by PIX. */
function tillSale(overrides: Partial<FiscalDocument> = {}): FiscalDocument {
  return shipFromStoreToCuritiba({
    model: '65',
    number: 502,
    numericCode: '28461937',
    destination: '1',
    presence: '1',
    recipient: {
      document: { kind: 'cpf', number: '39053344705' },
      name: '',
      stateRegistrationIndicator: '9',
    },
    items: [tShirt('5102'), trousers('5102')],
    freight: { mode: '9', amount: 0n },
    payments: [{ method: '17', amount: 30772n }],
    ...overrides,
  });
}

/** The same sale issued offline 1 h 30 after midnight UTC: in Brasília still the day before (the 5th). */
const since = new Date('2026-11-06T01:30:00Z');
const inContingency = (doc = tillSale()): FiscalDocument => ({
  ...doc,
  issuedAt: since,
  contingency: { emissionType: OFFLINE_CONTINGENCY, since, justification: UNREACHABLE_JUSTIFICATION },
});

let certificate: A1Certificate;
let material: SigningMaterial;
beforeAll(() => {
  ({ certificate } = generateTestCertificate({
    legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
    cnpj: '45997418000153',
    password: 'senha-da-loja-11',
  }));
  material = {
    environment: '2',
    taxRegime: 1,
    icmsRateIntrastate: null,
    icmsRateInterstate: null,
    certificate,
    csc: { id: '000001', token: CSC },
  };
});

async function signed(doc: FiscalDocument) {
  requireTool('xmllint');
  const result = await signAndValidate(doc, material);
  if (!result.ok) throw new Error(JSON.stringify(result.failure));
  return result.value;
}

/** The schema's third qrCode pattern: version 2, offline contingency. */
function offlinePattern(): RegExp {
  const xsd = readFileSync(join(dirname(schemaPath('nfe')), 'leiauteNFe_v4.00.xsd'), 'utf8');
  const start = xsd.indexOf('<xs:element name="qrCode">');
  const block = xsd.slice(start, xsd.indexOf('</xs:element>', start));
  const patterns = [...block.matchAll(/<xs:pattern value="([^"]+)"\/>/g)].map((m) => m[1]!);
  const offline = patterns.find((p) => p.includes('9[0-9]{9}'))!;
  return new RegExp(`^(?:${offline.replace(/&amp;/g, '&')})$`);
}

describe('an NFC-e in offline contingency (tpEmis 9, NT 2015.002)', () => {
  it('carries tpEmis 9, dhCont and xJust, keeps number and series, and its key says 9 at position 35', async () => {
    const online = await signed(tillSale());
    const offline = await signed(inContingency());
    expect(online.xml).toContain('<tpEmis>1</tpEmis>');
    expect(online.xml).not.toContain('<dhCont>');
    expect(offline.xml).toContain('<tpEmis>9</tpEmis>');
    expect(offline.xml).toContain(
      '<verProc>omnihub 0.1</verProc><dhCont>2026-11-05T22:30:00-03:00</dhCont>' +
        `<xJust>${UNREACHABLE_JUSTIFICATION}</xJust></ide>`,
    );
    expect(offline.xml).toContain('<dhEmi>2026-11-05T22:30:00-03:00</dhEmi>');
    expect(offline.accessKey[34]).toBe('9');
    const key = parseAccessKey(offline.accessKey);
    expect(key.ok && key.value).toMatchObject({ model: '65', series: 1, number: 502, emissionType: 9 });
    expect(offline.accessKey).not.toBe(online.accessKey);
    // Same number and series, same cNF: only tpEmis (and the month of emission) changes the key.
    expect(offline.accessKey.slice(20, 34)).toBe(online.accessKey.slice(20, 34));
    expect(offline.accessKey.slice(35, 43)).toBe(online.accessKey.slice(35, 43));
  });

  it('is schema-valid (xmllint) and its signature verifies (xmlsec1)', async () => {
    const offline = await signed(inContingency());
    await expectValidSigned(offline.xml, 'infNFe', 'nfe', certificate.certificatePem);
  });

  it('takes the offline QR code: day of dhEmi, vNF, digVal in hex, hashed with the CSC', async () => {
    const offline = await signed(inContingency());
    const digest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(offline.xml)![1]!;
    const digVal = Buffer.from(digest).toString('hex').toUpperCase();
    expect(digVal).toHaveLength(56);
    const payload = `${offline.accessKey}|2|2|05|307.72|${digVal}|1`;
    const hash = createHash('sha1')
      .update(payload + CSC)
      .digest('hex')
      .toUpperCase();
    expect(offline.supplement?.qrCode).toBe(`${SP_HOMOLOGATION_QR}?p=${payload}|${hash}`);
    expect(offline.supplement?.qrCode).toMatch(offlinePattern());
    expect(offline.xml).toContain(`<qrCode>${SP_HOMOLOGATION_QR}?p=${payload}|${hash}</qrCode>`);
  });

  it('refuses the offline QR code for an online key, and a malformed digest', async () => {
    const online = await signed(tillSale());
    const base = {
      environment: '2' as const,
      cscId: '1',
      csc: CSC,
      state: 'SP',
      issuedAtText: '2026-11-05T22:30:00-03:00',
      total: '307.72',
    };
    const wrongKey = qrCodeV2Offline({
      ...base,
      accessKey: online.accessKey,
      digestValue: `${'A'.repeat(27)}=`,
    });
    expect(!wrongKey.ok && wrongKey.failure.errors?.[0]?.message).toBe(
      'a emissão 1 não é contingência off-line (9)',
    );
    const offline = await signed(inContingency());
    const badDigest = qrCodeV2Offline({ ...base, accessKey: offline.accessKey, digestValue: 'abc' });
    expect(!badDigest.ok && badDigest.failure.errors?.map((e) => e.path)).toEqual(['digestValue']);
  });

  it('survives storage: the contingency comes back from JSON with its dates', () => {
    const doc = inContingency();
    expect(documentFromJson(documentToJson(doc))).toEqual(doc);
  });

  it('a justification shorter than 15 characters breaks the schema (xJust 15-256)', async () => {
    requireTool('xmllint');
    const result = await signAndValidate(
      { ...inContingency(), contingency: { emissionType: 9, since, justification: 'sem rede' } },
      material,
    );
    expect(result.ok).toBe(false);
  });
});

describe('the simulated SEFAZ and the contingency document', () => {
  it('authorises it hours after its emission (tpEmis 9 is exempt from rejection 704)', async () => {
    const offline = await signed(inContingency());
    const sefaz = createSefazSimulator({
      clock: () => new Date(since.getTime() + 20 * HOUR),
      validate: validateXml,
    });
    const answer = await sefaz.authorize(offline.xml);
    expect(answer).toMatchObject({ outcome: 'authorized', status: 100, accessKey: offline.accessKey });
  });

  it('played unreachable, throws at once on every service, like a refused connection', async () => {
    const sefaz = createSefazSimulator({ clock: () => since, validate: validateXml });
    const offline = await signed(inContingency());
    const store = createMemorySimulatorStore();
    await store.setAvailability(false, 'admin');
    const down = createSefazSimulator({ clock: () => since, validate: validateXml, store });
    const started = Date.now();
    await expect(down.authorize(offline.xml)).rejects.toThrow(/SEFAZ unreachable: NFeAutorizacao4/);
    await expect(down.consult(offline.accessKey)).rejects.toMatchObject({ name: 'SefazUnreachable' });
    await expect(down.registerEvent('<x/>')).rejects.toThrow(/NFeRecepcaoEvento4/);
    expect(Date.now() - started).toBeLessThan(500);
    await store.setAvailability(true, 'admin');
    expect((await down.authorize(offline.xml)).outcome).toBe('authorized');
    expect((await sefaz.consult(offline.accessKey)).outcome).toBe('not_found');
  });
});

describe('the receipt of a contingency NFC-e', () => {
  async function receipt(authorisation: { protocol: string; authorisedAt: Date } | null) {
    const doc = inContingency();
    const offline = await signed(doc);
    const computed = computeDocument(doc);
    if (!computed.ok) throw new Error('computed');
    return textOf(
      await renderNfceReceipt({
        document: doc,
        computed: computed.value,
        accessKey: offline.accessKey,
        authorisation,
        consultationUrl: offline.supplement!.urlChave,
        qrCode: offline.supplement!.qrCode,
      }),
    ).replace(/\n/g, ' ');
  }

  it('says EMITIDA EM CONTINGÊNCIA and Pendente de autorização until authorised, not "sem valor fiscal"', async () => {
    const text = await receipt(null);
    expect(text).toContain('EMITIDA EM CONTINGÊNCIA');
    expect(text).toContain('Pendente de autorização');
    expect(text).not.toContain('NÃO AUTORIZADA');
  });

  it('once authorised, keeps the contingency notice and prints the protocol', async () => {
    const text = await receipt({
      protocol: '135260000000042',
      authorisedAt: new Date(since.getTime() + HOUR),
    });
    expect(text).toContain('EMITIDA EM CONTINGÊNCIA');
    expect(text).not.toContain('Pendente de autorização');
    expect(text).toContain('Protocolo de autorização: 135260000000042');
  });
});

describe('the transmission deadline', () => {
  it('is 24 h; warns under 6 h left; overdue once past', () => {
    const deadline = new Date(since.getTime() + CONTINGENCY_DEADLINE_MS);
    expect(deadlineLevel(deadline, since)).toBe('ok');
    expect(deadlineLevel(deadline, new Date(since.getTime() + 18 * HOUR - 1))).toBe('ok');
    expect(deadlineLevel(deadline, new Date(since.getTime() + 18 * HOUR + 1))).toBe('warning');
    expect(deadlineLevel(deadline, deadline)).toBe('overdue');
  });
});
