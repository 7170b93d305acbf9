/**
 * The notifications context's door. A lower context: orders and split decide who is told what and call
 * `enqueueNotification` in the transaction of their change; the worker (`notificationJobHandlers`) renders and
 * sends each message after the commit, with retries.
 */
export {
  type Channel,
  ChannelFault,
  type ChannelFor,
  type ChannelName,
  channels,
  type OutgoingMessage,
  type Sent,
} from './channel.ts';
export {
  customerChannels,
  customerTemplateFor,
  MAX_ATTEMPTS,
  type NotificationStatus,
  notificationStatuses,
  notSentReasons,
  type TemplateCode,
  templateCodes,
  waMeLink,
  whatsAppNumber,
} from './domain.ts';
export { DEFAULT_MAIL_FROM, parseSmtpUrl, smtpChannel } from './email/index.ts';
export {
  channelStates,
  getNotification,
  listOutbox,
  type NotificationDetails,
  type NotificationView,
  notificationsOfOrder,
  type OutboxQuery,
  retryNotification,
} from './outbox.ts';
/** The message's schema, for the order's route that lists its messages. */
export { Notification as NotificationPayload } from './payloads.ts';
export {
  DANFE_LINK_DAYS,
  defaultChannelFor,
  enqueueNotification,
  linksOf,
  MANUAL_PROVIDER,
  type NewNotification,
  NOTIFICATION_QUEUE,
  type NotificationLinks,
  notificationJobHandlers,
  notificationStatements,
  offlineChannel,
  recordManualWhatsApp,
  type SendDeps,
  type StoreEmail,
  storeEmail,
} from './sending.ts';
export { EDIT_PERMISSION, listTemplates, resetTemplate, saveTemplate, type TemplateView } from './texts.ts';
