import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Every administrative change, written in the transaction of the change itself. Append-only: the
 * migration adds triggers that refuse UPDATE, DELETE and TRUNCATE, so not even a bug or a hand-typed
 * statement rewrites history. `node_path` is the materialised path of the node the change concerns,
 * copied here so an admin's subtree filter needs no join with the network's tables.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    networkId: uuid('network_id').notNull(),
    nodeId: uuid('node_id'),
    nodeCode: text('node_code'),
    nodePath: text('node_path').notNull(),
    actorKind: text('actor_kind', { enum: ['user', 'client', 'system'] }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role'),
    address: text('address'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    targetLabel: text('target_label').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [
    index('audit_events_network_at_idx').on(t.networkId, t.at, t.id),
    index('audit_events_path_idx').using('btree', sql`${t.nodePath} text_pattern_ops`),
    index('audit_events_target_idx').on(t.targetType, t.targetId),
  ],
);
