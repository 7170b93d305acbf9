import { describe, expect, it } from 'vitest';
import {
  distinctIds,
  NOTE_MAX,
  noteText,
  outcomeOfDocument,
  salespersonMode,
  salespersonNote,
  tally,
} from './batch-rules.ts';

describe('batch invoicing outcome', () => {
  it('reads an NF-e status as invoiced, pending or refused', () => {
    expect(outcomeOfDocument('authorised')).toEqual({ outcome: 'invoiced' });
    for (const waiting of ['sending', 'unsent', 'contingency'])
      expect(outcomeOfDocument(waiting)).toEqual({ outcome: 'pending' });
    expect(outcomeOfDocument('rejected')).toEqual({ outcome: 'refused', code: 'FISCAL.REJECTED' });
    expect(outcomeOfDocument('denied')).toEqual({ outcome: 'refused', code: 'FISCAL.DENIED' });
  });

  it('counts outcomes and keeps each id once, in the order asked', () => {
    expect(
      tally([
        { id: 'a', number: 1, outcome: 'invoiced' },
        { id: 'b', number: null, outcome: 'refused' },
        { id: 'c', number: 3, outcome: 'refused' },
      ]),
    ).toEqual({ invoiced: 1, pending: 0, refused: 2 });
    expect(distinctIds(['B', 'a', 'b', 'a'])).toEqual(['b', 'a']);
  });
});

describe('salesperson at invoicing (TP_DADO_ADIC_BX_PED_ECOMM)', () => {
  it('maps 0, 1, 2 and an unset parameter', () => {
    expect(salespersonMode('0')).toBe('none');
    expect(salespersonMode('1')).toBe('optional');
    expect(salespersonMode('2')).toBe('required');
    expect(salespersonMode(null)).toBe('none');
    expect(salespersonNote('Ana')).toBe('Vendedor: Ana');
  });
});

describe('note text', () => {
  it('is trimmed and holds 1 to 2000 characters (code points)', () => {
    expect(noteText('  olá  ')).toEqual({ ok: true, text: 'olá' });
    expect(noteText(' \n\t ')).toMatchObject({ ok: false, code: 'ORDER.NOTE_EMPTY' });
    expect(noteText('😀'.repeat(NOTE_MAX))).toMatchObject({ ok: true });
    expect(noteText('x'.repeat(NOTE_MAX + 1))).toMatchObject({ ok: false, code: 'ORDER.NOTE_TOO_LONG' });
  });
});
