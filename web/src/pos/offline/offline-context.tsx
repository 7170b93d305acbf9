import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { onReachability } from '../pos-api.ts';
import { type OfflineDb, offlineDb, type RefusedUpload, type SyncMeta } from './db.ts';
import { type SyncLoop, startSyncLoop } from './sync.ts';
import { pendingCount, retryNow, startUploadLoop, type UploadLoop } from './uploads.ts';

export interface OfflineState {
  db: OfflineDb | null;
  /** Where each type stands (last sync, next release). */
  metas: SyncMeta[];
  pendingUploads: number;
  refused: RefusedUpload[];
  /** Bumped whenever the copy or the queue changed, for pages that read IndexedDB themselves. */
  version: number;
  /** Re-reads the status now (after queueing an upload). */
  refresh(): Promise<void>;
  /** Sends the queue now (a sale just queued) and, with `sync`, polls every type too. */
  sendNow(opts?: { sync?: boolean }): void;
}

const OfflineContext = createContext<OfflineState | null>(null);

export function useOffline(): OfflineState {
  const state = useContext(OfflineContext);
  if (!state) throw new Error('useOffline outside OfflineProvider');
  return state;
}

/**
 * Mounted by the POS shell: opens the POS's IndexedDB, runs the download loop and the upload loop while
 * the counter is open, and restarts both the moment a call reaches the server again.
 */
export function OfflineProvider({ children }: { children: ReactNode }) {
  const [db, setDb] = useState<OfflineDb | null>(null);
  const [metas, setMetas] = useState<SyncMeta[]>([]);
  const [pendingUploads, setPending] = useState(0);
  const [refused, setRefused] = useState<RefusedUpload[]>([]);
  const [version, setVersion] = useState(0);
  const loops = useRef<{ sync: SyncLoop; uploads: UploadLoop } | null>(null);

  const refresh = useCallback(async () => {
    if (!db) return;
    const [m, p, r] = await Promise.all([db.getAll('meta'), pendingCount(db), db.getAll('refused')]);
    setMetas(m);
    setPending(p);
    setRefused(r.reverse());
    setVersion((v) => v + 1);
  }, [db]);

  useEffect(() => {
    let gone = false;
    offlineDb()
      .then((opened) => {
        if (!gone) setDb(opened);
      })
      .catch(() => {
        // No IndexedDB (private window of an old browser): the counter works online as before.
      });
    return () => {
      gone = true;
    };
  }, []);

  useEffect(() => {
    if (!db) return;
    const sync = startSyncLoop(db, {
      pendingUploads: () => pendingCount(db),
      onSynced: (outcome) => {
        if (outcome.pages > 0) void refresh();
      },
    });
    const uploads = startUploadLoop(db, { onFlushed: () => void refresh() });
    loops.current = { sync, uploads };
    void refresh();
    let wasReachable = true;
    const off = onReachability((reachable) => {
      // Back online: what waited goes now, not at the end of its backoff.
      if (reachable && !wasReachable) void retryNow(db).then(() => uploads.kick());
      wasReachable = reachable;
    });
    // The browser says the network is back: poll and send without waiting for a loop's next turn.
    const online = () => {
      sync.kick();
      void retryNow(db).then(() => uploads.kick());
    };
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      off();
      sync.stop();
      uploads.stop();
      loops.current = null;
    };
  }, [db, refresh]);

  const sendNow = useCallback(
    (opts: { sync?: boolean } = {}) => {
      if (!db) return;
      void retryNow(db).then(() => loops.current?.uploads.kick());
      if (opts.sync) loops.current?.sync.kick();
    },
    [db],
  );

  const state: OfflineState = { db, metas, pendingUploads, refused, version, refresh, sendNow };
  return <OfflineContext.Provider value={state}>{children}</OfflineContext.Provider>;
}
