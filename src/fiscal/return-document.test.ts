import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned } from '../../test/fiscal-tools.ts';
import { computeDocument } from './domain.ts';
import { defaultOperations } from './operations.ts';
import { type ReturnDocumentInput, returnDocument } from './return-document.ts';
import { type A1Certificate, buildNfeXml, generateTestCertificate, signFiscalXml } from './xml/index.ts';

const saoPaulo = {
  street: 'Avenida Paulista',
  number: '1578',
  district: 'Bela Vista',
  city: 'São Paulo',
  cityCode: '3550308',
  state: 'SP',
  postalCode: '01310200',
};

const NFCE_KEY = '35261245997418000153650010000000421234567890';

const input = (over: Partial<ReturnDocumentInput> = {}): ReturnDocumentInput => ({
  environment: '2',
  series: 1,
  number: 7,
  numericCode: '12345678',
  issuedAt: new Date('2026-12-06T12:00:00Z'),
  operationConfig: defaultOperations.customer_return,
  emitter: {
    cnpj: '45997418000153',
    legalName: 'Demo Comércio de Vestuário Paulista Ltda.',
    name: 'Loja 11',
    stateRegistration: '110042490114',
    address: saoPaulo,
  },
  tax: { taxRegime: 1, icmsRateIntrastate: null, icmsRateInterstate: null },
  customer: {
    name: 'Maria Silva',
    document: '529.982.247-25',
    email: 'maria@example.com',
    phone: '(11) 99999-0000',
    address: { ...saoPaulo, street: 'Rua Augusta', number: '1200' },
  },
  lines: [
    {
      sku: 'CAL-002',
      description: 'Calça jeans',
      quantity: 1,
      unitPrice: '199.90',
      discount: '10.00',
      product: { ean: '7896012010921', ncm: '62034200', unit: 'UN' },
    },
  ],
  originalKey: NFCE_KEY,
  note: 'Devolução do pedido 42, motivo 01 — Produto com defeito',
  ...over,
});

describe('the NF-e de entrada of a customer’s return', () => {
  let certificate: A1Certificate;
  beforeAll(() => {
    ({ certificate } = generateTestCertificate({
      legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
      cnpj: '45997418000153',
      password: 'senha-da-loja-11',
    }));
  });

  it('is an entry (tpNF 0) of finality 4 referencing the sale, CFOP 1202, tPag 90, in person: schema-valid and signed', async () => {
    const doc = returnDocument(input());
    if (!doc.ok) throw new Error(doc.failure.detail);
    const built = buildNfeXml(doc.value);
    if (!built.ok) throw new Error(built.failure.detail);
    const { xml } = built.value;
    for (const part of [
      '<mod>55</mod>',
      '<tpNF>0</tpNF>',
      '<idDest>1</idDest>',
      '<finNFe>4</finNFe>',
      '<indFinal>1</indFinal>',
      '<indPres>1</indPres>',
      `<NFref><refNFe>${NFCE_KEY}</refNFe></NFref>`,
      '<CFOP>1202</CFOP>',
      '<vUnCom>199.90</vUnCom>',
      '<vDesc>10.00</vDesc>',
      '<CPF>52998224725</CPF>',
      '<modFrete>9</modFrete>',
      '<detPag><tPag>90</tPag><vPag>0.00</vPag></detPag>',
      '<vNF>189.90</vNF>',
    ])
      expect(xml).toContain(part);
    expect(xml).not.toContain('<indIntermed>');
    await expectValidSigned(
      signFiscalXml(xml, certificate, 'infNFe'),
      'infNFe',
      'nfe',
      certificate.certificatePem,
    );
  });

  it('takes 2202 and idDest 2 when the customer lives in another UF', async () => {
    const doc = returnDocument(
      input({
        customer: {
          ...input().customer,
          address: {
            ...saoPaulo,
            city: 'Curitiba',
            cityCode: '4106902',
            state: 'PR',
            postalCode: '80060000',
          },
        },
      }),
    );
    if (!doc.ok) throw new Error(doc.failure.detail);
    const built = buildNfeXml(doc.value);
    if (!built.ok) throw new Error(built.failure.detail);
    expect(built.value.xml).toContain('<CFOP>2202</CFOP>');
    expect(built.value.xml).toContain('<idDest>2</idDest>');
    await expectValidSigned(
      signFiscalXml(built.value.xml, certificate, 'infNFe'),
      'infNFe',
      'nfe',
      certificate.certificatePem,
    );
  });

  it('names every missing field: the customer’s address, a malformed original key', () => {
    const doc = returnDocument(
      input({ customer: { ...input().customer, address: null }, originalKey: '123' }),
    );
    expect(doc.ok).toBe(false);
    if (doc.ok) return;
    expect(doc.failure.errors?.map((e) => e.path)).toEqual(['/recipient/address', '/referencedKeys/0']);
  });

  it('is refused without the document it returns (rejection 321)', () => {
    const doc = returnDocument(input());
    if (!doc.ok) throw new Error(doc.failure.detail);
    const computed = computeDocument({ ...doc.value, referencedKeys: [] });
    expect(computed.ok).toBe(false);
  });
});
