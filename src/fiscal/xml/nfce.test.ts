import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned } from '../../../test/fiscal-tools.ts';
import { textOf } from '../../../test/pdf.ts';
import { type FiscalDocument, stateCodes } from '../domain.ts';
import { shipFromStoreToCuritiba, trousers, tShirt } from '../fixtures.test-support.ts';
import { formatAccessKey } from '../printing/danfe-layout.ts';
import { renderNfceReceipt } from '../printing/danfe-nfce.ts';
import { buildAccessKey } from './access-key.ts';
import { type A1Certificate, generateTestCertificate } from './certificate.ts';
import {
  checkNfceDocument,
  type NfceEnvironment,
  nfceAddresses,
  nfceStates,
  qrCodeV2Online,
  withSupplement,
} from './nfce.ts';
import { buildNfeXml } from './nfe-xml.ts';
import { signInfNFe, verifySignature } from './signature.ts';
import { schemaPath, validateXml } from './xsd.ts';

const SP_HOMOLOGATION_QR =
  'https://www.homologacao.nfce.fazenda.sp.gov.br/NFCeConsultaPublica/Paginas/ConsultaQRCode.aspx';
const SP_HOMOLOGATION_KEY_PAGE = 'https://www.homologacao.nfce.fazenda.sp.gov.br/NFCeConsultaPublica';

/**
 * A consumer buys at store 11's till in São Paulo: in person, within the state, identified by CPF only,
 * paying part by PIX and part by credit card. 2 × 59.90 − 11.98 + 199.90 = 307.72.
 */
function consumerSaleAtStore11(overrides: Partial<FiscalDocument> = {}): FiscalDocument {
  return shipFromStoreToCuritiba({
    model: '65',
    number: 501,
    numericCode: '28461937',
    destination: '1',
    presence: '1',
    finalConsumer: true,
    recipient: {
      document: { kind: 'cpf', number: '39053344705' },
      name: '',
      stateRegistrationIndicator: '9',
    },
    items: [tShirt('5102'), trousers('5102')],
    freight: { mode: '9', amount: 0n },
    payments: [
      { method: '17', amount: 10000n },
      { method: '03', amount: 20772n, card: { integration: '2', brand: '01', authorization: '842913' } },
    ],
    ...overrides,
  });
}

/** The key `buildNfeXml` gives the sale above (checked in the chain test below). */
const SALE_KEY = '35261145997418000153650010000005011284619370';
/** Not a real CSC: 32 alphanumerics, the usual length SEFAZ hands out. */
const CSC = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

function build(doc: FiscalDocument) {
  const built = buildNfeXml(doc);
  if (!built.ok) throw new Error(JSON.stringify(built.failure));
  return built.value;
}

function supplement(input: Partial<Parameters<typeof qrCodeV2Online>[0]> = {}) {
  const result = qrCodeV2Online({
    accessKey: SALE_KEY,
    environment: '2',
    cscId: '000001',
    csc: CSC,
    state: 'SP',
    ...input,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.failure));
  return result.value;
}

/** The restrictions nfe_v4.00.xsd puts on TNFe/infNFeSupl/qrCode, read from the vendored schema. */
function qrCodeFacets() {
  const xsd = readFileSync(join(dirname(schemaPath('nfe')), 'leiauteNFe_v4.00.xsd'), 'utf8');
  const start = xsd.indexOf('<xs:element name="qrCode">');
  const block = xsd.slice(start, xsd.indexOf('</xs:element>', start));
  const facet = (name: string) => Number(new RegExp(`<xs:${name} value="(\\d+)"/>`).exec(block)![1]);
  // XSD patterns match the whole value: anchor them for JavaScript.
  const patterns = [...block.matchAll(/<xs:pattern value="([^"]+)"\/>/g)].map(
    (m) => new RegExp(`^(?:${m[1]!.replace(/&amp;/g, '&')})$`),
  );
  return { minLength: facet('minLength'), maxLength: facet('maxLength'), patterns };
}

