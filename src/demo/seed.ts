import * as access from '../access/service.ts';
import * as audit from '../audit/service.ts';
import * as catalog from '../catalog/service.ts';
import * as connector from '../connector/service.ts';
import * as delivery from '../delivery/service.ts';
import * as finance from '../finance/service.ts';
import * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { unwrap } from '../platform/http/problems.ts';
import { seedReasons } from '../pos/returns/index.ts';
import { seedDemoSyncData } from '../pos/sync/service.ts';
import * as stock from '../stock/service.ts';
import { demoNetwork, demoStores } from './data.ts';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_PLATFORM_KEY = 'demo-platform-key';
export const DEMO_POS_KEY = 'demo-pos-11';
export const DEMO_ERP_KEY = 'demo-erp-key';

/**
 * Seeds the demo network (the README's credentials and data) on an empty database, in one transaction (all or nothing).
 * A database that already has users is left alone, so a second start reuses the data.
 */
export async function seedDemo(db: Db, opts: { secretKey: Buffer }): Promise<{ created: boolean }> {
  return db.transaction(async (tx) => {
    if ((await access.countUsers(tx)) > 0) return { created: false };
    const root = unwrap(await network.createNetwork(tx, demoNetwork.root));
    const viewer = {
      nodeId: root.id,
      nodePath: root.path,
      networkId: root.networkId,
      system: audit.systemActor('Demo seed'),
    };
    const central = unwrap(
      await network.createNode(tx, viewer, { ...demoNetwork.central, parentCode: root.code }),
    );
    const stores = [];
    for (const s of demoStores) {
      stores.push(
        unwrap(await network.createNode(tx, viewer, { ...s, kind: 'store', parentCode: central.code })),
      );
    }
    await parameters.seedParameters(
      tx,
      Object.fromEntries([root, central, ...stores].map((n) => [n.code, n])),
    );

    await access.seedUser(tx, {
      email: 'admin@demo.local',
      name: 'Administrador da Rede',
      password: DEMO_PASSWORD,
      role: 'network_admin',
      nodeId: root.id,
      // The demo's admin may change the messages' texts (Mensagens), the store managers may not.
      permissions: ['IN_ALT_MENSAGEM'],
    });
    for (const store of stores) {
      await access.seedUser(tx, {
        email: `loja${store.code}@demo.local`,
        name: `Gerente da Loja ${store.code}`,
        password: DEMO_PASSWORD,
        role: 'store_manager',
        nodeId: store.id,
      });
    }
    await access.seedApiClient(tx, {
      name: 'E-commerce (demo)',
      key: DEMO_PLATFORM_KEY,
      scope: 'platform',
      nodeId: root.id,
    });
    // The network's ERP reads finance: receivables, balances, the daily closing, an order's money.
    await access.seedApiClient(tx, {
      name: 'ERP (demo)',
      key: DEMO_ERP_KEY,
      scope: 'erp',
      nodeId: root.id,
    });
    const store11 = stores.find((s) => s.code === '11')!;
    await access.seedApiClient(tx, {
      name: 'PDV loja 11 (demo)',
      key: DEMO_POS_KEY,
      scope: 'pos',
      nodeId: store11.id,
    });
    await catalog.seedCatalog(tx, root.networkId);
    await stock.seedStock(tx, { networkId: root.networkId, stores });
    await delivery.seedDeliveryExperiences(tx, root.networkId);
    await connector.seedInterfaces(tx, root.networkId);
    for (const store of stores) await fiscal.seedDemoSettings(tx, store, opts.secretKey);
    await seedReasons(tx, root.networkId);
    await finance.seedPaymentMethods(tx, root.networkId);
    await seedDemoSyncData(tx, root, stores);
    return { created: true };
  });
}
