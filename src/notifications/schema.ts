import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { channels } from './channel.ts';
import { notificationStatuses } from './domain.ts';

/**
 * Every message Omnihub sends or means to send (the "Caixa de saída"): written with its delivery job in the
 * transaction of the change that caused it, rendered and sent by the worker. `reference_id` (an order, a stock
 * request) has no foreign key: a message is a record of an exchange with the outside and outlives what it
 * was about, like the webhook tickets.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id').notNull(),
    /** The store the message is about (the order's store, the stock request's support store). */
    storeId: uuid('store_id').notNull(),
    referenceType: text('reference_type').notNull(),
    referenceId: uuid('reference_id').notNull(),
    /** The order the message concerns (a stock request's order too), for the order page's list. */
    orderId: uuid('order_id'),
    channel: text('channel', { enum: channels }).notNull(),
    /** An e-mail address or E.164 digits; empty when the recipient has none (then `not_sent`). */
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    /** What the template is rendered with (documented per template in domain.ts). */
    variables: jsonb('variables').notNull(),
    /** Links made when rendering, from ids (a DANFE link is signed and expires, so it is made at send time). */
    links: jsonb('links').notNull(),
    subject: text('subject'),
    text: text('text'),
    html: text('html'),
    /** WhatsApp only: the approved template's body parameters in order. */
    whatsappParameters: jsonb('whatsapp_parameters'),
    status: text('status', { enum: notificationStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** The provider's id (SMTP Message-ID, the Cloud API's wamid, "wa.me manual"). */
    providerId: text('provider_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** Who sent it by hand (the wa.me fallback), or null for the automatic ones. */
    sentBy: text('sent_by'),
  },
  (t) => [
    index('notifications_network_created_idx').on(t.networkId, t.createdAt),
    index('notifications_order_idx').on(t.orderId, t.createdAt),
  ],
);

/** A network's own subject / text / HTML of a template (IN_ALT_MENSAGEM); absent: the shipped text. */
export const notificationTemplates = pgTable(
  'notification_templates',
  {
    networkId: uuid('network_id').notNull(),
    code: text('code').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.networkId, t.code] })],
);