describe('QR code version 2, online emission (NT 2015.002)', () => {
  it('hashes "<chave>|2|<tpAmb>|<cIdToken>" followed by the CSC with SHA-1, in uppercase hex', () => {
    const { qrCode, urlChave } = supplement();
    // The formula, worked by hand: cIdToken '000001' is written as the integer 1.
    const payload = `${SALE_KEY}|2|2|1`;
    const hash = createHash('sha1')
      .update(payload + CSC)
      .digest('hex')
      .toUpperCase();
    expect(qrCode).toBe(`${SP_HOMOLOGATION_QR}?p=${payload}|${hash}`);
    expect(urlChave).toBe(SP_HOMOLOGATION_KEY_PAGE);
    // The same value from coreutils: printf '%s%s' '<payload>' '<CSC>' | sha1sum
    expect(hash).toBe('54D5EA0A1C52316A7D7CA686E0FD4AA9F38BFC6D');
  });

  it('writes the CSC id without leading zeros, in the content and in the hash (production vector)', () => {
    const csc = 'G8063VRTNDMO886SFNK5LDUDEI24XJ22YIPO';
    const { qrCode, urlChave } = supplement({ environment: '1', cscId: '000007', csc });
    expect(qrCode).toBe(
      'https://www.nfce.fazenda.sp.gov.br/NFCeConsultaPublica/Paginas/ConsultaQRCode.aspx' +
        `?p=${SALE_KEY}|2|1|7|72E00A0A74FF8B24840C5D803801118F03940F15`,
    );
    expect(urlChave).toBe('https://www.nfce.fazenda.sp.gov.br/NFCeConsultaPublica');
  });

  it('refuses a malformed CSC or CSC id without repeating the CSC', () => {
    for (const [csc, cscId, paths] of [
      ['0123456789ABCDE', '1', ['csc']],
      [`${CSC}01234`, '1', ['csc']],
      ['0123456789ABCDE-', '1', ['csc']],
      [CSC, '1234567', ['cscId']],
      [CSC, '', ['cscId']],
      [CSC, '1a', ['cscId']],
      ['short', 'x', ['csc', 'cscId']],
    ] as const) {
      const result = qrCodeV2Online({ accessKey: SALE_KEY, environment: '2', cscId, csc, state: 'SP' });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.failure).toMatchObject({ kind: 'invalid', code: 'FISCAL.CSC_INVALID' });
      expect(result.failure.errors?.map((e) => e.path)).toEqual(paths);
      expect(JSON.stringify(result.failure)).not.toContain(csc);
    }
  });

  it('refuses a key that is not an online NFC-e of the given state', () => {
    const key = (parts: Partial<Parameters<typeof buildAccessKey>[0]>) => {
      const built = buildAccessKey({
        stateCode: '35',
        yearMonth: '2611',
        cnpj: '45997418000153',
        model: '65',
        series: 1,
        number: 501,
        emissionType: 1,
        numericCode: '28461937',
        ...parts,
      });
      if (!built.ok) throw new Error(built.failure.detail);
      return built.value;
    };
    const messageFor = (accessKey: string, state = 'SP') => {
      const result = qrCodeV2Online({ accessKey, environment: '2', cscId: '1', csc: CSC, state });
      return !result.ok && [result.failure.code, result.failure.errors?.[0]?.message];
    };
    expect(messageFor(key({ model: '55' }))).toEqual([
      'FISCAL.ACCESS_KEY_INVALID',
      'a chave não é de uma NFC-e (modelo 65)',
    ]);
    expect(messageFor(key({ emissionType: 9 }))).toEqual([
      'FISCAL.ACCESS_KEY_INVALID',
      'a emissão 9 não é online',
    ]);
    expect(messageFor(SALE_KEY, 'PR')).toEqual(['FISCAL.ACCESS_KEY_INVALID', 'a chave não é da UF PR']);
    expect(messageFor(`${SALE_KEY.slice(0, 43)}1`)).toEqual([
      'FISCAL.ACCESS_KEY_INVALID',
      'dígito verificador incorreto',
    ]);
    // A state without addresses in the table is refused by name, not sent to a wrong portal.
    const bahia = qrCodeV2Online({
      accessKey: key({ stateCode: stateCodes.BA }),
      environment: '1',
      cscId: '1',
      csc: CSC,
      state: 'BA',
    });
    expect(!bahia.ok && bahia.failure).toMatchObject({
      code: 'FISCAL.NFCE_STATE_UNSUPPORTED',
      data: { state: 'BA' },
    });
  });

  it('knows both environments of SP, PR, SC, RS, MG and RJ, with addresses the layout accepts', () => {
    expect([...nfceStates].sort()).toEqual(['MG', 'PR', 'RJ', 'RS', 'SC', 'SP']);
    for (const state of nfceStates)
      for (const environment of ['1', '2'] as const) {
        const found = nfceAddresses(state, environment);
        if (!found.ok) throw new Error(found.failure.detail);
        expect(found.value.qrCode).toMatch(/^https?:\/\/[^?&\s]+$/);
        // urlChave is a TString of 21 to 85 characters.
        expect(found.value.urlChave).toMatch(/^https?:\/\/[!-ÿ]+$/);
        expect(found.value.urlChave.length).toBeGreaterThanOrEqual(21);
        expect(found.value.urlChave.length).toBeLessThanOrEqual(85);
      }
    expect(nfceAddresses('SP', '2')).toEqual({
      ok: true,
      value: { qrCode: SP_HOMOLOGATION_QR, urlChave: SP_HOMOLOGATION_KEY_PAGE },
    });
  });

  it("always matches the schema's qrCode pattern and length, for any key, CSC and state", () => {
    const { minLength, maxLength, patterns } = qrCodeFacets();
    expect(patterns).toHaveLength(5);
    const alphanumeric = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    fc.assert(
      fc.property(
        fc.record({
          state: fc.constantFrom(...nfceStates),
          yearMonth: fc.stringMatching(/^[0-9]{2}(0[1-9]|1[0-2])$/),
          cnpj: fc.stringMatching(/^[0-9]{14}$/),
          series: fc.integer({ min: 0, max: 999 }),
          number: fc.integer({ min: 1, max: 999_999_999 }),
          emissionType: fc.constantFrom(1, 3, 4),
          numericCode: fc.stringMatching(/^[0-9]{8}$/),
          environment: fc.constantFrom<NfceEnvironment>('1', '2'),
          cscId: fc.stringMatching(/^[0-9]{1,6}$/),
          csc: fc.string({ unit: alphanumeric, minLength: 16, maxLength: 36 }),
        }),
        ({ state, environment, cscId, csc, ...parts }) => {
          const key = buildAccessKey({ ...parts, stateCode: stateCodes[state], model: '65' });
          if (!key.ok) throw new Error(key.failure.detail);
          const result = qrCodeV2Online({ accessKey: key.value, environment, cscId, csc, state });
          if (!result.ok) throw new Error(JSON.stringify(result.failure));
          const { qrCode } = result.value;
          expect(patterns.some((p) => p.test(qrCode))).toBe(true);
          // The version 2 online pattern in particular (the schema's second).
          expect(patterns[1]!.test(qrCode)).toBe(true);
          expect(qrCode.length).toBeGreaterThanOrEqual(minLength);
          expect(qrCode.length).toBeLessThanOrEqual(maxLength);
          expect(qrCode).not.toMatch(/[&<>"'\s]/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('withSupplement', () => {
  it('puts infNFeSupl right after </infNFe>, before a Signature already there', () => {
    const xml = '<NFe><infNFe Id="NFe1"><ide/></infNFe><Signature/></NFe>';
    expect(withSupplement(xml, { qrCode: 'https://x/q?p=1|2', urlChave: 'https://x/c' })).toBe(
      '<NFe><infNFe Id="NFe1"><ide/></infNFe>' +
        '<infNFeSupl><qrCode>https://x/q?p=1|2</qrCode><urlChave>https://x/c</urlChave></infNFeSupl>' +
        '<Signature/></NFe>',
    );
  });

  it('throws on a document without infNFe or with a supplement already (a caller bug)', () => {
    const s = { qrCode: 'q', urlChave: 'u' };
    expect(() => withSupplement('<NFe/>', s)).toThrow(/infNFe/);
    expect(() => withSupplement(withSupplement('<NFe><infNFe></infNFe></NFe>', s), s)).toThrow(/already/);
  });
});

describe('checkNfceDocument', () => {
  it('accepts the consumer sale at the till, identified or not', () => {
    expect(checkNfceDocument(consumerSaleAtStore11())).toEqual({ ok: true, value: undefined });
    expect(checkNfceDocument(consumerSaleAtStore11({ recipient: undefined })).ok).toBe(true);
  });

  it('names what model 65 refuses: not final consumer, not in person, interstate, card without data', () => {
    const result = checkNfceDocument(
      consumerSaleAtStore11({
        finalConsumer: false,
        presence: '2',
        destination: '2',
        payments: [{ method: '04', amount: 30772n }],
      }),
    );
    expect(!result.ok && result.failure.errors?.map((e) => e.path)).toEqual([
      'finalConsumer',
      'presence',
      'destination',
      'payments/0/card',
    ]);
  });
});

describe('a complete NFC-e, as SEFAZ receives it', () => {
  let certificate: A1Certificate;
  beforeAll(() => {
    ({ certificate } = generateTestCertificate({
      legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
      cnpj: '45997418000153',
      password: 'senha-da-loja-11',
    }));
  });

  it('built, signed, supplemented: schema-valid, verified by us and by xmlsec1', async () => {
    const built = build(consumerSaleAtStore11());
    expect(built.accessKey).toBe(SALE_KEY);
    expect(built.xml).toContain('<mod>65</mod>');
    expect(built.xml).toContain('<tpImp>4</tpImp>');
    expect(built.xml).toContain('<dest><CPF>39053344705</CPF>');
    const nfce = withSupplement(signInfNFe(built.xml, certificate), supplement());
    expect(nfce).toMatch(
      /<\/infNFe><infNFeSupl><qrCode>[^<]+<\/qrCode><urlChave>[^<]+<\/urlChave><\/infNFeSupl><Signature /,
    );

    expect(verifySignature(nfce)).toMatchObject({ ok: true, value: { id: `NFe${SALE_KEY}` } });
    await expectValidSigned(nfce, 'infNFe', 'nfe', certificate.certificatePem);
  });

  it('an unidentified consumer paying by PIX is valid too', async () => {
    const built = build(
      consumerSaleAtStore11({ recipient: undefined, payments: [{ method: '17', amount: 30772n }] }),
    );
    expect(built.xml).not.toContain('<dest>');
    const nfce = withSupplement(
      signInfNFe(built.xml, certificate),
      supplement({ accessKey: built.accessKey }),
    );
    expect(await validateXml(nfce, 'nfe')).toEqual({ ok: true, value: undefined });
  });

  it('is refused by the schema when signed after the supplement: the Signature would come first', async () => {
    const built = build(consumerSaleAtStore11());
    const wrongOrder = signInfNFe(withSupplement(built.xml, supplement()), certificate);
    const result = await validateXml(wrongOrder, 'nfe');
    expect(!result.ok && result.failure.errors?.map((e) => e.path)).toEqual(['infNFeSupl']);
  });
});

describe('DANFE NFC-e with the QR code', () => {
  it('renders the receipt with the consultation page, the key and the QR code content', async () => {
    const doc = consumerSaleAtStore11();
    const built = build(doc);
    const { qrCode, urlChave } = supplement();
    const pdf = await renderNfceReceipt({
      document: doc,
      computed: built.computed,
      accessKey: built.accessKey,
      authorisation: null,
      consultationUrl: urlChave,
      qrCode,
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The narrow roll wraps the long address: read the lines as one.
    const text = textOf(pdf).replace(/\n/g, '');
    expect(text).toContain(urlChave);
    expect(text).toContain(formatAccessKey(SALE_KEY));
    expect(text).toContain('CONSUMIDOR CPF: 390.533.447-05');
  });
});
