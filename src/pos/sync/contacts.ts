import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';

interface Contact {
  storeId: string;
  terminal: string;
  at: Date;
  pendingUploads: number;
}

/**
 * Each terminal's last contact (X-Pos-Terminal, X-Pos-Pending-Uploads), kept in memory and written in one
 * statement per flush: a store's terminals poll every type every few minutes, and a row update per poll would
 * cost more than the poll itself. A crash loses at most one flush period of "last seen".
 */
export class ContactBuffer {
  private readonly pending = new Map<string, Contact>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  note(storeId: string, terminal: string, at: Date, pendingUploads: number | undefined): void {
    const key = `${storeId}\u0000${terminal}`;
    const before = this.pending.get(key);
    this.pending.set(key, {
      storeId,
      terminal,
      at: before && before.at > at ? before.at : at,
      pendingUploads: pendingUploads ?? before?.pendingUploads ?? -1,
    });
  }

  /** Writes what was noted since the last flush; the next flush waits for this one. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write()).catch(this.onError);
    return this.flushing;
  }

  start(everyMs = 15_000): void {
    this.timer = setInterval(() => void this.flush(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    // -1: the terminal did not say; the row keeps what it said before.
    const values = sql.join(
      batch.map(
        (c) =>
          sql`(${c.storeId}::uuid, ${c.terminal}::text, ${c.at.toISOString()}::timestamptz, ${c.pendingUploads}::int)`,
      ),
      sql`, `,
    );
    await this.db.execute(sql`with v(store_id, terminal, at, pending) as (values ${values})
      insert into pos_sync_contacts as c (store_id, terminal, last_contact_at, pending_uploads)
      select v.store_id, v.terminal, v.at, greatest(v.pending, 0) from v
      on conflict (store_id, terminal) do update set
        last_contact_at = greatest(c.last_contact_at, excluded.last_contact_at),
        pending_uploads = case
          when (select v.pending from v where v.store_id = c.store_id and v.terminal = c.terminal) < 0
          then c.pending_uploads else excluded.pending_uploads end`);
  }
}
