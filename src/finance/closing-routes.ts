import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { financeReaders, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { closingCsv, closingOf, reconciliationKinds } from './closing.ts';
import { accountNames, refundMethods } from './domain.ts';

const Money = Type.String({ pattern: '^-?[0-9]+\\.[0-9]{2}$', examples: ['129.90'] });
const Figure = Type.Object({ count: Type.Integer({ minimum: 0 }), value: Money });
const Line = Type.Object({
  fiscal: Figure,
  finance: Figure,
  difference: Type.String({ description: 'fiscal − finance' }),
});

const ClosingQuery = Type.Object(
  {
    storeCode: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,20}$',
        description: 'one store; absent: every store you see',
      }),
    ),
    day: Type.Optional(
      Type.String({ maxLength: 10, description: 'YYYY-MM-DD, São Paulo day; absent: today in São Paulo' }),
    ),
  },
  { additionalProperties: false },
);

export const ClosingPayload = Type.Object(
  {
    day: Type.String({ format: 'date' }),
    reconciled: Type.Boolean({ description: 'every store reconciled' }),
    stores: Type.Array(
      Type.Object({
        storeCode: Type.String(),
        storeName: Type.String(),
        empty: Type.Boolean({ description: 'no entry and no fiscal document for the store that day' }),
        accepted: Figure,
        invoiced: Figure,
        invoiceCancellations: Figure,
        advancesReleased: Figure,
        advancesKept: Figure,
        credited: Figure,
        refunded: Type.Object({
          total: Figure,
          byMethod: Type.Array(
            Type.Object({ method: StringEnum(refundMethods), count: Type.Integer(), value: Money }),
          ),
        }),
        accounts: Type.Array(
          Type.Object({
            account: StringEnum(accountNames),
            label: Type.String(),
            debit: Money,
            credit: Money,
            net: Type.String({ description: 'debit − credit' }),
          }),
        ),
        reconciliation: Type.Object({
          sales: Line,
          cancellations: Line,
          returns: Line,
          reconciled: Type.Boolean(),
          differences: Type.Array(
            Type.Object({
              kind: StringEnum(reconciliationKinds),
              orderId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
              reference: Type.String({ description: 'the order id (sales, cancellations) or the return id' }),
              fiscal: Money,
              finance: Money,
              difference: Type.String(),
            }),
          ),
        }),
      }),
    ),
  },
  { $id: 'FinanceClosing' },
);

const description =
  'Per store (one with `storeCode`, otherwise every store you see; a store user sees its own): what ' +
  'the ledger wrote that São Paulo day — acceptances (advance raised or transferred in), invoices, invoice ' +
  'cancellations, advances released and kept, return credits, refunds per method — and every account it ' +
  'moved; and the reconciliation with the store’s fiscal documents of that day: sale NF-e/NFC-e authorised ' +
  'against the `invoice` entries, documents cancelled against `invoice_cancellation`, return NF-e issued ' +
  'against `return_credit`, each with fiscal, finance, difference, and the orders that differ. A bad day is ' +
  '422 FINANCE.INVALID_CLOSING_QUERY; a store you do not see, 404.';

/** Financeiro → Fechamento diário. */
export function registerClosingRoutes(app: App, db: Db) {
  const tags = ['finance'];
  app.get(
    '/api/v1/finance/closing',
    {
      config: { access: financeReaders },
      schema: {
        tags,
        summary: 'The daily closing of the stores: the day’s money and its reconciliation with the NF-e',
        description,
        querystring: ClosingQuery,
        response: { 200: ClosingPayload },
      },
    },
    async (req) => unwrap(await closingOf(db, principalOf(req), req.query as Static<typeof ClosingQuery>)),
  );

  app.get(
    '/api/v1/finance/closing.csv',
    {
      config: { access: financeReaders },
      schema: {
        tags,
        summary: 'The same closing as CSV (UTF-8 with BOM, one figure a line), for spreadsheets',
        querystring: ClosingQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const closing = unwrap(await closingOf(db, principalOf(req), req.query as Static<typeof ClosingQuery>));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="fechamento-${closing.day}.csv"`)
        .send(closingCsv(closing));
    },
  );
}
