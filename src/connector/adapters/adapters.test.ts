import { describe, expect, it } from 'vitest';
import { toCsv, toXml } from './formats.ts';
import { checkSettings, patternToRegExp } from './settings.ts';

describe('generic adapters, pure parts', () => {
  it('CSV quotes what needs it; XML escapes and empties nulls', () => {
    const records = [
      { sku: 'CAM-001', name: 'Camisa "polo", azul', available: 3 },
      { sku: 'CAL-002', name: null, available: 0 },
    ];
    expect(toCsv(records)).toBe('sku,name,available\r\nCAM-001,"Camisa ""polo"", azul",3\r\nCAL-002,,0\r\n');
    expect(toXml([{ sku: 'A&B', name: null }], { source: 'stock', interface: 4003 })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<dataset source="stock" interface="4003">\n' +
        '  <item><sku>A&amp;B</sku><name/></item>\n</dataset>\n',
    );
    expect(toCsv([])).toBe('\r\n');
  });

  it('file name patterns match whole names', () => {
    expect(patternToRegExp('*.csv').test('estoque.csv')).toBe(true);
    expect(patternToRegExp('*.csv').test('estoque.csv.tmp')).toBe(false);
    expect(patternToRegExp('pedido-??.json').test('pedido-01.json')).toBe(true);
  });

  it('settings are checked per adapter and direction, with field errors', () => {
    expect(
      checkSettings('http_json', 'in', { url: 'http://erp.local/estoque', method: 'GET' }),
    ).toMatchObject({
      ok: true,
    });
    const out = checkSettings('http_json', 'out', { url: 'ftp://x', method: 'GET', source: 'prices' });
    expect(out.ok ? [] : out.errors.map((e) => [e.path, e.code])).toEqual([
      ['/adapterSettings/source', 'CONNECTOR.SOURCE_NOT_SUPPORTED'],
      ['/adapterSettings/url', 'CONNECTOR.URL_INVALID'],
      ['/adapterSettings/method', 'CONNECTOR.METHOD_INVALID'],
    ]);
    const nats = checkSettings('nats', 'in', { subject: 'omnihub.stock' });
    expect(nats).toEqual({
      ok: false,
      errors: [
        {
          path: '/adapterSettings/subject',
          code: 'CONNECTOR.NATS_INBOUND',
          message: 'entrada por NATS não suportada',
        },
      ],
    });
    expect(checkSettings('nats', 'out', { subject: 'omnihub.*', source: 'stock' })).toMatchObject({
      ok: false,
    });
    expect(checkSettings('file_drop', 'in', { directory: 'rel', format: 'txt', extra: 1 })).toMatchObject({
      ok: false,
      errors: [
        { path: '/adapterSettings/extra' },
        { path: '/adapterSettings/directory' },
        { path: '/adapterSettings/format' },
      ],
    });
    expect(checkSettings('none', 'in', { anything: true })).toEqual({ ok: true, settings: {} });
  });
});
