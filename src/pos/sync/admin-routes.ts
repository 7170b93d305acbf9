import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../../platform/db/index.ts';
import { admins, backOffice, principalOf } from '../../platform/http/access.ts';
import { unwrap } from '../../platform/http/problems.ts';
import { StringEnum } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/server.ts';
import { clearInterval, listDataTypes, setInterval } from './admin.ts';
import { listStores, requestFullLoad, STORES_DEFAULT_LIMIT, storeDetail } from './admin-monitor.ts';
import {
  addException,
  listExceptions,
  listRejections,
  MAX_EXCEPTION_DAYS,
  REJECTIONS_DEFAULT_LIMIT,
  removeException,
  resolveRejection,
} from './admin-support.ts';
import { dataTypeCodes, MAX_INTERVAL_MINUTES } from './domain.ts';

const tags = ['pos-sync'];
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);
const StoreCode = Type.String({ minLength: 1, maxLength: 20 });
const From = StringEnum(['default', 'network', 'store'] as const, {
  description:
    'where the minutes come from: the domain default (the seed’s), the network’s or the store’s own',
});
const Source = StringEnum(['hub', 'central'] as const, {
  description:
    '`hub`: Omnihub’s own data; `central`: written by the central’s systems through the records API',
});

const DataTypeItem = Type.Object(
  {
    dataType: Type.String(),
    seedName: Nullable(Type.String()),
    seedMinutes: Type.Union([Type.Integer(), Type.Null()]),
    defaultMinutes: Type.Integer(),
    minutes: Type.Integer(),
    from: From,
    source: Source,
  },
  { $id: 'PosSyncDataType' },
);

const StoreRef = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() });
const Terminal = Type.Object({
  terminal: Type.String(),
  lastContactAt: Instant,
  pendingUploads: Type.Integer({
    description: 'what the terminal said it holds queued (X-Pos-Pending-Uploads)',
  }),
});
const Exception = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reason: Type.String(),
  expiresAt: Instant,
  createdAt: Instant,
  createdBy: Type.String(),
});
const StoreException = Type.Object({ ...Exception.properties, store: StoreRef }, { $id: 'PosSyncException' });
const monitorFields = {
  store: StoreRef,
  lastContactAt: Type.Union([Instant, Type.Null()], { description: 'null: the store’s POS never connected' }),
  terminals: Type.Array(Terminal),
  pendingUploads: Type.Integer(),
  refusedUploads: Type.Integer({ description: 'refused uploads not yet marked resolved' }),
  exception: Type.Union([Exception, Type.Null()]),
  staleTypes: Type.Array(Type.String(), {
    description: 'types never downloaded or not downloaded for twice their interval (at least 10 minutes)',
  }),
};
const StoreMonitor = Type.Object(monitorFields, { $id: 'PosSyncStore' });
const Rejection = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    storeCode: Type.String(),
    storeName: Type.String(),
    terminal: Nullable(Type.String()),
    sequence: Type.Union([Type.Integer(), Type.Null()]),
    kind: Type.String(),
    posId: Nullable(Type.String()),
    code: Type.String(),
    message: Type.String(),
    details: Type.Unknown({ description: 'the field errors or the failure’s data, as answered to the POS' }),
    receivedAt: Instant,
    resolvedAt: Type.Union([Instant, Type.Null()]),
    attempts: Type.Integer(),
  },
  { $id: 'PosUploadRejection' },
);
const Download = Type.Object({
  dataType: Type.String(),
  seedName: Nullable(Type.String()),
  source: Source,
  minutes: Type.Integer(),
  from: From,
  lastDownloadAt: Type.Union([Instant, Type.Null()]),
  nextAllowedAt: Type.Union([Instant, Type.Null()], {
    description:
      'when the store may receive new data of the type; null: at its next poll (never downloaded, ' +
      'a full load asked for, or the store is in the exception list)',
  }),
  due: Type.Boolean(),
  stale: Type.Boolean(),
  inProgress: Type.Boolean(),
  fullLoadRequested: Type.Boolean(),
  records: Type.Integer(),
});
const StoreDetail = Type.Object(
  { ...monitorFields, downloads: Type.Array(Download), rejections: Type.Array(Rejection) },
  { $id: 'PosSyncStoreDetail' },
);

