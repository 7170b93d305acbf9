import bwipjs from 'bwip-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mediaBoxes, pageCount, textOf } from '../../../test/pdf.ts';
import { formatCnpj, formatCpf, formatDate, formatMoney, formatTime } from '../../platform/format-br.ts';
import { type FiscalDocument, installmentsOf } from '../domain.ts';
import { saleWithinSaoPaulo, shipFromStoreToCuritiba, trousers } from '../fixtures.test-support.ts';
import { buildNfeXml } from '../xml/nfe-xml.ts';
import { renderDanfe } from './danfe.ts';
import {
  formatAccessKey,
  formatDocumentNumber,
  formatPercent,
  paginateRows,
  wrapText,
} from './danfe-layout.ts';
import { renderNfceReceipt } from './danfe-nfce.ts';

function built(doc: FiscalDocument) {
  const result = buildNfeXml(doc);
  if (!result.ok) throw new Error(result.failure.detail);
  return { document: doc, computed: result.value.computed, accessKey: result.value.accessKey };
}

const authorisation = { protocol: '135260000012345', authorisedAt: new Date('2026-11-23T15:31:07Z') };

describe('DANFE formatters', () => {
  it('groups the access key in elevens fours', () => {
    const key = '35261145997418000153550010000010421739205180';
    expect(formatAccessKey(key)).toBe('3526 1145 9974 1800 0153 5500 1000 0010 4217 3920 5180');
  });

  it('writes money, numbers, documents and Brasília dates the Brazilian way', () => {
    expect(formatMoney(123456789n)).toBe('1.234.567,89');
    expect(formatMoney(5n)).toBe('0,05');
    expect(formatMoney(-100000n)).toBe('-1.000,00');
    expect(formatDocumentNumber(1042)).toBe('000.001.042');
    expect(formatCnpj('45997418000153')).toBe('45.997.418/0001-53');
    expect(formatCpf('52998224725')).toBe('529.982.247-25');
    expect(formatPercent('18')).toBe('18,00');
    expect(formatPercent('7.6000')).toBe('7,60');
    // 01:30 UTC is still the previous day in São Paulo.
    expect(formatDate(new Date('2026-11-24T01:30:00Z'))).toBe('23/11/2026');
    expect(formatTime(new Date('2026-11-24T01:30:00Z'))).toBe('22:30:00');
  });

  it('money keeps every digit of the cents', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (cents) => {
        const text = formatMoney(cents);
        expect(BigInt(text.replace(/\./g, '').replace(',', ''))).toBe(cents);
        expect(text).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}$/);
      }),
    );
  });

  it('wraps without losing words and keeps lines within the width', () => {
    const measure = (s: string) => s.length;
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,30}$/), { maxLength: 20 }), (words) => {
        const lines = wrapText(words.join(' '), 12, measure);
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(12);
        expect(lines.join('').replace(/ /g, '')).toBe(words.join(''));
      }),
    );
  });

  it('puts every row on exactly one page, in order, within the room', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 80 }), (heights) => {
        const pages = paginateRows(heights, 100, 200);
        expect(pages.flat()).toEqual(heights.map((_, i) => i));
        pages.forEach((rows, p) => {
          const used = rows.reduce((a, i) => a + heights[i]!, 0);
          expect(used).toBeLessThanOrEqual(p === 0 ? 100 : 200);
        });
      }),
    );
  });
});

