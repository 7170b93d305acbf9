import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { type ChannelFor, channels } from './channel.ts';
import { notificationStatuses, templateCodes } from './domain.ts';
import { ChannelState, Notification, NotificationDetails, Template, TemplateText } from './payloads.ts';
import * as notifications from './service.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const CodeParams = Type.Object({ code: StringEnum(templateCodes) });
const OutboxQuery = Type.Object({
  status: Type.Optional(StringEnum(notificationStatuses)),
  channel: Type.Optional(StringEnum(channels)),
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  ...PageQuery,
});
const code = (req: { params: unknown }) => (req.params as Static<typeof CodeParams>).code;

export interface NotificationRouteDeps {
  channelFor: ChannelFor;
  wakeWorker?: () => void;
}

/** The "Caixa de saída" (the back office's outbox) and the messages' texts. */
export function registerNotificationRoutes(app: App, db: Db, deps: NotificationRouteDeps) {
  const tags = ['notifications'];

  app.get(
    '/api/v1/notifications',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The outbox: messages to the stores and customers of your subtree, newest first',
        description: '`from` / `to`: days (YYYY-MM-DD, Brasília) or instants; `to` as a day includes it.',
        querystring: OutboxQuery,
        response: { 200: PageOf(Notification) },
      },
    },
    async (req) =>
      unwrap(await notifications.listOutbox(db, principalOf(req), req.query as Static<typeof OutboxQuery>)),
  );

  app.get(
    '/api/v1/notifications/channels',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Whether each channel sends for your network (e-mail off: messages are recorded, not sent)',
        response: { 200: Type.Object({ items: Type.Array(ChannelState) }) },
      },
    },
    async (req) => ({
      items: await notifications.channelStates(deps.channelFor, principalOf(req).networkId),
    }),
  );

  app.get(
    '/api/v1/notifications/:id',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'One message with what it said (subject, text, HTML)',
        params: IdParams,
        response: { 200: NotificationDetails },
      },
    },
    async (req) => unwrap(await notifications.getNotification(db, principalOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/notifications/:id/retry',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Send a failed message again ("Reenviar")',
        description: '409 NOTIFICATION.NOT_FAILED for a message that is not failed.',
        params: IdParams,
        response: { 202: Notification },
      },
    },
    async (req, reply) => {
      const queued = unwrap(await notifications.retryNotification(db, principalOf(req), req.params.id));
      deps.wakeWorker?.();
      return reply.code(202).send(queued);
    },
  );

  app.get(
    '/api/v1/notification-templates',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The messages’ texts of your network (its own, or the shipped ones), with their variables',
        response: { 200: Type.Object({ items: Type.Array(Template) }) },
      },
    },
    async (req) => ({ items: await notifications.listTemplates(db, principalOf(req)) }),
  );

  app.put(
    '/api/v1/notification-templates/:code',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Change a message’s subject, text and HTML for your network (permission IN_ALT_MENSAGEM)',
        description:
          'Liquid templates (`{{ variable }}`, `{% if %}`, `{% for %}`); HTML output is escaped. 403 ' +
          'NOTIFICATION.PERMISSION_REQUIRED without IN_ALT_MENSAGEM; 422 NOTIFICATION.TEMPLATE_INVALID with ' +
          'the engine’s message (line and column) per part.',
        params: CodeParams,
        body: TemplateText,
        response: { 200: Template },
      },
    },
    async (req) => unwrap(await notifications.saveTemplate(db, principalOf(req), code(req), req.body)),
  );

  app.delete(
    '/api/v1/notification-templates/:code',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Restore the shipped text of a message ("Restaurar padrão"; permission IN_ALT_MENSAGEM)',
        params: CodeParams,
        response: { 200: Template },
      },
    },
    async (req) => unwrap(await notifications.resetTemplate(db, principalOf(req), code(req))),
  );
}
