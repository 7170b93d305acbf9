import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { nodes } from '../network/schema.ts';

/**
 * Values of system parameters set at a node; a node without a row inherits from its ancestors.
 * The definitions (type, default, scope) live in code (registry.ts), so `code` has no foreign key.
 */
export const parameterValues = pgTable(
  'parameter_values',
  {
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    value: jsonb('value').notNull(),
    /** The user or API client id that set it, or "system:<what>" for seeds and migrations. */
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.code] })],
);
