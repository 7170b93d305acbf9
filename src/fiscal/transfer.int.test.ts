import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, nfeOf } from '../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { TEST_SECRET_KEY } from '../../test/secret-key.ts';
import * as catalog from '../catalog/service.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { issueTransfer, transferEntryCfop } from './issuing.ts';
import { getDocument } from './service.ts';

const deps = { secretKey: TEST_SECRET_KEY };

/** The transfer NF-e the split issue uses: between the group's stores, CFOP by the states involved. */
describe.each(databaseKinds())('transfer NF-e on %s', (kind) => {
  let t: TestApp;
  let store: Record<string, { id: string; networkId: string }>;
  beforeAll(async () => {
    t = await startTestApp(kind);
    const nodes = await rows<{ id: string; code: string; network_id: string }>(
      t.database.db,
      sql`select id, code, network_id from nodes where kind = 'store'`,
    );
    store = Object.fromEntries(nodes.map((n) => [n.code, { id: n.id, networkId: n.network_id }]));
  }, 60_000);
  afterAll(() => t?.close());

  async function transfer(
    from: string,
    to: string,
    lines: { sku: string; quantity: number; unitValue?: string }[],
    opts: { id?: string; clock?: () => Date } = {},
  ) {
    const products = await catalog.productsBySku(
      t.database.db,
      store[from]!.networkId,
      lines.map((l) => l.sku),
    );
    const bySku = new Map(products.map((p) => [p.sku, p.id]));
    const issued = await transaction(t.database.db, (tx) =>
      issueTransfer(
        tx,
        { ...deps, ...(opts.clock ? { clock: opts.clock } : {}) },
        {
          fromStoreId: store[from]!.id,
          toStoreId: store[to]!.id,
          lines: lines.map((l) => ({
            productId: bySku.get(l.sku)!,
            quantity: l.quantity,
            unitValue: l.unitValue,
          })),
          reference: {
            type: 'test_transfer',
            id: opts.id ?? `${from}-${to}`,
            description: `Transferência para a loja ${to}`,
          },
        },
      ),
    );
    if (!issued.ok) throw new Error(JSON.stringify(issued.failure));
    t.worker.wake();
    for (let i = 0; i < 400; i++) {
      const doc = await getDocument(t.database.db, issued.value.documentId);
      if (doc && doc.status !== 'sending') return doc;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the transfer is still sending');
  }

  it('from Curitiba to São Paulo: 6152, the receiving company as a contributor, no payment, authorised', async () => {
    const doc = await transfer('3', '11', [{ sku: 'CAM-001', quantity: 1 }]);
    expect(doc).toMatchObject({ status: 'authorised', purpose: 'transfer_out', model: 55 });
    expect(doc.accessKey.slice(0, 2)).toBe('41');
    expect(doc.xml).toContain('<CFOP>6152</CFOP>');
    expect(doc.xml).toContain('<idDest>2</idDest>');
    expect(doc.xml).toContain('<indFinal>0</indFinal>');
    expect(doc.xml).toMatch(
      /<dest><CNPJ>45997418000153<\/CNPJ>.*<indIEDest>1<\/indIEDest><IE>110042490114<\/IE>/,
    );
    expect(doc.xml).toContain('<modFrete>3</modFrete>');
    expect(doc.xml).toContain('<detPag><tPag>90</tPag><vPag>0.00</vPag></detPag>');
    await expectValidSigned(nfeOf(doc.xml), 'infNFe', 'nfe');
    expect(await transferEntryCfop(t.database.db, store['11']!.id, 'PR')).toBe('2152');
  });

  it('within São Paulo: 5152 at the value given, entry 1152', async () => {
    const doc = await transfer('8', '11', [{ sku: 'CAM-001', quantity: 2, unitValue: '30.00' }]);
    expect(doc.status).toBe('authorised');
    expect(doc.xml).toContain('<CFOP>5152</CFOP>');
    expect(doc.xml).toContain('<vProd>60.00</vProd>');
    expect(await transferEntryCfop(t.database.db, store['11']!.id, 'SP')).toBe('1152');
  });

  it('a rejected transfer is issued again under its own number; a transfer is not cancelled like a sale', async () => {
    const late = () => new Date(Date.now() - 31 * 86_400_000);
    const rejected = await transfer('8', '11', [{ sku: 'CAM-002', quantity: 1 }], {
      id: 'again',
      clock: late,
    });
    expect(rejected).toMatchObject({ status: 'rejected', rejectionCode: 228 });
    const again = await transfer('8', '11', [{ sku: 'CAM-002', quantity: 1 }], { id: 'again' });
    expect(again).toMatchObject({ id: rejected.id, number: rejected.number, status: 'authorised' });
    const cancel = await t.request('POST', `/api/v1/fiscal-documents/${again.id}/cancel`, {
      auth: 'admin@demo.local',
      body: { justification: 'Transferência feita por engano' },
    });
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('FISCAL.CANCEL_NOT_SUPPORTED');
  });

  it('refuses a transfer to the same store', async () => {
    const refused = await transaction(t.database.db, (tx) =>
      issueTransfer(tx, deps, {
        fromStoreId: store['11']!.id,
        toStoreId: store['11']!.id,
        lines: [],
        reference: { type: 'test_transfer', id: 'x', description: 'x' },
      }),
    );
    expect(refused.ok || refused.failure.code).toBe('FISCAL.TRANSFER_PARTIES');
  });
});
