import type { ChannelName } from './channel.ts';

/**
 * Notifications (issue 15 §7; seed 003 "Notificações", seed 000 §4.2): the store is e-mailed when an order or
 * a stock request arrives, the customer hears of the order's progress by the channels of
 * DS_FORMA_NOTIFICA_CLIENTE. Pure: statuses, the templates' catalogue, the channel choice, the wa.me link.
 */

/**
 * queued: waiting for (another) attempt; sending: a worker has it; sent; failed: the provider refused it for
 * good or every attempt failed ("Reenviar" queues it again); not_sent: the channel is not configured or the
 * recipient has no address, so it was recorded and never sent.
 */
export const notificationStatuses = ['queued', 'sending', 'sent', 'failed', 'not_sent'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

/** Attempts before a message is `failed` (the jobs' backoff between them: 1 s, 2 s, 4 s ... capped). */
export const MAX_ATTEMPTS = 8;

export const templateCodes = [
  'store_new_order',
  'store_stock_request',
  'order_accepted',
  'order_ready_for_pickup',
  'order_invoiced',
  'order_in_transit',
  'order_delivered',
] as const;
export type TemplateCode = (typeof templateCodes)[number];
export const isTemplateCode = (code: string): code is TemplateCode =>
  (templateCodes as readonly string[]).includes(code);

/** The customer's messages, by the status the order enters. */
export const customerTemplateFor: Partial<Record<string, TemplateCode>> = {
  accepted: 'order_accepted',
  ready_for_pickup: 'order_ready_for_pickup',
  invoiced: 'order_invoiced',
  in_transit: 'order_in_transit',
  delivered: 'order_delivered',
};

/** Who reads the message: the store's staff or the customer. */
export const audienceOf = (code: TemplateCode): 'store' | 'customer' =>
  code.startsWith('store_') ? 'store' : 'customer';

/**
 * The channels a customer message goes by: those DS_FORMA_NOTIFICA_CLIENTE lists for the store, each only
 * when the order carries that contact (an e-mail for `email`, a phone for `whatsapp`).
 */
export function customerChannels(
  configured: readonly string[],
  contact: { email?: string | null; phone?: string | null },
): { channel: ChannelName; to: string }[] {
  const out: { channel: ChannelName; to: string }[] = [];
  if (configured.includes('email')) out.push({ channel: 'email', to: contact.email?.trim() ?? '' });
  if (configured.includes('whatsapp'))
    out.push({ channel: 'whatsapp', to: whatsAppNumber(contact.phone) ?? '' });
  return out;
}

/**
 * A Brazilian phone as WhatsApp wants it (E.164 digits, 55 + DDD + number): "(11) 98765-4321" → 5511987654321.
 * Numbers already with the country code are kept; anything else that is not 10 or 11 digits is no number.
 */
export function whatsAppNumber(phone: string | null | undefined): string | undefined {
  const digits = (phone ?? '').replace(/\D/g, '').replace(/^0+/, '');
  if (digits.length === 10 || digits.length === 11) return `55${digits}`;
  if ((digits.length === 12 || digits.length === 13) && digits.startsWith('55')) return digits;
  return undefined;
}

/** The manual fallback (seed 003 "Notificar cliente"): WhatsApp Web / the app opened with the text written. */
export function waMeLink(phone: string, text: string): string {
  return `https://wa.me/${phone}?text=${encodeURIComponent(text)}`;
}

/** Why a message was recorded and not sent, in the words the back office shows (pt-BR, as written). */
export const notSentReasons = {
  noRecipientEmail: 'Destinatário sem e-mail cadastrado',
  noRecipientPhone: 'Destinatário sem telefone válido',
  storeWithoutEmail: 'A loja não tem e-mail cadastrado',
  storeEmailOff: 'Aviso por e-mail às lojas desligado (CD_EMAIL_ENVPRATELEIRAPDV)',
  smtpOff: 'SMTP não configurado',
  whatsAppOff: 'WhatsApp não configurado',
} as const;

/** The reason a channel that is not live gives. */
export const offlineReason = (channel: ChannelName) =>
  channel === 'email' ? notSentReasons.smtpOff : notSentReasons.whatsAppOff;
