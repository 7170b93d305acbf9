import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { Money, StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { DEFAULT_DAYS, MAX_DAYS } from './domain.ts';
import * as reports from './service.ts';

const Day = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'A São Paulo day, YYYY-MM-DD',
});
const SalesQuery = Type.Object({
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  storeCode: Type.Optional(
    Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' }), {
      maxItems: 200,
      description: 'Stores (repeatable); default every store you see',
    }),
  ),
});
const Tally = Type.Object({ count: Type.Integer(), value: Money() });
const Channel = StringEnum(reports.salesChannels, {
  description: '`omni`: the e-commerce; `pos`: the counter (PDV)',
});

export function registerReportRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/reports/sales-by-channel',
    {
      config: { access: backOffice },
      schema: {
        tags: ['reports'],
        summary: 'Sales per day, store and channel: the POS (PDV) against the e-commerce (Omni)',
        description:
          'Seeds 000 §3.4.3 ("Consulta Analítica - Canal de Venda"). A sale counts on the São Paulo day it was ' +
          'invoiced: `omni` are the e-commerce platform’s orders, `pos` the sales made at the counter (endless-' +
          `aisle orders the POS created). Period: \`from\`/\`to\` (both included), default the last ${DEFAULT_DAYS} ` +
          `days, at most ${MAX_DAYS}; stores: those you see, or the \`storeCode\`s asked for. 422 ` +
          'REPORT.INVALID_QUERY naming the field (a date that is not one, from after to, a period too long, a store ' +
          'you do not see).',
        querystring: SalesQuery,
        response: {
          200: Type.Object({
            from: Day,
            to: Day,
            stores: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
            rows: Type.Array(
              Type.Object({
                day: Day,
                storeCode: Type.String(),
                storeName: Type.String(),
                channel: Channel,
                count: Type.Integer(),
                value: Money(),
              }),
            ),
            totals: Type.Object({ omni: Tally, pos: Tally, all: Tally }),
          }),
        },
      },
    },
    async (req) =>
      unwrap(await reports.salesByChannel(db, principalOf(req), req.query as Static<typeof SalesQuery>)),
  );
}
