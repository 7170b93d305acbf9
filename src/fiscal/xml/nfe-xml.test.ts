import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../../test/fiscal-tools.ts';
import { arbitraryDocument, saleWithinSaoPaulo, shipFromStoreToCuritiba } from '../fixtures.test-support.ts';
import { parseAccessKey } from './access-key.ts';
import { type A1Certificate, generateTestCertificate } from './certificate.ts';
import {
  brasiliaDateTime,
  buildNfeXml,
  escapeXml,
  HOMOLOGATION_FIRST_ITEM,
  HOMOLOGATION_RECIPIENT_NAME,
  toLayoutText,
} from './nfe-xml.ts';
import { signInfNFe } from './signature.ts';
import { parseXmllintErrors, validateXml } from './xsd.ts';

/**
 * nfe_v4.00.xsd requires the enveloped `<Signature>` after `</infNFe>`: every document validated here is
 * signed for real, with one test certificate for the file (RSA key generation is the slow part).
 */
let certificate: A1Certificate | undefined;
const signed = (xml: string) => {
  certificate ??= generateTestCertificate({
    legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
    cnpj: '45997418000153',
    password: 'teste',
  }).certificate;
  return signInfNFe(xml, certificate);
};

function build(doc = shipFromStoreToCuritiba()) {
  const built = buildNfeXml(doc);
  if (!built.ok) throw new Error(JSON.stringify(built.failure));
  return built.value;
}

const elementText = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);

