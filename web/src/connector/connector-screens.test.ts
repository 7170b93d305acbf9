import { describe, expect, it } from 'vitest';
import { callsPerDay } from './consumption.ts';
import { prettyPayload } from './payload.ts';

describe('the Consumo chart', () => {
  it('sums each system’s outcomes per day over its methods, days in order, systems by name', () => {
    const chart = callsPerDay([
      { day: '2026-03-11', system: 'webhook', calls: 1, succeeded: 0, failed: 1 },
      { day: '2026-03-10', system: 'vtex', calls: 3, succeeded: 2, failed: 1 },
      { day: '2026-03-10', system: 'vtex', calls: 2, succeeded: 2, failed: 0 },
      { day: '2026-03-10', system: 'sefaz-SP', calls: 1, succeeded: 1, failed: 0 },
    ]);
    expect(chart.systems).toEqual(['sefaz-SP', 'vtex', 'webhook']);
    expect(chart.days).toEqual([
      { day: '2026-03-10', s0ok: 1, s0failed: 0, s1ok: 4, s1failed: 1 },
      { day: '2026-03-11', s2ok: 0, s2failed: 1 },
    ]);
  });
});

describe('the payload viewer', () => {
  it('indents JSON and one-line XML, and leaves cut or plain text as it is', () => {
    expect(prettyPayload('{"a":{"b":1}}')).toBe('{\n  "a": {\n    "b": 1\n  }\n}');
    expect(prettyPayload('<?xml version="1.0"?><nfe><dest><CPF>***01</CPF></dest><x/></nfe>')).toBe(
      '<?xml version="1.0"?>\n<nfe>\n  <dest>\n    <CPF>***01</CPF>\n  </dest>\n  <x/>\n</nfe>',
    );
    expect(prettyPayload('{"a": "cut')).toBe('{"a": "cut');
    expect(prettyPayload('ok')).toBe('ok');
  });
});
