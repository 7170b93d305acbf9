import { describe, expect, it } from 'vitest';
import {
  type AuditEventView,
  CSV_HEADER,
  changedFields,
  csvLine,
  isSecretName,
  MASK,
  MASK_CHANGED,
  maskChange,
  maskSecrets,
  parseInstant,
} from './domain.ts';

describe('secrets', () => {
  it('names secrets by field name, not accessKey', () => {
    for (const n of ['password', 'certificatePassword', 'secret', 'hookToken', 'appKey', 'key', 'cscToken']) {
      expect(isSecretName(n), n).toBe(true);
    }
    for (const n of ['accessKey', 'url', 'certificateSubject', 'cscId', 'secretLast4']) {
      expect(isSecretName(n), n).toBe(false);
    }
  });

  it('masks at any depth and keeps unset secrets visible as unset', () => {
    expect(
      maskSecrets({ url: 'u', secret: 's', nested: [{ appToken: 't', name: 'n' }], password: null }),
    ).toEqual({ url: 'u', secret: MASK, nested: [{ appToken: MASK, name: 'n' }], password: null });
    expect(maskSecrets({ pin: '1234' }, ['pin'])).toEqual({ pin: MASK });
  });

  it('shows a replaced secret as changed and a kept one as unchanged', () => {
    const kept = maskChange({ secret: 'a', url: 'x' }, { secret: 'a', url: 'y' });
    expect(kept).toEqual({ before: { secret: MASK, url: 'x' }, after: { secret: MASK, url: 'y' } });
    expect(changedFields(kept.before, kept.after)).toEqual(['url']);
    const replaced = maskChange({ secret: 'a' }, { secret: 'b' });
    expect(replaced).toEqual({ before: { secret: MASK }, after: { secret: MASK_CHANGED } });
    expect(changedFields(replaced.before, replaced.after)).toEqual(['secret']);
    expect(maskChange(null, { secret: 'b' })).toEqual({ before: null, after: { secret: MASK } });
    expect(maskChange({ secret: 'a' }, null)).toEqual({ before: { secret: MASK }, after: null });
    expect(JSON.stringify(maskChange({ token: 'abc' }, { token: 'def' }))).not.toMatch(/abc|def/);
  });
});

describe('changedFields', () => {
  it('lists the fields that differ, absent counting as null, sorted', () => {
    expect(changedFields({ a: 1, b: [1, 2], c: null }, { a: 1, b: [1, 3], d: 4 })).toEqual(['b', 'd']);
    expect(changedFields(null, { x: 1 })).toEqual(['x']);
    expect(changedFields({ x: 1 }, null)).toEqual(['x']);
    expect(changedFields({ x: null }, {})).toEqual([]);
  });
});

describe('parseInstant', () => {
  it('reads a bare date as the São Paulo day, the end inclusive', () => {
    expect(parseInstant('2026-05-01', false)?.toISOString()).toBe('2026-05-01T03:00:00.000Z');
    expect(parseInstant('2026-05-01', true)?.toISOString()).toBe('2026-05-02T03:00:00.000Z');
  });
  it('reads a date-time with its offset, or as São Paulo time without one', () => {
    expect(parseInstant('2026-05-01T10:00:00Z', false)?.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(parseInstant('2026-05-01T10:00:00.5+01:00', false)?.toISOString()).toBe(
      '2026-05-01T09:00:00.500Z',
    );
    expect(parseInstant('2026-05-01T10:00', false)?.toISOString()).toBe('2026-05-01T13:00:00.000Z');
  });
  it('refuses what the lax Date parser would accept', () => {
    for (const v of ['1', 'ontem', '2026-02-30', '2026-13-01', '2026-05-01T25:00', '05/01/2026', '']) {
      expect(parseInstant(v, false), v).toBeNull();
    }
  });
});

describe('csvLine', () => {
  const event: AuditEventView = {
    id: '1',
    at: '2026-05-01T10:00:00.000Z',
    actor: { kind: 'user', id: null, name: '=cmd|"calc"', role: 'network_admin', address: '10.0.0.1' },
    action: 'parameter.set',
    target: { type: 'parameter', id: '9259@11', label: '+9259, série', nodeCode: '11' },
    before: { value: '1', same: true },
    after: { value: '2', same: true },
  };
  it('quotes per RFC 4180 and neutralises formulas', () => {
    expect(CSV_HEADER.join(',')).toBe('at,actor,role,address,action,target_type,target,node,changes');
    expect(csvLine(event)).toBe(
      `2026-05-01T10:00:00.000Z,"'=cmd|""calc""",network_admin,10.0.0.1,parameter.set,parameter,"'+9259, série",11,"value: ""1"" → ""2"""`,
    );
  });
  it('puts each changed field on its own line within the cell', () => {
    const line = csvLine({ ...event, before: null, after: { a: 1, b: '-x' } });
    expect(line.endsWith(',"a: null → 1\nb: null → ""-x"""')).toBe(true);
  });
});
