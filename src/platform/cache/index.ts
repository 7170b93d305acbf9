/**
 * Caches of rows that almost never change (API keys, stores, parameter values, products, delivery
 * experiences), shared by the
 * requests of one process and invalidated across processes by LISTEN/NOTIFY.
 *
 * - Every statement that changes a cached table notifies `omnihub_cache` with the table's name, at its
 *   commit (statement triggers in schema.sql), whoever runs it: any Omnihub process, a migration, psql.
 *   Each process listens and drops everything it holds of that table.
 * - Never stale after a change is acknowledged: every statement this process sends that writes a cached
 *   table (seen by `cacheWatcher`, drizzle's query logger, before it runs) stops the use of that table's
 *   cache at once, in the writing transaction too, until its own notification comes back; and a request
 *   that succeeds after such a write answers only after that (`settled`, at most a second). PostgreSQL hands a
 *   notification to every listener at the same commit; another process drops its entries when its own
 *   LISTEN backend delivers it, usually before this echo, on a loaded machine up to a few milliseconds
 *   after (each backend is scheduled on its own). A write that rolled back is never echoed: its table is read
 *   uncached for UNSETTLED_MS.
 * - A load that raced an invalidation is not kept (a generation counter). While the LISTEN connection is
 *   down nothing is cached: what was notified meanwhile is lost, so the caches start empty when it is back.
 *
 * The caches of a database are found from any of its transactions (drizzle hands every transaction the
 * database's dialect). A database without `startCaching` (most tests that call services directly) reads
 * through, uncached.
 */
export const CACHE_CHANNEL = 'omnihub_cache';

/** A drizzle database or transaction: the caches find their set from its dialect. */
type Db = object;

/** LISTEN as the Database offers it. */
interface Listener {
  db: Db;
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onState?: (up: boolean) => void,
  ): Promise<() => Promise<void>>;
}

/** The tables whose readers cache them; schema.sql puts the notifying trigger on each. */
export const cachedTables = [
  'api_clients',
  'api_client_keys',
  'delivery_experiences',
  'delivery_experience_stores',
  'nodes',
  'parameter_values',
  'products',
] as const;
export type CachedTable = (typeof cachedTables)[number];

/** A statement that writes a cached table: INSERT INTO, UPDATE or DELETE FROM, quoted or not. */
const WRITE = new RegExp(
  `\\b(?:insert\\s+into|update|delete\\s+from)\\s+(?:only\\s+)?"?(${cachedTables.join('|')})"?(?=[\\s(,;]|$)`,
  'gi',
);
/** TRUNCATE names its tables in a list: every cached one it names. */
const TRUNCATE = /^\s*truncate\b/i;
const NAMED = new RegExp(`\\b(${cachedTables.join('|')})\\b`, 'gi');

/** How long a written table is read through when its notification never comes (the write rolled back). */
const UNSETTLED_MS = 2_000;
/** Entries per cache before it starts over (a huge catalogue must not grow one without end). */
const MAX_ENTRIES = 100_000;

interface Table {
  generation: number;
  /**
   * Writes of this process not yet echoed by their notification, as deadlines: the cache is not used
   * meanwhile. A write that rolled back is never echoed and expires.
   */
  unsettled: number[];
  waiters: (() => void)[];
  maps: Set<Map<string, unknown>>;
}

export interface Caches {
  /** Whether the LISTEN connection is up (nothing is cached while it is not). */
  readonly live: boolean;
  stop(): Promise<void>;
}

class CacheSet implements Caches {
  live = false;
  /** Statements that wrote a cached table, ever: a request compares it before and after. */
  writes = 0;
  readonly tables = new Map<CachedTable, Table>();
  constructor(readonly stop: () => Promise<void>) {}

  table(name: CachedTable): Table {
    let t = this.tables.get(name);
    if (!t) {
      t = { generation: 0, unsettled: [], waiters: [], maps: new Set() };
      this.tables.set(name, t);
    }
    return t;
  }

  invalidate(name: CachedTable) {
    const t = this.table(name);
    t.generation++;
    for (const m of t.maps) m.clear();
  }

  invalidateAll() {
    for (const name of this.tables.keys()) this.invalidate(name);
  }

  notified(name: CachedTable) {
    const t = this.table(name);
    this.invalidate(name);
    // PostgreSQL folds a transaction's identical notifications into one, so which of this process's
    // writes it answers is unknown: every write waiting on the table counts as settled.
    t.unsettled.length = 0;
    for (const w of t.waiters.splice(0)) w();
  }
}

function unsettled(t: Table, now = Date.now()): boolean {
  while (t.unsettled.length && t.unsettled[0]! <= now) t.unsettled.shift();
  return t.unsettled.length > 0;
}

const byDialect = new WeakMap<object, CacheSet>();
const dialectOf = (db: Db): object => (db as { dialect: object }).dialect;
const setOf = (db: Db): CacheSet | undefined => byDialect.get(dialectOf(db));

