import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../../platform/db/index.ts';
import { principalOf } from '../../platform/http/access.ts';
import { unwrap } from '../../platform/http/problems.ts';
import { StringEnum } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/server.ts';
import { DEFAULT_PAGE, MAX_PAGE } from './domain.ts';
import * as sync from './service.ts';

export interface PosSyncRouteOptions {
  /** The app's clock (tests step it past an interval); the system clock by default. */
  clock?: () => Date;
  /** How often terminal contacts are written (default 15 s). */
  contactFlushMs?: number;
}

const DataTypeParams = Type.Object({
  dataType: Type.String({ maxLength: 40, description: 'A data type code (docs/pos-sync.md), e.g. `prices`' }),
});
const PollQuery = Type.Object({
  since: Type.Optional(
    Type.String({ maxLength: 200, description: 'The previous answer’s nextCursor; absent: a full load' }),
  ),
  full: Type.Optional(
    Type.Boolean({ description: 'Ask a full load (the POS replaces its copy of the type)' }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE, description: 'Items per page' }),
  ),
});
const PollHeaders = Type.Object({
  'x-pos-terminal': Type.Optional(
    Type.String({ minLength: 1, maxLength: 40, description: 'The terminal id (default "default")' }),
  ),
  'x-pos-pending-uploads': Type.Optional(
    Type.String({ pattern: '^[0-9]{1,6}$', description: 'Uploads the terminal holds queued' }),
  ),
});
const Item = Type.Object({
  key: Type.String(),
  scope: StringEnum(['network', 'central', 'store'] as const),
  deleted: Type.Boolean({ description: 'A tombstone: the POS removes the record' }),
  data: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  changedAt: Type.String({ format: 'date-time' }),
});
const PollAnswer = Type.Object({
  dataType: Type.String(),
  full: Type.Boolean({ description: 'A full load from the start: the POS replaces its copy of the type' }),
  items: Type.Array(Item),
  nextCursor: Type.String({ description: 'Opaque: pass it as `since`' }),
  hasMore: Type.Boolean(),
  nextAllowedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the next release may come; null while the store is in the exception list',
  }),
});

const RecordParams = Type.Object({
  dataType: Type.String({ maxLength: 40 }),
  key: Type.String({ minLength: 1, maxLength: 120 }),
});
const RecordBody = Type.Object(
  {
    storeCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 20, description: 'A store; absent: your network (or central)' }),
    ),
    data: Type.Object({}, { additionalProperties: true, description: 'The record as the POS reads it' }),
  },
  { additionalProperties: false },
);
const RecordQuery = Type.Object({ storeCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })) });
const RecordAnswer = Type.Object({
  dataType: Type.String(),
  key: Type.String(),
  storeCode: Type.Union([Type.String(), Type.Null()]),
  created: Type.Boolean(),
});

/** The POS's download (Taskmanager) and the central's records API. */
export function registerPosSyncRoutes(app: App, db: Db, opts: PosSyncRouteOptions = {}) {
  const clock = opts.clock ?? (() => new Date());
  const contacts = new sync.ContactBuffer(db, (error) => app.log.error({ err: error }, 'pos sync contacts'));
  contacts.start(opts.contactFlushMs);
  app.addHook('onClose', () => contacts.stop());

  // No connector ticket per poll: the answers are the feed itself, and a store's terminals poll every type
  // every few minutes; the terminal's contact is what support reads (pos_sync_contacts).
  app.get(
    '/api/v1/pos/sync/:dataType',
    {
      config: { access: ['pos'] },
      schema: {
        tags: ['pos'],
        summary: 'Download a data type (the Taskmanager’s poll): what changed since the cursor, when due',
        description:
          'The release advances when the type is due (its interval since the last download, the exception ' +
          'list, or a full load asked by support); next pages and full loads are never gated. 404 ' +
          'POS.UNKNOWN_DATA_TYPE; 422 POS.BAD_CURSOR. An empty page that is not due has Retry-After.',
        params: DataTypeParams,
        querystring: PollQuery,
        headers: PollHeaders,
        response: { 200: PollAnswer },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { dataType } = req.params as Static<typeof DataTypeParams>;
      const q = req.query as Static<typeof PollQuery>;
      const h = req.headers as Static<typeof PollHeaders>;
      const now = clock();
      const pending = h['x-pos-pending-uploads'];
      contacts.note(p.nodeId, h['x-pos-terminal'] ?? 'default', now, pending ? Number(pending) : undefined);
      const answer = unwrap(
        await sync.poll(
          db,
          { storeId: p.nodeId, networkId: p.networkId, path: p.nodePath },
          { dataType, since: q.since, full: q.full, limit: q.limit },
          now,
        ),
      );
      if (answer.retryAfter !== null) reply.header('retry-after', String(answer.retryAfter));
      const { retryAfter: _, ...body } = answer;
      return body;
    },
  );

  const writers = { access: ['network_admin', 'central_admin', 'erp'] as const };
  app.put(
    '/api/v1/pos-sync/records/:dataType/:key',
    {
      config: writers,
      schema: {
        tags: ['pos-sync'],
        summary:
          'Write a central-fed record (ERP, tax engine) for every POS of the network, a central or a store',
        description: '409 POS.SYNC_TYPE_OWNED_BY_HUB for a type Omnihub owns; 404 POS.UNKNOWN_DATA_TYPE.',
        params: RecordParams,
        body: RecordBody,
        response: { 200: RecordAnswer, 201: RecordAnswer },
      },
    },
    async (req, reply) => {
      const { dataType, key } = req.params as Static<typeof RecordParams>;
      const body = req.body as Static<typeof RecordBody>;
      const saved = unwrap(await sync.putRecord(db, principalOf(req), dataType, key, body));
      return reply.code(saved.created ? 201 : 200).send(saved);
    },
  );
  app.delete(
    '/api/v1/pos-sync/records/:dataType/:key',
    {
      config: writers,
      schema: {
        tags: ['pos-sync'],
        summary: 'Remove a central-fed record: every POS receives its tombstone',
        params: RecordParams,
        querystring: RecordQuery,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const { dataType, key } = req.params as Static<typeof RecordParams>;
      const { storeCode } = req.query as Static<typeof RecordQuery>;
      unwrap(await sync.deleteRecord(db, principalOf(req), dataType, key, storeCode));
      return reply.code(204).send(null);
    },
  );
}
