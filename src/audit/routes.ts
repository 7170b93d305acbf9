import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import { admins, type Principal, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { CSV_HEADER, csvLine } from './domain.ts';
import * as audit from './service.ts';

const Actor = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('client'), Type.Literal('system')]),
  id: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  role: Type.Union([Type.String(), Type.Null()], { description: "The user's role or the client's scope" }),
  address: Type.Union([Type.String(), Type.Null()], { description: 'IP address the change came from' }),
});
const Target = Type.Object({
  type: Type.String({ description: 'node, user, api_client, parameter, fiscal_settings, webhook, …' }),
  id: Type.String(),
  label: Type.String(),
  nodeCode: Type.Union([Type.String(), Type.Null()], { description: 'The node the change belongs to' }),
});
const Snapshot = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
  description: 'The value before or after; secrets are masked',
});
const AuditEvent = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Actor,
  action: Type.String({ description: 'What was done, as "target.verb": node.created, user.role_changed, …' }),
  target: Target,
  before: Snapshot,
  after: Snapshot,
});
const Filters = {
  from: Type.Optional(
    Type.String({
      maxLength: 40,
      description:
        'YYYY-MM-DD (from the start of that São Paulo day) or an ISO date-time (no offset: São Paulo)',
    }),
  ),
  to: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'YYYY-MM-DD (up to the end of that São Paulo day) or an ISO date-time, exclusive',
    }),
  ),
  actor: Type.Optional(Type.String({ maxLength: 120, description: 'Who: an id, or part of the name' })),
  target: Type.Optional(
    Type.String({
      maxLength: 120,
      description: 'What: a target type, an id, a node code or part of the label',
    }),
  ),
  action: Type.Optional(
    Type.String({ maxLength: 80, description: 'An action, or its prefix (user, node, …)' }),
  ),
  node: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: "A node's code: its subtree" }),
  ),
};
const ListQuery = Type.Object({ ...Filters, ...PageQuery });

/** Resolves a node code to the path of a node the viewer manages, or undefined. */
export type NodePathOf = (viewer: Principal, code: string) => Promise<string | undefined>;

export function registerAuditRoutes(app: App, db: Db, nodePathOf: NodePathOf) {
  const tags = ['audit'];
  const scoped = async (viewer: Principal, node: string | undefined) => {
    if (!node) return undefined;
    const path = await nodePathOf(viewer, node);
    if (!path?.startsWith(viewer.nodePath)) {
      unwrap(fail('not_found', 'AUDIT.NODE_NOT_FOUND', `There is no node ${node} you manage.`));
    }
    return path;
  };

  app.get(
    '/api/v1/audit-events',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Administrative changes of your subtree, newest first (append-only; secrets masked)',
        querystring: ListQuery,
        response: { 200: PageOf(AuditEvent) },
      },
    },
    async (req) => {
      const viewer = principalOf(req);
      const q = req.query as Static<typeof ListQuery>;
      return unwrap(await audit.list(db, viewer, { ...q, nodePath: await scoped(viewer, q.node) }));
    },
  );

  app.get(
    '/api/v1/audit-events.csv',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'The same events as CSV (UTF-8 with BOM, for spreadsheets), up to 100,000 rows',
        querystring: Type.Object(Filters),
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const viewer = principalOf(req);
      const q = req.query as Static<typeof ListQuery>;
      const filters = { ...q, nodePath: await scoped(viewer, q.node) };
      // Validate the filters before the first byte goes out: a bad period is a 422, not a broken download.
      unwrap(await audit.list(db, viewer, { ...filters, limit: 1 }));
      const lines = [`\uFEFF${CSV_HEADER.join(',')}`];
      for await (const e of audit.all(db, viewer, filters)) lines.push(csvLine(e));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="auditoria.csv"')
        .send(`${lines.join('\r\n')}\r\n`);
    },
  );
}
