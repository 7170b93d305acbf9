import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { rows } from '../platform/db/sql.ts';

/**
 * Serialises reprocess requests of one network until the transaction ends, so two requests cannot both
 * find the same ticket free of a job (on PGlite transactions are serial anyway).
 */
export async function lockReprocessRequests(tx: Db, networkId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`connector.reprocess:${networkId}`}))`);
}

/** Which of the tickets a queued or running job of the queue holds, and that job. */
export async function heldTickets(
  db: Db,
  queue: string,
  ticketIds: readonly string[],
): Promise<{ ticketId: string; jobId: string }[]> {
  if (ticketIds.length === 0) return [];
  return rows<{ ticketId: string; jobId: string }>(
    db,
    sql`select held.id as "ticketId", j.id as "jobId"
          from jobs j, jsonb_array_elements_text(j.payload->'ticketIds') as held(id)
         where j.queue = ${queue} and j.status in ('queued', 'running')
           and held.id in (${sql.join(
             ticketIds.map((id) => sql`${id}`),
             sql`, `,
           )})
         order by j.created_at`,
  );
}