describe('NF-e 4.00 XML', () => {
  it('builds the ship-from-store sale to Curitiba: interstate, CFOP 6108, key in the Id', () => {
    const { xml, accessKey } = build();
    expect(
      xml.startsWith(
        `<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe versao="4.00" Id="NFe${accessKey}">`,
      ),
    ).toBe(true);
    const key = parseAccessKey(accessKey);
    expect(key.ok && key.value).toMatchObject({
      stateCode: '35',
      yearMonth: '2611',
      cnpj: '45997418000153',
      model: '55',
      series: 1,
      number: 1042,
      emissionType: 1,
      numericCode: '73920518',
    });
    expect(elementText(xml, 'cDV')).toEqual([accessKey.slice(43)]);
    expect(elementText(xml, 'idDest')).toEqual(['2']);
    expect(elementText(xml, 'CFOP')).toEqual(['6108', '6108']);
    expect(elementText(xml, 'dhEmi')).toEqual(['2026-11-23T12:30:00-03:00']);
    expect(elementText(xml, 'vNF')).toEqual(['332.72']);
    expect(elementText(xml, 'vFrete')).toEqual(['8.76', '16.24', '25.00']);
    expect(elementText(xml, 'vPag')).toEqual(['300.00', '32.72']);
    expect(elementText(xml, 'cEAN')).toEqual(['7896012010013', '7896012010921']);
    expect(xml).not.toMatch(/>\s+</);
  });

  it('puts the groups of infNFe in the order of the layout', () => {
    const { xml } = build();
    const order = [
      '<ide>',
      '<emit>',
      '<dest>',
      '<det nItem="1">',
      '<det nItem="2">',
      '<total>',
      '<transp>',
      '<pag>',
      '<infAdic>',
    ];
    const positions = order.map((t) => xml.indexOf(t));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('names the recipient as the homologação rule requires, and only in homologação', () => {
    expect(elementText(build().xml, 'xNome')[1]).toBe(HOMOLOGATION_RECIPIENT_NAME);
    const production = build(shipFromStoreToCuritiba({ environment: '1' })).xml;
    expect(elementText(production, 'xNome')[1]).toBe('Ana Souza');
    const nfce = build(shipFromStoreToCuritiba({ model: '65' })).xml;
    expect(elementText(nfce, 'xProd')).toEqual([HOMOLOGATION_FIRST_ITEM, 'Calça chino algodão bege 40']);
  });

  it('escapes markup in text and keeps it to the Latin-1 the layout accepts', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(toLayoutText('  Loja 11 — São Paulo\n“Centro”  🙂 ')).toBe(`Loja 11 - São Paulo "Centro"`);
    const { xml } = build(
      shipFromStoreToCuritiba({ environment: '1', recipient: saleWithinSaoPaulo().recipient }),
    );
    expect(xml).toContain('<xNome>Bruno Lima &amp; Filhos &lt;loja&gt;</xNome>');
    expect(xml).toContain('<xFant>Loja 11 - São Paulo</xFant>');
  });

  it('writes São Paulo times with the fixed -03:00 offset', () => {
    expect(brasiliaDateTime(new Date('2026-01-01T02:59:59Z'))).toBe('2025-12-31T23:59:59-03:00');
  });

  it('passes on the failures of the arithmetic and of the key', () => {
    const unpaid = buildNfeXml(shipFromStoreToCuritiba({ payments: [{ method: '17', amount: 1n }] }));
    expect(!unpaid.ok && unpaid.failure.code).toBe('FISCAL.DOCUMENT_INVALID');
    const badCode = buildNfeXml(shipFromStoreToCuritiba({ numericCode: '123' }));
    expect(!badCode.ok && badCode.failure.code).toBe('FISCAL.ACCESS_KEY_INVALID');
  });
});

describe('xmllint messages', () => {
  it('name the element, or the element and attribute', () => {
    const stderr = [
      "-:1: element CFOP: Schemas validity error : Element '{http://www.portalfiscal.inf.br/nfe}CFOP': [facet 'pattern'] The value '51' is not accepted by the pattern '[1,2,3,5,6,7]{1}[0-9]{3}'.",
      "-:1: element infNFe: Schemas validity error : Element '{http://www.portalfiscal.inf.br/nfe}infNFe', attribute 'Id': [facet 'pattern'] The value 'NFe1' is not accepted.",
      '-:1: parser error : Opening and ending tag mismatch: a line 1 and b',
      '- fails to validate',
    ].join('\n');
    expect(parseXmllintErrors(stderr)).toEqual([
      {
        path: 'CFOP',
        message:
          "[facet 'pattern'] The value '51' is not accepted by the pattern '[1,2,3,5,6,7]{1}[0-9]{3}'.",
      },
      { path: 'infNFe/@Id', message: "[facet 'pattern'] The value 'NFe1' is not accepted." },
      { path: '(line 1)', message: 'Opening and ending tag mismatch: a line 1 and b' },
    ]);
  });
});

describe('official XSD (xmllint, PL_010b nfe_v4.00.xsd)', () => {
  beforeAll(() => {
    requireTool('xmllint');
  });

  const validate = async (doc: Parameters<typeof buildNfeXml>[0]) => {
    return validateXml(signed(build(doc).xml), 'nfe');
  };

  it('accepts the interstate ship-from-store sale (Simples Nacional, CSOSN 102, PIS/COFINS 49)', async () => {
    expect(await validate(shipFromStoreToCuritiba())).toEqual({ ok: true, value: undefined });
  });

  it('accepts the sale within São Paulo (regime normal, ICMS 00, PIS/COFINS 01, change given)', async () => {
    expect(await validate(saleWithinSaoPaulo())).toEqual({ ok: true, value: undefined });
  });

  it('accepts an NFC-e (model 65) body', async () => {
    expect(
      await validate(
        shipFromStoreToCuritiba({ model: '65', presence: '1', recipient: undefined, destination: '1' }),
      ),
    ).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('accepts every random document the builder produces', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryDocument, async (doc) => {
        const result = await validate(doc);
        if (!result.ok) throw new Error(JSON.stringify(result.failure.errors));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a document with CFOP 51 with FISCAL.SCHEMA_INVALID naming CFOP', async () => {
    const doc = shipFromStoreToCuritiba();
    const result = await validate({ ...doc, items: [{ ...doc.items[0]!, cfop: '51' }, doc.items[1]!] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure).toMatchObject({ kind: 'invalid', code: 'FISCAL.SCHEMA_INVALID' });
    expect(result.failure.errors).toEqual([
      { path: 'CFOP', code: 'FISCAL.SCHEMA_INVALID', message: expect.stringContaining("'51'") },
    ]);
    expect(result.failure.detail).toContain('CFOP');
  });

  it('refuses the unsigned document: the layout requires the Signature', async () => {
    const { xml } = build();
    const result = await validateXml(xml, 'nfe');
    expect(!result.ok && result.failure.errors?.[0]?.message).toMatch(/Signature/);
  });

  it('reports a document that is not well-formed XML as invalid, not as a fault', async () => {
    const result = await validateXml('<NFe><infNFe></NFe>', 'nfe');
    expect(!result.ok && result.failure.code).toBe('FISCAL.SCHEMA_INVALID');
  });
});
