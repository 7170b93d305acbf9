import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordScope, SyncRecord } from './db.ts';
import {
  addToCart,
  cartTotal,
  fromCents,
  resolvePrice,
  saleUpload,
  searchProducts,
  setQuantity,
  toCents,
} from './sale.ts';

const rec = (key: string, scope: RecordScope, data: Record<string, unknown>): SyncRecord => ({
  key,
  scope,
  data,
  changedAt: '2026-12-01T12:00:00.000Z',
});

describe('the price of a SKU at the store', () => {
  it('takes the most specific scope: store over central over network', () => {
    const network = rec('CAL-002', 'network', { price: '199.90' });
    const central = rec('CAL-002', 'central', { price: '189.90' });
    const store = rec('CAL-002', 'store', { price: '179.90' });
    expect(resolvePrice([network, central, store])).toBe('179.90');
    expect(resolvePrice([store, network, central])).toBe('179.90');
    expect(resolvePrice([network, central])).toBe('189.90');
    expect(resolvePrice([network])).toBe('199.90');
  });

  it('skips a record without a usable price, and falls back to the product price', () => {
    const network = rec('CAL-002', 'network', { price: '199.90' });
    const broken = rec('CAL-002', 'store', { price: 'abc' });
    expect(resolvePrice([broken, network])).toBe('199.90');
    expect(resolvePrice([], rec('CAL-002', 'network', { price: '49.9' }))).toBe('49.90');
    expect(resolvePrice([])).toBeNull();
  });
});

describe('money in cents', () => {
  it('reads and writes the API money strings exactly', () => {
    expect(toCents('199.90')).toBe(19990);
    expect(toCents('0.05')).toBe(5);
    expect(toCents('12,5')).toBe(1250);
    expect(toCents('1e3')).toBeNull();
    expect(fromCents(19990)).toBe('199.90');
    expect(fromCents(5)).toBe('0.05');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e11 }), (c) => {
        expect(toCents(fromCents(c))).toBe(c);
      }),
    );
  });

  it('totals a cart without floating point drift', () => {
    let cart = addToCart([], { sku: 'A', name: 'A', unitPrice: '0.10' }, 3);
    cart = addToCart(cart, { sku: 'B', name: 'B', unitPrice: '0.20' });
    cart = addToCart(cart, { sku: 'A', name: 'A', unitPrice: '0.10' });
    expect(cart.map((l) => [l.sku, l.quantity])).toEqual([
      ['A', 4],
      ['B', 1],
    ]);
    expect(cartTotal(cart)).toBe('0.60');
    expect(setQuantity(cart, 'A', 0).map((l) => l.sku)).toEqual(['B']);
    expect(setQuantity(cart, 'B', 2.7).find((l) => l.sku === 'B')?.quantity).toBe(2);
  });

  it('builds the sale upload paid in full, without nfceXml', () => {
    const cart = addToCart([], { sku: 'CAL-002', name: 'Calça', unitPrice: '199.90' }, 2);
    expect(
      saleUpload(cart, { method: 'pix', cashSessionPosId: 'cash-1', customerDocument: '52998224725' }),
    ).toEqual({
      cashSessionPosId: 'cash-1',
      customerDocument: '52998224725',
      items: [{ sku: 'CAL-002', quantity: 2, unitPrice: '199.90' }],
      payments: [{ method: 'pix', amount: '399.80' }],
      total: '399.80',
    });
  });
});

describe('finding a product offline', () => {
  const products = [
    rec('CAL-002', 'network', { sku: 'CAL-002', description: 'Calça jeans azul', ean: '7891000000021' }),
    rec('CAM-001', 'network', { sku: 'CAM-001', description: 'Camiseta branca', ean: '7891000000014' }),
    rec('CAM-001', 'store', { sku: 'CAM-001', description: 'Camiseta branca (loja)', ean: '7891000000014' }),
  ];

  it('finds by exact SKU or EAN (a scanner read), including an extra EAN of the product', () => {
    expect(searchProducts(products, 'cal-002').map((p) => p.sku)).toEqual(['CAL-002']);
    expect(searchProducts(products, '7891000000014').map((p) => p.name)).toEqual(['Camiseta branca (loja)']);
    expect(searchProducts(products, '1234', new Map([['1234', 'CAL-002']])).map((p) => p.sku)).toEqual([
      'CAL-002',
    ]);
  });

  it('finds by words of the name, one line per SKU', () => {
    expect(searchProducts(products, 'camiseta').map((p) => p.sku)).toEqual(['CAM-001']);
    expect(searchProducts(products, 'jeans calça').map((p) => p.sku)).toEqual(['CAL-002']);
    expect(searchProducts(products, 'ca').map((p) => p.sku)).toEqual(['CAL-002', 'CAM-001']);
    expect(searchProducts(products, '   ')).toEqual([]);
  });
});
