import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheOf, cacheWatcher, settled, startCaching, writesOf } from './index.ts';

/** A database as the caches see it: a dialect to find them by, and a LISTEN the test drives. */
function fakeDatabase() {
  const db = { dialect: {} };
  let notify: (payload: string) => void = () => {};
  let state: (up: boolean) => void = () => {};
  const watcher = cacheWatcher();
  watcher.bind(db);
  return {
    db,
    watcher,
    listen: async (_channel: string, onPayload: (p: string) => void, onState?: (up: boolean) => void) => {
      notify = onPayload;
      state = onState ?? (() => {});
      return async () => {};
    },
    notify: (table: string) => notify(table),
    state: (up: boolean) => state(up),
  };
}

describe('caches invalidated by notification', () => {
  afterEach(() => vi.useRealTimers());

  it('reads through until caching starts, then answers from memory', async () => {
    const d = fakeDatabase();
    const cache = cacheOf<string>(['products']);
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.get(d.db, 'k', load)).toBe('v1');
    expect(await cache.get(d.db, 'k', load)).toBe('v2');
    await startCaching(d);
    expect(await cache.get(d.db, 'k', load)).toBe('v3');
    expect(await cache.get(d.db, 'k', load)).toBe('v3');
    expect(loads).toBe(3);
  });

  it('drops a table’s entries when its notification arrives, and only that table’s', async () => {
    const d = fakeDatabase();
    await startCaching(d);
    const products = cacheOf<string>(['products']);
    const nodes = cacheOf<string>(['nodes']);
    await products.get(d.db, 'p', async () => 'old product');
    await nodes.get(d.db, 'n', async () => 'old node');
    d.notify('products');
    expect(await products.get(d.db, 'p', async () => 'new product')).toBe('new product');
    expect(await nodes.get(d.db, 'n', async () => 'new node')).toBe('old node');
  });

  it('does not keep what a load read while a change was notified', async () => {
    const d = fakeDatabase();
    await startCaching(d);
    const cache = cacheOf<string>(['parameter_values']);
    const racing = cache.get(d.db, 'k', async () => {
      d.notify('parameter_values');
      return 'read before the change';
    });
    expect(await racing).toBe('read before the change');
    expect(await cache.get(d.db, 'k', async () => 'after')).toBe('after');
  });

  it('caches nothing while the LISTEN connection is down, and starts empty when it is back', async () => {
    const d = fakeDatabase();
    const caches = await startCaching(d);
    const cache = cacheOf<string>(['nodes']);
    await cache.get(d.db, 'k', async () => 'before');
    d.state(false);
    expect(caches.live).toBe(false);
    expect(await cache.get(d.db, 'k', async () => 'down 1')).toBe('down 1');
    expect(await cache.get(d.db, 'k', async () => 'down 2')).toBe('down 2');
    d.state(true);
    expect(await cache.get(d.db, 'k', async () => 'up')).toBe('up');
    expect(await cache.get(d.db, 'k', async () => 'again')).toBe('up');
  });

  it('reads a table this process writes uncached until the write’s notification comes back', async () => {
    const d = fakeDatabase();
    await startCaching(d);
    const cache = cacheOf<string>(['products']);
    await cache.get(d.db, 'k', async () => 'cached');
    const before = writesOf(d.db);
    d.watcher.logQuery('update "products" set "description" = $1 where "products"."id" = $2');
    expect(writesOf(d.db)).toBe(before + 1);
    // In the writing transaction and until the echo: from the database, and not kept.
    expect(await cache.get(d.db, 'k', async () => 'in flight')).toBe('in flight');
    expect(await cache.get(d.db, 'k', async () => 'still in flight')).toBe('still in flight');
    let done = false;
    const waiting = settled(d.db)!.then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    d.notify('products');
    await waiting;
    expect(settled(d.db)).toBeUndefined();
    expect(await cache.get(d.db, 'k', async () => 'committed')).toBe('committed');
    expect(await cache.get(d.db, 'k', async () => 'x')).toBe('committed');
  });

  it('knows a write to a cached table from any statement shape, and nothing else', async () => {
    const d = fakeDatabase();
    await startCaching(d);
    const writes = (q: string) => {
      const before = writesOf(d.db);
      d.watcher.logQuery(q);
      return writesOf(d.db) - before;
    };
    expect(writes('insert into "nodes" ("id") values ($1)')).toBe(1);
    expect(writes('INSERT INTO parameter_values (node_id) VALUES ($1)')).toBe(1);
    expect(writes('delete from "api_client_keys" where id = $1')).toBe(1);
    expect(writes('truncate table products, nodes')).toBe(2);
    expect(writes('with x as (update api_clients set active = false returning id) select * from x')).toBe(1);
    expect(writes('select * from "nodes" where id = $1 for update')).toBe(0);
    expect(writes('insert into "stock_nodes" values ($1)')).toBe(0);
    expect(writes('insert into orders (x) values (1) on conflict do update set x = 2')).toBe(0);
    expect(writes('update "product_prices" set price = 1')).toBe(0);
    for (const t of ['nodes', 'parameter_values', 'api_client_keys', 'products', 'api_clients']) d.notify(t);
  });

  it('gives up waiting for a write that rolled back (no notification ever comes)', async () => {
    vi.useFakeTimers();
    const d = fakeDatabase();
    await startCaching(d);
    const cache = cacheOf<string>(['nodes']);
    d.watcher.logQuery('update nodes set name = $1');
    const waiting = settled(d.db)!;
    expect(await cache.get(d.db, 'k', async () => 'uncached')).toBe('uncached');
    vi.advanceTimersByTime(2_001);
    await waiting;
    expect(await cache.get(d.db, 'k', async () => 'cached again')).toBe('cached again');
    expect(await cache.get(d.db, 'k', async () => 'x')).toBe('cached again');
  });

  it('loads only the keys it lacks, in one call', async () => {
    const d = fakeDatabase();
    await startCaching(d);
    const cache = cacheOf<number>(['products']);
    const asked: string[][] = [];
    const load = async (missing: string[]) => {
      asked.push(missing);
      return new Map(missing.filter((k) => k !== 'unknown').map((k) => [k, k.length]));
    };
    expect([...(await cache.getMany(d.db, ['a', 'bb'], load))]).toEqual([
      ['a', 1],
      ['bb', 2],
    ]);
    expect([...(await cache.getMany(d.db, ['a', 'ccc', 'unknown'], load))]).toEqual([
      ['a', 1],
      ['ccc', 3],
    ]);
    expect(asked).toEqual([
      ['a', 'bb'],
      ['ccc', 'unknown'],
    ]);
  });
});
