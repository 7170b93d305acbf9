import { dataTypes, MAX_INTERVAL_MINUTES } from './domain.ts';

const cell = (text: string) => text.replaceAll('|', '\\|');

/** A Markdown table padded as the formatter pads it, so `npx biome check` leaves the generated file alone. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/**
 * docs/pos-sync.md: the POS's data types and their intervals rendered from domain.ts (`npm run
 * docs:generate`); a test fails when the committed file differs.
 */
export function renderPosSyncDocs(): string {
  return [
    '# POS data sync',
    '',
    '<!-- Generated from src/pos/sync/docs.ts and src/pos/sync/domain.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'What each store’s POS downloads (seed 000 §2, the Taskmanager) and how often. A POS polls',
    '`GET /api/v1/pos/sync/{dataType}` with its key; the store’s release of a type advances at most once per',
    'interval (LoteAgendamento: the store’s own interval, else the network’s, else the default below), at once',
    'for a store in the exception list (LoteExcecao), and from the beginning when support asked a full load.',
    'The last download per store and type is its LoteControle row (`pos_sync_controls`).',
    '',
    '## The feed',
    '',
    'Every record a POS may hold is one row of `pos_sync_records` per (type, scope, key): the scope is the',
    'network root, a central or a store, and a store downloads its ancestry’s records. Types whose source is',
    '`hub` are written by triggers on Omnihub’s own tables in the same transaction as the change',
    '(`src/pos/sync/schema.sql`, `pos_sync_put`); `central` types are written by the central’s systems through',
    '`PUT /api/v1/pos-sync/records/{dataType}/{key}`. A removed record stays as a tombstone (`deleted`).',
    '',
    'A record’s position is its writing transaction id and a sequence value. A poll releases only positions of',
    'transactions older than every transaction still running in this database (the snapshot’s running',
    'transactions, less those `pg_stat_activity` shows in another database of the same server), so a',
    'transaction that commits late can never land behind a cursor already handed out, and one left open in',
    'another database does not hold every store’s downloads back.',
    '',
    '## Data types',
    '',
    `Minutes: the seed’s (its LoteAgendamento table), and the default applied when the seed gives none (the`,
    `Taskmanager’s 10 minutes, or the type it is a facet of). A network or store may set 0 to ${MAX_INTERVAL_MINUTES}.`,
    '',
    ...table(
      ['Code', 'Seed name', 'Seed minutes', 'Default minutes', 'Source'],
      dataTypes.map((d) => [
        `\`${d.code}\``,
        cell(d.seedName ?? '—'),
        d.seedMinutes === null ? '—' : String(d.seedMinutes),
        String(d.minutes),
        d.source,
      ]),
    ),
    '',
  ].join('\n');
}