/**
 * Starts the caches of `database` for this process: LISTEN on the channel, and caching once it listens.
 * The returned `stop` ends it (the caches read through again).
 */
export async function startCaching(database: Listener): Promise<Caches> {
  let unlisten: (() => Promise<void>) | undefined;
  const set = new CacheSet(async () => {
    set.live = false;
    set.invalidateAll();
    byDialect.delete(dialectOf(database.db));
    await unlisten?.();
  });
  unlisten = await database.listen(
    CACHE_CHANNEL,
    (payload) => set.notified(payload as CachedTable),
    (up) => {
      // Notifications sent while the connection was down are lost: start over empty.
      set.invalidateAll();
      set.live = up;
    },
  );
  set.live = true;
  byDialect.set(dialectOf(database.db), set);
  return set;
}

/**
 * A cache of one kind of lookup (e.g. a product by network and SKU) over the tables it reads. `get` answers
 * from memory or runs `load` and keeps its answer; `getMany` loads only the keys it lacks, in one `load`.
 * Undefined answers (nothing found) are not kept. Callers must not change what they are handed.
 */
export function cacheOf<V>(tables: readonly CachedTable[]) {
  const maps = new WeakMap<CacheSet, Map<string, V>>();
  /** The map to use now, with the generations to compare after a load; undefined to read through. */
  const current = (db: Db) => {
    const set = setOf(db);
    if (!set?.live) return undefined;
    const now = Date.now();
    const ts = tables.map((name) => set.table(name));
    if (ts.some((t) => unsettled(t, now))) return undefined;
    let map = maps.get(set);
    if (!map) {
      map = new Map();
      maps.set(set, map);
      for (const t of ts) t.maps.add(map as Map<string, unknown>);
    }
    const generations = ts.map((t) => t.generation);
    // Kept only when no change was notified while it loaded (it may have read the row before the change).
    const keep = (key: string, value: V) => {
      if (!set.live || ts.some((t, i) => t.generation !== generations[i])) return;
      if (map.size >= MAX_ENTRIES) map.clear();
      map.set(key, value);
    };
    return { map, keep };
  };
  return {
    async get(db: Db, key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
      const c = current(db);
      if (!c) return load();
      if (c.map.has(key)) return c.map.get(key);
      const value = await load();
      if (value !== undefined) c.keep(key, value);
      return value;
    },
    async getMany(
      db: Db,
      keys: readonly string[],
      load: (missing: string[]) => Promise<Map<string, V>>,
    ): Promise<Map<string, V>> {
      const c = current(db);
      if (!c) return load([...keys]);
      const out = new Map<string, V>();
      const missing: string[] = [];
      for (const key of keys) {
        if (c.map.has(key)) out.set(key, c.map.get(key)!);
        else missing.push(key);
      }
      if (missing.length === 0) return out;
      for (const [key, value] of await load(missing)) {
        out.set(key, value);
        c.keep(key, value);
      }
      return out;
    },
  };
}

function wrote(set: CacheSet, table: CachedTable): void {
  const t = set.table(table);
  set.invalidate(table);
  t.unsettled.push(Date.now() + UNSETTLED_MS);
  set.writes++;
}

/**
 * drizzle's query logger for a database: every statement it sends that writes a cached table marks that
 * table written (see above). Bind it to the database drizzle made with it.
 */
export function cacheWatcher() {
  let dialect: object | undefined;
  return {
    bind(db: Db) {
      dialect = dialectOf(db);
    },
    logQuery(query: string) {
      const set = dialect && byDialect.get(dialect);
      if (!set) return;
      for (const match of query.matchAll(TRUNCATE.test(query) ? NAMED : WRITE))
        wrote(set, match[1]!.toLowerCase() as CachedTable);
    },
  };
}

/** How many statements of this process wrote a cached table so far (compare before and after a request). */
export function writesOf(db: Db): number {
  return setOf(db)?.writes ?? 0;
}

/** The longest an answer waits for the notifications of its writes (they come within milliseconds). */
const SETTLE_WAIT_MS = 1_000;

/**
 * Resolves once every table this process wrote has its notification back, or after SETTLE_WAIT_MS;
 * undefined when none waits.
 */
export function settled(db: Db): Promise<void> | undefined {
  const set = setOf(db);
  if (!set) return undefined;
  const pending = [...set.tables.values()].filter((t) => unsettled(t));
  if (pending.length === 0) return undefined;
  return Promise.all(
    pending.map(
      (t) =>
        new Promise<void>((resolve) => {
          t.waiters.push(resolve);
          setTimeout(
            resolve,
            Math.min(SETTLE_WAIT_MS, Math.max(0, t.unsettled.at(-1)! - Date.now())),
          ).unref();
        }),
    ),
  ).then(() => undefined);
}
