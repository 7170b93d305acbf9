import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, isDay, type ReceivableItem, receivablesCsv } from './receivables.ts';

const item = (over: Partial<ReceivableItem> = {}): ReceivableItem => ({
  id: '0b9f1c9e-6c1a-4c43-9a39-5d2b8f1d2e01',
  storeCode: '11',
  storeName: 'Loja 11; Centro',
  orderId: '1d0d3f6e-2a55-4a8e-8d1e-9a2b3c4d5e6f',
  method: 'credit_card',
  documentType: 'credit_card',
  documentTypeLabel: 'Cartão de crédito',
  paymentMethodCode: 'OMNI',
  paymentMethodConfigured: true,
  party: { kind: 'customer', document: '52998224725', name: '=HYPERLINK("x")', marketplaceUnnamed: false },
  amount: '1234.50',
  open: '0.00',
  state: 'cancelled',
  installments: [{ number: '001', dueDate: '2027-01-05', amount: '1234.50' }],
  issuedOn: '2026-12-06',
  createdAt: '2026-12-06T12:00:00.000Z',
  order: { number: 7, externalId: 'EC-1', customerName: 'Maria "Mel" Silva' },
  ...over,
});

describe('Contas a receber CSV and cursor', () => {
  it('writes a pt-BR CSV: BOM, `;`, decimal comma, quoted and formula-safe cells', () => {
    const csv = receivablesCsv([item()]);
    expect(csv.startsWith('\uFEFFEmissão;Loja;')).toBe(true);
    const [, row] = csv.trimEnd().split('\r\n');
    expect(row).toBe(
      `06/12/2026;"11 - Loja 11; Centro";7;EC-1;"Maria ""Mel"" Silva";Cartão de crédito;OMNI;"'=HYPERLINK(""x"")";52998224725;1;1234,50;0,00;Cancelado`,
    );
  });

  it('says when a marketplace receivable is booked against the customer for want of the marketplace', () => {
    const unnamed = item({
      method: 'marketplace',
      documentType: 'marketplace',
      documentTypeLabel: 'Marketplace',
      party: { kind: 'customer', document: '52998224725', name: 'Maria Silva', marketplaceUnnamed: true },
    });
    const [, row] = receivablesCsv([unnamed]).trimEnd().split('\r\n');
    expect(row).toContain(';Marketplace;OMNI;Maria Silva (marketplace não informado);52998224725;');
  });

  it('round-trips a cursor and refuses anything else', () => {
    const id = '0b9f1c9e-6c1a-4c43-9a39-5d2b8f1d2e01';
    expect(decodeCursor(encodeCursor('2026-12-06', id))).toEqual({ issuedOn: '2026-12-06', id });
    expect(decodeCursor('bm90LWEtY3Vyc29y')).toBeNull();
    expect(decodeCursor(encodeCursor('2026-02-30', id))).toBeNull();
    expect(decodeCursor(encodeCursor('2026-12-06', 'x'))).toBeNull();
  });

  it('knows a calendar day', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('06/12/2026')).toBe(false);
  });
});