const TypeParams = Type.Object({ dataType: Type.String({ minLength: 1, maxLength: 40 }) });
const StoreParams = Type.Object({ storeCode: StoreCode });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const IntervalBody = Type.Object(
  {
    minutes: Type.Integer({ minimum: 0, maximum: MAX_INTERVAL_MINUTES }),
    storeCode: Type.Optional(StoreCode),
  },
  { additionalProperties: false },
);
const StoreCodeQuery = Type.Object({ storeCode: Type.Optional(StoreCode) });
const StoresQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 80, description: 'part of the store’s code or name' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: STORES_DEFAULT_LIMIT })),
});
const FullLoadBody = Type.Object(
  { dataType: Type.Optional(StringEnum(dataTypeCodes, { description: 'one type; absent: every type' })) },
  { additionalProperties: false },
);
const ExceptionBody = Type.Object(
  {
    storeCode: StoreCode,
    reason: Type.String({ minLength: 5, maxLength: 255 }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
const RejectionsQuery = Type.Object({
  storeCode: Type.Optional(StoreCode),
  state: Type.Optional(StringEnum(['open', 'resolved', 'all'] as const, { default: 'open' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: REJECTIONS_DEFAULT_LIMIT })),
});
const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** Integrações → PDV: the POS data sync's intervals, each store's downloads and terminals, and support's tools. */
export function registerPosSyncAdminRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/pos-sync/data-types',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          'The POS data types with the interval in force (LoteAgendamento), for the network or one store',
        description:
          'The seed’s name and minutes, the default, and the minutes in force: the store’s own (with `storeCode`), ' +
          'else the network’s, else the default (`from`). 404 NETWORK.STORE_NOT_FOUND for a store you do not see.',
        querystring: StoreCodeQuery,
        response: { 200: Type.Object({ items: Type.Array(DataTypeItem) }) },
      },
    },
    async (req) =>
      unwrap(
        await listDataTypes(db, principalOf(req), (req.query as Static<typeof StoreCodeQuery>).storeCode),
      ),
  );

  app.put(
    '/api/v1/pos-sync/intervals/:dataType',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Sets the minutes of a data type for the network or one store (admins; audited)',
        description:
          `0 to ${MAX_INTERVAL_MINUTES} minutes (0: every poll). Without \`storeCode\` the network’s (its ` +
          'administrators only: 403 POS.SYNC_NETWORK_INTERVAL_FORBIDDEN for a central’s); with it, that store’s ' +
          'own, which overrides the network’s. 404 POS.UNKNOWN_DATA_TYPE. The next release of each store counts ' +
          'from its last download with the new minutes.',
        params: TypeParams,
        body: IntervalBody,
        response: { 200: DataTypeItem },
      },
    },
    async (req) => {
      const { dataType } = req.params as Static<typeof TypeParams>;
      return unwrap(
        await setInterval(db, principalOf(req), dataType, req.body as Static<typeof IntervalBody>),
      );
    },
  );

  app.delete(
    '/api/v1/pos-sync/intervals/:dataType',
    {
      config: { access: admins },
      schema: {
        tags,
        summary:
          'Removes the store’s own minutes (back to the network’s) or the network’s (back to the default)',
        description: 'Audited when there was a value. Answers the interval now in force.',
        params: TypeParams,
        querystring: StoreCodeQuery,
        response: { 200: DataTypeItem },
      },
    },
    async (req) => {
      const { dataType } = req.params as Static<typeof TypeParams>;
      const { storeCode } = req.query as Static<typeof StoreCodeQuery>;
      return unwrap(await clearInterval(db, principalOf(req), dataType, storeCode));
    },
  );

  app.get(
    '/api/v1/pos-sync/stores',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          'PDV monitoring: the stores you see with their terminals’ last contact and what needs attention',
        description:
          'By store code, pages of `limit`; `q` searches code and name. A store whose POS never connected is ' +
          'listed with `lastContactAt: null`.',
        querystring: StoresQuery,
        response: { 200: Page(StoreMonitor) },
      },
    },
    async (req) => unwrap(await listStores(db, principalOf(req), req.query as Static<typeof StoresQuery>)),
  );

  app.get(
    '/api/v1/pos-sync/stores/:storeCode',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          'One store’s sync: every data type’s interval and last download (LoteControle), its terminals, ' +
          'exception and open refused uploads',
        params: StoreParams,
        response: { 200: StoreDetail },
      },
    },
    async (req) =>
      unwrap(await storeDetail(db, principalOf(req), (req.params as Static<typeof StoreParams>).storeCode)),
  );

  app.post(
    '/api/v1/pos-sync/stores/:storeCode/full-load',
    {
      config: { access: admins },
      schema: {
        tags,
        summary:
          'Forçar carga completa: the store’s next poll of every type (or one) starts from the beginning',
        description:
          'Audited. `{}` flags every type. The POS then replaces its copy of the type, whatever the interval.',
        params: StoreParams,
        body: FullLoadBody,
        response: { 200: Type.Object({ storeCode: Type.String(), dataTypes: Type.Array(Type.String()) }) },
      },
    },
    async (req) => {
      const { storeCode } = req.params as Static<typeof StoreParams>;
      const body = req.body as Static<typeof FullLoadBody>;
      return unwrap(await requestFullLoad(db, principalOf(req), storeCode, body.dataType));
    },
  );

  app.get(
    '/api/v1/pos-sync/exceptions',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The unexpired exceptions (LoteExcecao) of the stores you see: they bypass the intervals',
        response: { 200: Type.Object({ items: Type.Array(StoreException) }) },
      },
    },
    async (req) => listExceptions(db, principalOf(req)),
  );

  app.post(
    '/api/v1/pos-sync/exceptions',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Puts a store in the exception list until `expiresAt` (admins; audited)',
        description:
          `The reason in 5 to 255 characters; \`expiresAt\` in the future, at most ${MAX_EXCEPTION_DAYS} days ` +
          'ahead (422 naming the field). One per store: 409 POS.SYNC_EXCEPTION_EXISTS while one is in force.',
        body: ExceptionBody,
        response: { 201: StoreException },
      },
    },
    async (req, reply) => {
      const created = unwrap(
        await addException(db, principalOf(req), req.body as Static<typeof ExceptionBody>),
      );
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api/v1/pos-sync/exceptions/:id',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Takes a store out of the exception list (admins; audited)',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await removeException(db, principalOf(req), (req.params as Static<typeof IdParams>).id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/pos-sync/rejections',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          'Refused POS uploads with their reasons, newest first (open ones unless `state` says otherwise)',
        querystring: RejectionsQuery,
        response: { 200: Page(Rejection) },
      },
    },
    async (req) =>
      unwrap(await listRejections(db, principalOf(req), req.query as Static<typeof RejectionsQuery>)),
  );

  app.post(
    '/api/v1/pos-sync/rejections/:id/resolve',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Marks a refused upload resolved (admins; audited); 409 POS.REJECTION_ALREADY_RESOLVED',
        params: IdParams,
        response: { 200: Rejection },
      },
    },
    async (req) =>
      unwrap(await resolveRejection(db, principalOf(req), (req.params as Static<typeof IdParams>).id)),
  );
}
