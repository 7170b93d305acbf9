import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  deduplicated,
  inOrderPerStoreAndSku,
  messageIdFor,
  messageOf,
  subjectFor,
  vtexInventoryRequest,
} from './domain.ts';

describe('the stock feed on the wire', () => {
  it('publishes a store’s changes under its network and store, with the balance after the change', () => {
    expect(subjectFor('DEMO', '11')).toBe('omnihub.DEMO.stock.11');
    // Dots and wildcards would split or widen a subject: they become `_`.
    expect(subjectFor('rede.sul', 'loja *>1')).toBe('omnihub.rede_sul.stock.loja___1');
    expect(messageIdFor('DEMO', 42)).toBe('DEMO-42');
    const at = new Date('2026-12-06T12:00:00Z');
    expect(
      messageOf('DEMO', {
        seq: 42,
        storeCode: '11',
        sku: 'CAM-001',
        onHand: 10,
        reserved: 3,
        available: 7,
        kind: 'reservation',
        at,
      }),
    ).toEqual({
      seq: 42,
      networkCode: 'DEMO',
      storeCode: '11',
      sku: 'CAM-001',
      onHand: 10,
      reserved: 3,
      available: 7,
      reason: 'reservation',
      at: '2026-12-06T12:00:00.000Z',
    });
  });

  it('lets a consumer drop redeliveries and check the order per store and SKU', () => {
    const m = (seq: number, storeCode: string, sku: string) => ({ seq, storeCode, sku });
    const received = [m(1, '11', 'A'), m(2, '8', 'A'), m(1, '11', 'A'), m(3, '11', 'A'), m(2, '8', 'A')];
    expect(deduplicated(received).map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(inOrderPerStoreAndSku(deduplicated(received))).toBe(true);
    // Across keys the order may differ; within one key a lower seq after a higher one is a fault.
    expect(inOrderPerStoreAndSku([m(5, '11', 'A'), m(4, '8', 'A')])).toBe(true);
    expect(inOrderPerStoreAndSku([m(5, '11', 'A'), m(4, '11', 'A')])).toBe(false);
  });

  it('backs off exponentially with jitter, up to a ceiling', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 30_000, mid))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(20, 30_000, mid)).toBe(30_000);
    expect(backoffMs(1, 30_000, () => 0)).toBe(375);
    expect(backoffMs(1, 30_000, () => 1)).toBe(625);
  });

  it('sets a VTEX SKU’s quantity at a warehouse, never negative nor unlimited', () => {
    const call = vtexInventoryRequest('https://loja.vtexcommercestable.com.br/', '2001', 'wh centro', 7);
    expect(call.url).toBe(
      'https://loja.vtexcommercestable.com.br/api/logistics/pvt/inventory/skus/2001/warehouses/wh%20centro',
    );
    expect(call.method).toBe('PUT');
    expect(JSON.parse(call.body)).toEqual({
      unlimitedQuantity: false,
      dateUtcOnBalanceSystem: null,
      quantity: 7,
    });
    expect(JSON.parse(vtexInventoryRequest('http://x', '1', '1', -2).body).quantity).toBe(0);
  });
});
