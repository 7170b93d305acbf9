import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { financeReaders, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { accountNames, documentTypeNames, receivableStates } from './domain.ts';
import { ReceivablePayload } from './payloads.ts';
import {
  allReceivables,
  balances,
  DEFAULT_LIMIT,
  listReceivables,
  MAX_LIMIT,
  type OrderLabels,
  receivablesCsv,
} from './receivables.ts';

const tags = ['finance'];
const Money = Type.String({ pattern: '^-?[0-9]+\\.[0-9]{2}$', examples: ['129.90'] });
const Day = Type.String({ description: 'A São Paulo day, YYYY-MM-DD' });
const Filters = {
  storeCode: Type.Optional(
    Type.String({ maxLength: 20, description: 'One store; default every store you see (404 if not seen)' }),
  ),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  documentType: Type.Optional(StringEnum(documentTypeNames)),
  state: Type.Optional(
    StringEnum(receivableStates, {
      description:
        'From the open balance: `open` (all of it), `partially_cancelled` (part released), `cancelled` (none)',
    }),
  ),
};
const ListQuery = Type.Object({
  ...Filters,
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The `nextCursor` of the page before' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
});
const CsvQuery = Type.Object(Filters);
const ReceivableItem = Type.Intersect([
  ReceivablePayload,
  Type.Object({
    order: Type.Object({
      number: Type.Union([Type.Integer(), Type.Null()]),
      externalId: Type.Union([Type.String(), Type.Null()]),
      customerName: Type.Union([Type.String(), Type.Null()]),
    }),
  }),
]);
const AccountBalance = Type.Object({
  account: StringEnum(accountNames),
  accountLabel: Type.String(),
  balance: Money,
});
const BalancesQuery = Type.Object({
  storeCode: Type.Optional(Type.String({ maxLength: 20 })),
  customerDocument: Type.Optional(
    Type.String({ maxLength: 20, description: 'CPF or CNPJ, digits or masked' }),
  ),
});

const listDescription =
  'Seed 003 Financeiro: one receivable (fatura) per payment document of a purchase, raised at its first ' +
  'acceptance in the accepting company. A store user sees its store, an admin the stores of their subtree; ' +
  '`storeCode` narrows to one (404 NETWORK.STORE_NOT_FOUND when you do not see it). `from`/`to` filter the ' +
  'São Paulo day it was issued (`issuedOn`, both included). 422 FINANCE.INVALID_QUERY names the field: a ' +
  'date that is not one, `from` after `to`, a cursor that is not one.';

export function registerFinanceRoutes(app: App, db: Db, labels: OrderLabels) {
  app.get(
    '/api/v1/finance/receivables',
    {
      config: { access: financeReaders },
      schema: {
        tags,
        summary: 'Contas a receber: the receivables of the stores you see, newest first, by pages',
        description: `${listDescription} Pages of \`limit\` (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}) by issue day and id; pass \`nextCursor\` back as \`cursor\`.`,
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(ReceivableItem),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) =>
      unwrap(await listReceivables(db, principalOf(req), labels, req.query as Static<typeof ListQuery>)),
  );

  app.get(
    '/api/v1/finance/receivables.csv',
    {
      config: { access: financeReaders },
      schema: {
        tags,
        summary: 'The same receivables as CSV (every row; UTF-8 with BOM, `;` separated, decimal comma)',
        description: listDescription,
        querystring: CsvQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const items = unwrap(
        await allReceivables(db, principalOf(req), labels, req.query as Static<typeof CsvQuery>),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="contas-a-receber.csv"')
        .send(receivablesCsv(items));
    },
  );

  app.get(
    '/api/v1/finance/balances',
    {
      config: { access: financeReaders },
      schema: {
        tags,
        summary:
          'Ledger balances per company and account, or of one customer across the network (for the ERP)',
        description:
          'Debit positive, credit negative. Without `customerDocument`: per company (`storeCode`, or every ' +
          'store you see that has movements) the balance of each account and their `total`, always 0.00 ' +
          '(double entry). With `customerDocument` (CPF/CNPJ): that customer’s balances per account over ' +
          'every company of the network, also summing to 0.00.',
        querystring: BalancesQuery,
        response: {
          200: Type.Object({
            companies: Type.Array(
              Type.Object({
                storeCode: Type.String(),
                storeName: Type.String(),
                accounts: Type.Array(AccountBalance),
                total: Money,
              }),
            ),
            customer: Type.Union([
              Type.Object({ document: Type.String(), accounts: Type.Array(AccountBalance), total: Money }),
              Type.Null(),
            ]),
          }),
        },
      },
    },
    async (req) => unwrap(await balances(db, principalOf(req), req.query as Static<typeof BalancesQuery>)),
  );
}