describe('renderDanfe', () => {
  it('prints an authorised NF-e with its key, emitter, protocol and totals', async () => {
    const input = built(shipFromStoreToCuritiba({ environment: '1' }));
    const pdf = await renderDanfe({ ...input, authorisation });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(1);
    const text = textOf(pdf);
    expect(text).toContain(formatAccessKey(input.accessKey));
    expect(text).toContain('3526 1145 9974 1800 0153 5500 1000 0010 4217 3920 518');
    expect(text).toContain('Demo Comércio de Vestuário Paulista Ltda.');
    expect(text).toContain('DANFE');
    expect(text).toContain('135260000012345 - 23/11/2026 12:31:07');
    expect(text).toContain('Nº 000.001.042');
    expect(text).toContain('FOLHA 1/1');
    expect(text).toContain('Ana Souza');
    expect(text).toContain('529.982.247-25');
    expect(text).toContain('332,72');
    expect(text).toContain('Calça chino algodão bege 40');
    expect(text).toContain('0 - POR CONTA DO REMETENTE');
    expect(text).not.toContain('SEM VALOR FISCAL');
  });

  it('prints the fatura and each duplicata of a billed sale, and its rows still fit', async () => {
    const base = shipFromStoreToCuritiba({ environment: '1' });
    const total = built(base).computed.totals.total;
    const doc: FiscalDocument = {
      ...base,
      payments: [{ method: '15', amount: total }],
      billing: { number: '1042', installments: installmentsOf(total, 8, '2026-11-23') },
    };
    const pdf = await renderDanfe({ ...built(doc), authorisation });
    const text = textOf(pdf);
    expect(text).toContain('FATURA / DUPLICATA');
    expect(text).toContain('Nº 001  VENC. 23/12/2026');
    expect(text).toContain('Nº 008  VENC. 21/07/2027');
    expect(pageCount(pdf)).toBe(1);
  });

  it('encodes the key as Code 128 in code set C', () => {
    const [symbol] = bwipjs.raw('code128', '35261145997418000153550010000010421739205180', {}) as Array<{
      sbs: number[];
    }>;
    // Start C + 22 digit pairs + check character (11 modules each) + stop (13): set C throughout.
    expect(symbol!.sbs.reduce((a, b) => a + b, 0)).toBe(24 * 11 + 13);
  });

  it('shows the ICMS of the regime normal in the taxes and per item', async () => {
    const input = built(saleWithinSaoPaulo());
    const text = textOf(await renderDanfe({ ...input, authorisation }));
    const { icmsBase, icmsValue } = input.computed.totals;
    expect(text).toContain(formatMoney(icmsBase));
    expect(text).toContain(formatMoney(icmsValue));
    expect(text).toContain('18,00');
  });

  it('repeats the header on every page of a 40-item note', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      ...trousers('6108'),
      code: `CAL-${String(i + 1).padStart(3, '0')}`,
      description: `Calça chino algodão bege tamanho ${i + 1} com descrição longa o bastante para quebrar a linha`,
    }));
    const total = 40n * 19990n + 2500n;
    const input = built(
      shipFromStoreToCuritiba({
        items,
        payments: [{ method: '01', amount: total }],
        additionalInfo: undefined,
      }),
    );
    const pdf = await renderDanfe({ ...input, authorisation });
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThan(1);
    const text = textOf(pdf);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`FOLHA ${p}/${pages}`);
    expect(text.split(formatAccessKey(input.accessKey)).length - 1).toBe(pages);
    expect(text.match(/^DANFE$/gm)?.length).toBe(pages);
    expect(text.match(/DESCRIÇÃO DO PRODUTO\/SERVIÇO/g)?.length).toBe(pages);
    for (const item of items) expect(text).toContain(item.code);
  });

  it('marks a document without authorisation as without fiscal value', async () => {
    const input = built(shipFromStoreToCuritiba());
    const text = textOf(await renderDanfe({ ...input, authorisation: null }));
    expect(text).toContain('SEM VALOR FISCAL - NÃO AUTORIZADA');
    expect(text).toContain('EMITIDA EM AMBIENTE DE HOMOLOGAÇÃO - SEM VALOR FISCAL');
    expect(text).toContain('NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL');
  });
});

describe('renderNfceReceipt', () => {
  const nfce = (overrides: Partial<FiscalDocument> = {}) =>
    built(
      shipFromStoreToCuritiba({
        model: '65',
        presence: '1',
        destination: '1',
        freight: { mode: '9', amount: 0n },
        payments: [{ method: '01', amount: 40000n }],
        ...overrides,
      }),
    );
  const urls = {
    consultationUrl: 'https://www.homologacao.nfce.fazenda.sp.gov.br/consulta',
    qrCode: 'https://www.homologacao.nfce.fazenda.sp.gov.br/qrcode?p=x|2|2|1|ABCDEF',
  };

  it('prints one 80 mm page with the key, the consultation address, totals and change', async () => {
    const input = nfce({ environment: '1' });
    const pdf = await renderNfceReceipt({ ...input, ...urls, authorisation });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(1);
    const [, , width] = mediaBoxes(pdf)[0]!;
    expect(width).toBeCloseTo((80 * 72) / 25.4, 1);
    const text = textOf(pdf);
    expect(text).toContain('Documento Auxiliar da Nota Fiscal de Consumidor Eletrônica');
    expect(text).toContain(formatAccessKey(input.accessKey));
    expect(text).toContain(urls.consultationUrl);
    expect(text).toContain('Valor a Pagar R$');
    expect(text).toContain('307,72');
    expect(text).toContain('Troco R$');
    expect(text).toContain('92,28');
    expect(text).toContain('CONSUMIDOR CPF: 529.982.247-25');
    expect(text).toContain('Protocolo de autorização: 135260000012345');
    expect(text).not.toContain('SEM VALOR FISCAL');
  });

  it('marks an unauthorised receipt and the homologação texts', async () => {
    // Long texts wrap on the narrow roll: read the lines as one.
    const text = textOf(await renderNfceReceipt({ ...nfce(), ...urls, authorisation: null })).replace(
      /\n/g,
      ' ',
    );
    expect(text).toContain('SEM VALOR FISCAL - NÃO AUTORIZADA');
    expect(text).toContain('NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL');
    expect(text).toContain('EMITIDA EM AMBIENTE DE HOMOLOGAÇÃO - SEM VALOR FISCAL');
  });

  it('names an unidentified consumer', async () => {
    const text = textOf(
      await renderNfceReceipt({ ...nfce({ recipient: undefined }), ...urls, authorisation }),
    );
    expect(text).toContain('CONSUMIDOR NÃO IDENTIFICADO');
  });
});
