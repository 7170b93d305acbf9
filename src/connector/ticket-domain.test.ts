import { describe, expect, it } from 'vitest';
import {
  consumptionCsv,
  MASK,
  maskDigits,
  maskEmail,
  maskFreeText,
  maskPayload,
  maskUrl,
} from './ticket-domain.ts';

describe('masking personal data in the screens', () => {
  it('keeps the last two digits of documents, with their punctuation', () => {
    expect(maskDigits('123.456.789-01')).toBe('***.***.***-01');
    expect(maskDigits('12345678000190')).toBe('************90');
  });

  it('keeps the first letters and the top-level domain of e-mails', () => {
    expect(maskEmail('joao.silva@dominio.com.br')).toBe('j***@d***.com.br');
    expect(maskEmail('a@b.com')).toBe('a***@b***.com');
    expect(maskEmail('@nobody')).toBe(MASK);
  });

  it('finds CPFs, CNPJs, e-mails and phones in free text, and leaves dates, ids and access keys alone', () => {
    const text =
      'CPF 123.456.789-01, CNPJ 12.345.678/0001-90, doc 12345678901, fone (11) 98765-4321, ' +
      '+5511987654321, mail maria@loja.com, em 2026-03-10T12:00:00Z, pedido 00000000-0000-4000-8000-000000000001, ' +
      'chave 35260312345678000190550010000000011000000019';
    const masked = maskFreeText(text);
    expect(masked).toContain('***.***.***-01');
    expect(masked).toContain('**.***.***/****-90');
    expect(masked).toContain('doc *********01');
    expect(masked).toContain('(**) *****-**21');
    expect(masked).toContain('+***********21');
    expect(masked).toContain('m***@l***.com');
    expect(masked).toContain('2026-03-10T12:00:00Z');
    expect(masked).toContain('00000000-0000-4000-8000-000000000001');
    expect(masked).toContain('35260312345678000190550010000000011000000019');
  });

  it('masks the values of personal keys in JSON and hides credentials entirely', () => {
    const payload = JSON.stringify({
      orderId: 'v123-01',
      appToken: 'very-secret',
      headers: { Authorization: 'Bearer abc.def' },
      clientProfileData: {
        firstName: 'Maria',
        lastName: 'da Silva',
        email: 'maria@loja.com.br',
        document: '123.456.789-01',
        phone: '+5511987654321',
      },
      shippingData: {
        address: { street: 'Rua das Flores', number: 120, complement: 'ap 3', postalCode: '01310-100' },
      },
      items: [{ name: 'Camiseta', quantity: 2 }],
      note: 'ligar para 11987654321',
    });
    const masked = JSON.parse(maskPayload(payload)!);
    expect(masked.orderId).toBe('v123-01');
    expect(masked.appToken).toBe(MASK);
    expect(masked.headers.Authorization).toBe(MASK);
    expect(masked.clientProfileData).toEqual({
      firstName: 'M***',
      lastName: 'd*** S***',
      email: 'm***@l***.com.br',
      document: '***.***.***-01',
      phone: '+***********21',
    });
    expect(masked.shippingData.address).toEqual({
      street: 'R*** d*** F***',
      number: MASK,
      complement: 'a*** 3***',
      postalCode: '*****-*00',
    });
    expect(masked.items[0]).toEqual({ name: 'C***', quantity: 2 });
    expect(masked.note).toBe('ligar para *********21');
  });

  it('masks XML elements, credentials in headers and query strings, and payloads cut at the cap', () => {
    const xml = '<dest><CPF>12345678901</CPF><xNome>Maria Souza</xNome><email>m@x.com</email></dest>';
    expect(maskPayload(xml)).toBe(
      '<dest><CPF>*********01</CPF><xNome>M*** S***</xNome><email>m***@x***.com</email></dest>',
    );
    expect(maskPayload('Authorization: Bearer abc\nX-VTEX-API-AppToken: xyz')).toBe(
      `Authorization: ${MASK}\nX-VTEX-API-AppToken: ${MASK}`,
    );
    expect(maskPayload('{"email": "maria@loja.com", "na')).toBe('{"email": "m***@l***.com", "na');
    expect(maskUrl('https://x.vtexcommercestable.com.br/api?appToken=abc&page=2')).toBe(
      `https://x.vtexcommercestable.com.br/api?appToken=${MASK}&page=2`,
    );
    expect(maskPayload(null)).toBeNull();
  });
});

describe('the consumption CSV', () => {
  it('follows the audit export: BOM, header, commas, CRLF, formulas neutralised', () => {
    const csv = consumptionCsv([
      {
        day: '2026-03-10',
        system: 'vtex',
        method: '=GET /orders, "x"',
        calls: 3,
        succeeded: 2,
        failed: 1,
        p95LatencyMs: 190,
        bytesIn: 10,
        bytesOut: 20,
      },
    ]);
    expect(csv).toBe(
      '\uFEFFday,system,method,calls,succeeded,failed,p95_latency_ms,bytes_in,bytes_out\r\n' +
        `2026-03-10,vtex,"'=GET /orders, ""x""",3,2,1,190,10,20\r\n`,
    );
  });
});
