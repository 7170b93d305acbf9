/**
 * The POS's own copy of what it needs to sell with the server away (IndexedDB through `idb`): one object
 * store per data type downloaded from `GET /pos/sync/{dataType}`, the sync position of each (`meta`), and
 * the uploads waiting to be sent (`outbox`), refused (`refused`) or answered (`sent`).
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/** The data types this client downloads (a subset of the server's `dataTypes`: what selling offline needs). */
export const offlineTypes = [
  'products',
  'product-eans',
  'prices',
  'stock',
  'campaigns',
  'payment-methods',
  'customers',
  'return-reasons',
  'store-setup',
  'parameters',
] as const;
export type OfflineType = (typeof offlineTypes)[number];

/** The node a record belongs to, most general first: a store sees its network's, central's and own. */
export type RecordScope = 'network' | 'central' | 'store';

/**
 * One record as served by the feed. A key may exist once per scope (a network price and the store's own
 * price of the same SKU), so the object stores are keyed by (key, scope) with an index on the key.
 */
export interface SyncRecord {
  key: string;
  scope: RecordScope;
  data: Record<string, unknown>;
  changedAt: string;
}

/** Where the POS stands in the feed of one type. */
export interface SyncMeta {
  dataType: OfflineType;
  /** The server's opaque cursor, passed back as `since`; null until the first full load completes a page. */
  cursor: string | null;
  /** When the server will release new data (null: the store is in the exception list, no waiting). */
  nextAllowedAt: string | null;
  /** The last poll that reached the server. */
  lastSyncAt: string | null;
  /** The last full load (the POS replaced its copy). */
  lastFullAt: string | null;
  records: number;
}

export const uploadKinds = [
  'cash-opening',
  'cash-movement',
  'cash-closing',
  'customer',
  'sale',
  'z-reduction',
] as const;
export type UploadKind = (typeof uploadKinds)[number];

/** An upload queued on this terminal: sequence and posId are fixed when queued, so a re-send is recognised. */
export interface OutboxEntry {
  sequence: number;
  kind: UploadKind;
  posId: string;
  /** The whole request body, common fields included (terminal, sequence, posId, occurredAt). */
  body: Record<string, unknown>;
  queuedAt: string;
  attempts: number;
  /** Not before this instant (backoff after a failed connection). */
  nextAttemptAt: string;
  /** The last failure that was not a refusal (no connection, server error), for the status line. */
  lastError: string | null;
}

/** An upload the server refused (422, 409): kept with its reason for the cashier and support. */
export interface RefusedUpload extends OutboxEntry {
  status: number;
  code: string | null;
  message: string;
  errors: { field?: string; code?: string; message?: string }[];
  refusedAt: string;
}

/** An upload the server applied, with its answer (the sale's NFC-e key is in `result`). */
export interface SentUpload {
  sequence: number;
  kind: UploadKind;
  posId: string;
  uploadId: string | null;
  replayed: boolean;
  result: Record<string, unknown>;
  sentAt: string;
}

/** The cash session open on this terminal (the cash-opening upload's posId ties the sales to it). */
export interface CashSession {
  posId: string;
  amount: string;
  openedAt: string;
}

type RecordStore = { key: [string, RecordScope]; value: SyncRecord; indexes: { 'by-key': string } };

export interface OfflineSchema extends DBSchema {
  products: RecordStore;
  'product-eans': RecordStore;
  prices: RecordStore;
  stock: RecordStore;
  campaigns: RecordStore;
  'payment-methods': RecordStore;
  customers: RecordStore;
  'return-reasons': RecordStore;
  'store-setup': RecordStore;
  parameters: RecordStore;
  meta: { key: OfflineType; value: SyncMeta };
  outbox: { key: number; value: OutboxEntry };
  refused: { key: number; value: RefusedUpload };
  sent: { key: string; value: SentUpload; indexes: { 'by-sequence': number } };
  /** Small named values: the upload sequence counter, the open cash session. */
  local: { key: string; value: number | CashSession };
}

export type OfflineDb = IDBPDatabase<OfflineSchema>;

export const OFFLINE_DB = 'omnihub-pos';
const VERSION = 1;

export function openOfflineDb(name = OFFLINE_DB): Promise<OfflineDb> {
  return openDB<OfflineSchema>(name, VERSION, {
    upgrade(db) {
      for (const type of offlineTypes) {
        const store = db.createObjectStore(type, { keyPath: ['key', 'scope'] });
        store.createIndex('by-key', 'key');
      }
      db.createObjectStore('meta', { keyPath: 'dataType' });
      db.createObjectStore('outbox', { keyPath: 'sequence' });
      db.createObjectStore('refused', { keyPath: 'sequence' });
      db.createObjectStore('sent', { keyPath: 'posId' }).createIndex('by-sequence', 'sequence');
      db.createObjectStore('local');
    },
  });
}

let shared: Promise<OfflineDb> | null = null;

/** The page's one connection (the shell's sync loop and the sale page share it). */
export function offlineDb(): Promise<OfflineDb> {
  shared ??= openOfflineDb();
  return shared;
}

/** Every record of a key across scopes (a SKU's network, central and store prices). */
export function recordsOf(db: OfflineDb, type: OfflineType, key: string): Promise<SyncRecord[]> {
  return db.getAllFromIndex(type, 'by-key', key);
}

/** The terminal's id, generated once on this computer (X-Pos-Terminal and every upload's `terminal`). */
export const TERMINAL_KEY = 'omnihub.posTerminal';

export function terminalId(): string {
  let id = localStorage.getItem(TERMINAL_KEY);
  if (!id) {
    // 40 characters at most on the server; a short random id is enough to tell a store's terminals apart.
    id = `pdv-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem(TERMINAL_KEY, id);
  }
  return id;
}
