import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { nodes } from '../network/schema.ts';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** argon2id; never a reversible form. */
    passwordHash: text('password_hash').notNull(),
    role: text('role', {
      enum: ['network_admin', 'central_admin', 'store_manager', 'store_staff'],
    }).notNull(),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    active: boolean('active').notNull().default(true),
    /** Set by an admin's temporary password: until the user picks their own, the session reaches only /auth. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /**
     * Restrictions lifted for this user beyond the role (domain.ts `permissions`: IN_ALT_MENSAGEM, changing the
     * messages' texts), managed by the admins on the users screen.
     */
    permissions: text('permissions').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_uq').on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the bearer token: a leaked table does not leak sessions. */
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Where and with what the user signed in, so they recognise their own sessions in "Minha conta". */
    address: text('address'),
    userAgent: text('user_agent'),
  },
  (t) => [uniqueIndex('sessions_token_uq').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

export const apiClients = pgTable('api_clients', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  scope: text('scope', { enum: ['platform', 'pos', 'erp'] }).notNull(),
  /** platform and erp: the network root; pos: the one store it serves. */
  nodeId: uuid('node_id')
    .notNull()
    .references(() => nodes.id, { onDelete: 'restrict' }),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/**
 * The keys of an API client: several live at once while a rotation overlaps (the old ones get an
 * expires_at), each revocable on its own.
 */
export const apiClientKeys = pgTable(
  'api_client_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => apiClients.id, { onDelete: 'cascade' }),
    /** SHA-256 of the key; keys are long random strings, so a fast hash is enough. */
    keyHash: text('key_hash').notNull(),
    /** The first characters of the key, to tell keys apart on screen ("ohk_Ab12"). */
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** null: no end; set to now + overlap when a newer key replaces it. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Written at most once a minute per key and process: a hint, not a ledger. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_client_keys_hash_uq').on(t.keyHash),
    index('api_client_keys_client_idx').on(t.clientId),
  ],
);

/** Short single-use codes a POS exchanges for a key of its client (typed at the counter, so hashed, short-lived). */
export const apiClientPairingCodes = pgTable(
  'api_client_pairing_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => apiClients.id, { onDelete: 'cascade' }),
    /** SHA-256 of the normalised code (8 characters, no dash, upper case). */
    codeHash: text('code_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set when exchanged, or when a newer code of the client voids it. */
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_client_pairing_codes_hash_uq').on(t.codeHash),
    index('api_client_pairing_codes_client_idx').on(t.clientId),
  ],
);

/** Wrong passwords in a row per account name (normalised e-mail, known or not): the login backoff. */
export const loginFailures = pgTable('login_failures', {
  email: text('email').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});
