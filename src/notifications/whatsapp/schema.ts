import { sql } from 'drizzle-orm';
import { boolean, check, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { nodes } from '../../network/schema.ts';

/**
 * A network's WhatsApp Business account (Cloud API): the business phone number that sends, the access
 * token (sealed under the installation's secret key, like the fiscal certificates) and which approved
 * template serves each Omnihub message. One per network; its stores' customers hear from that number.
 */
export const whatsappAccounts = pgTable(
  'whatsapp_accounts',
  {
    networkId: uuid('network_id')
      .primaryKey()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    phoneNumberId: text('phone_number_id').notNull(),
    businessAccountId: text('business_account_id').notNull(),
    baseUrl: text('base_url').notNull(),
    apiVersion: text('api_version').notNull(),
    /** The templates' language when a message names none (pt_BR). */
    language: text('language').notNull().default('pt_BR'),
    accessToken: text('access_token').notNull(),
    /** Omnihub template code → the approved template's name; a code left out is sent under its own name. */
    templates: jsonb('templates').$type<Record<string, string>>().notNull().default({}),
    active: boolean('active').notNull().default(true),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('whatsapp_accounts_templates_chk', sql`jsonb_typeof(${t.templates}) = 'object'`)],
);
