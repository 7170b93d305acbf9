import { Type } from '@sinclair/typebox';
import { StringEnum } from '../platform/http/schemas.ts';
import { channels } from './channel.ts';
import { notificationStatuses, templateCodes } from './domain.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Notification = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    channel: StringEnum(channels),
    to: Type.String({
      description: 'E-mail address or WhatsApp number (E.164 digits); empty when there is none',
    }),
    template: Type.String({ description: 'store_new_order, order_accepted, order_in_transit, ...' }),
    status: StringEnum(notificationStatuses, {
      description:
        'queued (waiting for an attempt), sending, sent, failed (refused for good or out of attempts), ' +
        'not_sent (channel not configured or no recipient: recorded, never sent)',
    }),
    attempts: Type.Integer(),
    lastError: Nullable(Type.String({ description: 'The last failure, or why it was not sent' })),
    providerId: Nullable(Type.String({ description: 'SMTP Message-ID, WhatsApp wamid, or "wa.me manual"' })),
    storeCode: Nullable(Type.String()),
    orderId: Nullable(Type.String({ format: 'uuid' })),
    reference: Type.Object({ type: Type.String(), id: Type.String() }),
    createdAt: Type.String({ format: 'date-time' }),
    sentAt: Nullable(Type.String({ format: 'date-time' })),
    nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
    subject: Nullable(Type.String()),
  },
  { $id: 'Notification' },
);

export const NotificationDetails = Type.Composite(
  [
    Type.Omit(Notification, []),
    Type.Object({
      text: Nullable(Type.String({ description: 'The text part / the WhatsApp text' })),
      html: Nullable(Type.String({ description: 'The e-mail’s HTML part, as sent' })),
      whatsappParameters: Nullable(Type.Array(Type.String())),
    }),
  ],
  { $id: 'NotificationDetails' },
);

export const ChannelState = Type.Object({ channel: StringEnum(channels), live: Type.Boolean() });

export const TemplateText = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 300 }),
    text: Type.String({ minLength: 1, maxLength: 20_000 }),
    html: Type.String({ minLength: 1, maxLength: 100_000 }),
  },
  { additionalProperties: false },
);

export const Template = Type.Object(
  {
    code: StringEnum(templateCodes),
    title: Type.String(),
    subject: Type.String(),
    text: Type.String(),
    html: Type.String(),
    variables: Type.Record(Type.String(), Type.String(), { description: 'Each variable and what it holds' }),
    whatsappParameters: Type.Array(Type.String(), {
      description: 'The variables sent, in order, as the approved WhatsApp template’s body parameters',
    }),
    customised: Type.Boolean({ description: 'The network changed it (else the shipped text)' }),
    updatedBy: Nullable(Type.String()),
    updatedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'NotificationTemplate' },
);
