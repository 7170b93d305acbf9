import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { apiClients } from '../access/schema.ts';
import { nodes } from '../network/schema.ts';
import {
  interfaceDirections,
  interfaceMethods,
  mappingKinds,
  platforms,
  runOutcomes,
  runTriggers,
} from './domain.ts';

/**
 * A network's connection to an e-commerce platform: one per network and platform. `settings` holds what may
 * be shown (account name, base URL, default store code); `secrets` the sealed credentials (app key/token,
 * hook token, HMAC secret), never answered. Orders it brings in are ingested as its API client, whose
 * webhook endpoint has the platform as its kind: the outbox then reaches the platform through its adapter.
 */
export const connectorConnections = pgTable(
  'connector_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    platform: text('platform', { enum: platforms }).notNull(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => apiClients.id, { onDelete: 'restrict' }),
    settings: jsonb('settings').notNull().$type<Record<string, unknown>>(),
    /** Sealed with the installation's key (platform/secret-key.ts): a JSON object of the secret fields. */
    secrets: text('secrets').notNull(),
    active: boolean('active').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [uniqueIndex('connector_connections_network_platform_uq').on(t.networkId, t.platform)],
);

/** A platform's code translated to Omnihub's, per network (domain.ts `mappingKinds`). */
export const connectorMappings = pgTable(
  'connector_mappings',
  {
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    platform: text('platform', { enum: platforms }).notNull(),
    kind: text('kind', { enum: mappingKinds }).notNull(),
    externalCode: text('external_code').notNull(),
    internalCode: text('internal_code').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    primaryKey({ columns: [t.networkId, t.platform, t.kind, t.externalCode] }),
    check(
      'connector_mappings_codes_chk',
      sql`length(${t.externalCode}) between 1 and 120 and length(${t.internalCode}) between 1 and 120`,
    ),
  ],
);

/**
 * An integration interface of a network (seed 000 §5.3 `InterfaceIntegracao`): what is exchanged with which
 * satellite system, how, on which schedule (minutes or cron; neither: only when asked), and the adapter that
 * runs it. An inactive interface stays scheduled and its runs record `inactive`. `next_run_at` is the
 * scheduler's claim: the process whose conditional UPDATE moves it past now is the one that runs the period.
 */
export const integrationInterfaces = pgTable(
  'integration_interfaces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    code: integer('code').notNull(),
    name: text('name').notNull(),
    system: text('system').notNull(),
    direction: text('direction', { enum: interfaceDirections }).notNull(),
    method: text('method', { enum: interfaceMethods }).notNull(),
    scheduleMinutes: integer('schedule_minutes'),
    cron: text('cron'),
    active: boolean('active').notNull().default(true),
    /** `none`, a generic adapter (`http_json`, `file_drop`, `nats`) or a vendor adapter's name. */
    adapter: text('adapter').notNull().default('none'),
    adapterSettings: jsonb('adapter_settings').notNull().default({}).$type<Record<string, unknown>>(),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    uniqueIndex('integration_interfaces_network_code_uq').on(t.networkId, t.code),
    index('integration_interfaces_due_idx').on(t.nextRunAt),
    check(
      'integration_interfaces_schedule_chk',
      sql`(${t.scheduleMinutes} is null or ${t.scheduleMinutes} between 1 and 10080) and not (${t.scheduleMinutes} is not null and ${t.cron} is not null)`,
    ),
  ],
);

/**
 * One run of an interface: who started it, when it started and ended, how many items it moved, how it
 * ended. At most one `running` per interface (a partial unique index): that is "one run at a time" across
 * every process sharing the database.
 */
export const interfaceRuns = pgTable(
  'interface_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    interfaceId: uuid('interface_id')
      .notNull()
      .references(() => integrationInterfaces.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: runTriggers }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    outcome: text('outcome', { enum: runOutcomes }).notNull(),
    items: integer('items').notNull().default(0),
    message: text('message'),
    jobId: uuid('job_id'),
  },
  (t) => [
    index('interface_runs_history_idx').on(t.interfaceId, t.startedAt, t.id),
    uniqueIndex('interface_runs_one_running_uq').on(t.interfaceId).where(sql`outcome = 'running'`),
  ],
);
