import { describe, expect, it } from 'vitest';
import { moneyOfCarrier } from '../http.ts';
import { sroEventId, sroInstant, sroStatus } from './events.ts';

describe('SRO event table (Correios, Lista de Status de eventos)', () => {
  it.each([
    ['PO', '01', 'posted'],
    ['PO', '09', 'posted'],
    ['RO', '01', 'in_transit'],
    ['DO', '01', 'in_transit'],
    ['PAR', '16', 'in_transit'],
    ['LDI', '01', 'in_transit'],
    ['OEC', '01', 'out_for_delivery'],
    ['BDE', '01', 'delivered'],
    ['BDI', '01', 'delivered'],
    ['BDR', '00', 'delivered'],
    ['BDE', '02', 'delivery_failed'],
    ['BDE', '07', 'delivery_failed'],
    ['BDI', '20', 'delivery_failed'],
    ['BDE', '23', 'returning'],
    ['FC', '01', 'returning'],
    ['FC', '47', 'returning'],
    ['FC', '02', 'in_transit'],
    ['bde', '1', 'delivered'],
  ])('%s %s → %s', (codigo, tipo, status) => {
    expect(sroStatus(codigo, tipo)).toBe(status);
  });

  it('names an event by its code, tipo, time and unit: the same read twice has one id', () => {
    const e = { codigo: 'RO', tipo: '01', dtHrCriado: '2026-03-10T18:00:00', unidade: '05311900' };
    expect(sroEventId('AB1BR', e)).toBe(sroEventId('AB1BR', { ...e }));
    expect(sroEventId('AB1BR', e)).not.toBe(sroEventId('AB1BR', { ...e, unidade: '80000000' }));
  });

  it('reads SRO times as São Paulo time', () => {
    expect(sroInstant('2026-03-10T18:00:00')).toEqual(new Date('2026-03-10T21:00:00Z'));
    expect(sroInstant('2026-03-10T18:00:00Z')).toEqual(new Date('2026-03-10T18:00:00Z'));
    expect(sroInstant('ontem')).toBeNull();
  });
});

describe("carriers' amounts, never through a float", () => {
  it.each([
    ['25,50', true, '25.50'],
    ['25,5', true, '25.50'],
    ['1.025,50', true, '1025.50'],
    ['0,07', true, '0.07'],
    ['30', true, '30.00'],
    ['18.36', false, '18.36'],
    ['7', false, '7.00'],
  ])('%s → %s', (text, comma, money) => {
    expect(moneyOfCarrier(text, comma)).toBe(money);
  });
  it.each([
    ['25.50', true],
    ['1,2,3', true],
    ['-1,00', true],
    ['abc', false],
    ['1.2.3', false],
  ])('%s is not an amount', (text, comma) => {
    expect(moneyOfCarrier(text, comma)).toBeNull();
  });
});
