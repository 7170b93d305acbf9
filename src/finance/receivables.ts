/**
 * Financeiro → Contas a receber and the balances the ERP reads: the receivables of the stores a viewer
 * sees (keyset pages, CSV) and the per-company / per-customer balances of the ledger (always summing to
 * zero, the ledger being double-entry).
 */

import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import { centsOf, fromCents } from '../platform/money.ts';
import { dueFrom, scheduleOf } from './billing.ts';
import {
  type Account,
  accountNames,
  accounts,
  type DocumentType,
  documentTypes,
  type ReceivableState,
  receivableState,
} from './domain.ts';
import * as store from './store.ts';
import type { ReceivableView } from './views.ts';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** What finance shows of the order a receivable belongs to; orders (above finance) answers it. */
export interface OrderLabel {
  number: number | null;
  externalId: string;
  customerName: string;
}
export type OrderLabels = (db: Db, ids: readonly string[]) => Promise<Map<string, OrderLabel>>;

export interface ReceivableQuery {
  storeCode?: string;
  from?: string;
  to?: string;
  documentType?: DocumentType;
  state?: ReceivableState;
  cursor?: string;
  limit?: number;
}

export interface ReceivableItem extends ReceivableView {
  order: { number: number | null; externalId: string | null; customerName: string | null };
}

export interface ReceivablePage {
  items: ReceivableItem[];
  nextCursor: string | null;
}

interface ReceivableSqlRow {
  id: string;
  company_id: string;
  order_id: string;
  method: string;
  document_type: DocumentType;
  payment_method_code: string;
  payment_method_configured: boolean;
  /** The purchase's first invoicing day: the instalments count from it when later than the acceptance. */
  first_invoiced_on: string | null;
  party_kind: 'customer' | 'marketplace' | 'party';
  party_document: string;
  party_name: string | null;
  marketplace_unnamed: boolean;
  amount: string;
  installments: number;
  issued_on: string;
  created_at: string | Date;
  open: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day (YYYY-MM-DD that exists). */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function encodeCursor(issuedOn: string, id: string): string {
  return Buffer.from(`${issuedOn}|${id}`, 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string): { issuedOn: string; id: string } | null {
  const [issuedOn, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length || !issuedOn || !id || !isDay(issuedOn) || !UUID.test(id)) return null;
  return { issuedOn, id };
}

function invalidQuery(errors: FieldError[]) {
  return fail('invalid', 'FINANCE.INVALID_QUERY', 'The receivables cannot be listed as asked; see errors.', {
    errors,
  });
}

/** The stores asked for (one code) or every store the viewer sees; a code not seen is a 404. */
async function storesOf(
  db: Db,
  viewer: network.Viewer,
  storeCode: string | undefined,
): Promise<Result<network.NetworkNode[]>> {
  if (!storeCode) return ok(await network.storesWithin(db, viewer));
  const found = await network.findStore(db, viewer, storeCode);
  return found.ok ? ok([found.value]) : found;
}

function checkQuery(q: ReceivableQuery): {
  errors: FieldError[];
  after: { issuedOn: string; id: string } | null;
} {
  const errors: FieldError[] = [];
  for (const field of ['from', 'to'] as const) {
    const v = q[field];
    if (v !== undefined && !isDay(v))
      errors.push({
        path: `/${field}`,
        code: 'FINANCE.INVALID_DATE',
        params: { value: v },
        message: 'is not a date (YYYY-MM-DD)',
      });
  }
  if (q.from && q.to && isDay(q.from) && isDay(q.to) && q.from > q.to)
    errors.push({
      path: '/from',
      code: 'FINANCE.PERIOD_REVERSED',
      params: { from: q.from, to: q.to },
      message: 'is after `to`',
    });
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_LIMIT))
    errors.push({
      path: '/limit',
      code: 'FINANCE.LIMIT_OUT_OF_RANGE',
      params: { min: 1, max: MAX_LIMIT },
      message: `must be between 1 and ${MAX_LIMIT}`,
    });
  let after: { issuedOn: string; id: string } | null = null;
  if (q.cursor !== undefined) {
    after = decodeCursor(q.cursor);
    if (!after)
      errors.push({
        path: '/cursor',
        code: 'FINANCE.INVALID_CURSOR',
        message: 'is not a cursor of this list',
      });
  }
  return { errors, after };
}

/** The open balance's state, as a SQL condition (so the filter runs before the page is cut). */
function stateCondition(state: ReceivableState | undefined) {
  switch (state) {
    case 'open':
      return sql`and b.open >= r.amount`;
    case 'partially_cancelled':
      return sql`and b.open > 0 and b.open < r.amount`;
    case 'cancelled':
      return sql`and b.open <= 0`;
    default:
      return sql``;
  }
}

async function selectReceivables(
  db: Db,
  companyIds: string[],
  q: ReceivableQuery,
  after: { issuedOn: string; id: string } | null,
  limit: number | null,
): Promise<ReceivableSqlRow[]> {
  if (companyIds.length === 0) return [];
  const ids = sql.join(
    companyIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  return rows<ReceivableSqlRow>(
    db,
    sql`select r.id, r.company_id, r.order_id, r.method, r.document_type, r.payment_method_code, r.payment_method_configured,
               r.party_kind, r.party_document, r.party_name, r.marketplace_unnamed,
               r.amount::text as amount, r.installments,
               r.issued_on::text as issued_on, r.created_at, b.open::text as open,
               (select min(e.day)::text from finance_entries e
                 where e.root_order_id = r.root_order_id and e.kind = 'invoice') as first_invoiced_on
        from receivables r
        cross join lateral (
          select coalesce(sum(m.amount), 0) as open from finance_movements m where m.receivable_id = r.id
        ) b
        where r.company_id in (${ids})
          ${q.from ? sql`and r.issued_on >= ${q.from}::date` : sql``}
          ${q.to ? sql`and r.issued_on <= ${q.to}::date` : sql``}
          ${q.documentType ? sql`and r.document_type = ${q.documentType}` : sql``}
          ${stateCondition(q.state)}
          ${after ? sql`and (r.issued_on, r.id) < (${after.issuedOn}::date, ${after.id}::uuid)` : sql``}
        order by r.issued_on desc, r.id desc
        ${limit === null ? sql`` : sql`limit ${limit}`}`,
  );
}

async function itemsOf(
  db: Db,
  found: ReceivableSqlRow[],
  stores: network.NetworkNode[],
  labels: OrderLabels,
): Promise<ReceivableItem[]> {
  const byId = new Map(stores.map((s) => [s.id, s]));
  const orders = await labels(db, [...new Set(found.map((r) => r.order_id))]);
  return found.map((r) => {
    const amount = centsOf(r.amount);
    const open = centsOf(r.open);
    const company = byId.get(r.company_id);
    const order = orders.get(r.order_id);
    return {
      id: r.id,
      storeCode: company?.code ?? '?',
      storeName: company?.name ?? '?',
      orderId: r.order_id,
      method: r.method,
      documentType: r.document_type,
      documentTypeLabel: documentTypes[r.document_type],
      paymentMethodCode: r.payment_method_code,
      paymentMethodConfigured: r.payment_method_configured,
      party: {
        kind: r.party_kind,
        document: r.party_document,
        name: r.party_name,
        marketplaceUnnamed: r.marketplace_unnamed,
      },
      amount: fromCents(amount),
      open: fromCents(open),
      state: receivableState(amount, open),
      installments: scheduleOf(amount, Number(r.installments), dueFrom(r.issued_on, r.first_invoiced_on)).map(
        (i) => ({
          number: i.number,
          dueDate: i.dueDate,
          amount: fromCents(i.amount),
        }),
      ),
      issuedOn: r.issued_on,
      createdAt: new Date(r.created_at).toISOString(),
      order: {
        number: order?.number ?? null,
        externalId: order?.externalId ?? null,
        customerName: order?.customerName ?? null,
      },
    };
  });
}

/** GET /finance/receivables: the receivables of the stores in view, newest first, by keyset pages. */
export async function listReceivables(
  db: Db,
  viewer: network.Viewer,
  labels: OrderLabels,
  q: ReceivableQuery,
): Promise<Result<ReceivablePage>> {
  const { errors, after } = checkQuery(q);
  if (errors.length) return invalidQuery(errors);
  const stores = await storesOf(db, viewer, q.storeCode);
  if (!stores.ok) return stores;
  const limit = q.limit ?? DEFAULT_LIMIT;
  const found = await selectReceivables(
    db,
    stores.value.map((s) => s.id),
    q,
    after,
    limit + 1,
  );
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return ok({
    items: await itemsOf(db, page, stores.value, labels),
    nextCursor: found.length > limit && last ? encodeCursor(last.issued_on, last.id) : null,
  });
}

/** Every receivable matching the filters (the CSV export): no page, same order. */
export async function allReceivables(
  db: Db,
  viewer: network.Viewer,
  labels: OrderLabels,
  q: Omit<ReceivableQuery, 'cursor' | 'limit'>,
): Promise<Result<ReceivableItem[]>> {
  const { errors } = checkQuery(q);
  if (errors.length) return invalidQuery(errors);
  const stores = await storesOf(db, viewer, q.storeCode);
  if (!stores.ok) return stores;
  const found = await selectReceivables(
    db,
    stores.value.map((s) => s.id),
    q,
    null,
    null,
  );
  return ok(await itemsOf(db, found, stores.value, labels));
}

const stateLabels: Record<ReceivableState, string> = {
  open: 'Em aberto',
  partially_cancelled: 'Parcialmente cancelado',
  cancelled: 'Cancelado',
};

export const RECEIVABLES_CSV_HEADER = [
  'Emissão',
  'Loja',
  'Pedido',
  'Pedido na plataforma',
  'Cliente',
  'Tipo de documento',
  'Forma de pagamento',
  'Pagador',
  'Documento do pagador',
  'Parcelas',
  'Valor',
  'Em aberto',
  'Situação',
];

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // A cell a spreadsheet would run as a formula is defused (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[";\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** "1234.50" → "1234,50" (pt-BR decimals; negative amounts keep their sign out of the formula guard). */
const decimal = (money: string) => money.replace('.', ',');

/** The receivables as CSV for spreadsheets in pt-BR: UTF-8 with BOM, `;` separated, decimal comma. */
export function receivablesCsv(items: readonly ReceivableItem[]): string {
  const lines = [`\uFEFF${RECEIVABLES_CSV_HEADER.join(';')}`];
  for (const r of items) {
    lines.push(
      [
        r.issuedOn.split('-').reverse().join('/'),
        `${r.storeCode} - ${r.storeName}`,
        r.order.number ?? '',
        r.order.externalId,
        r.order.customerName,
        r.documentTypeLabel,
        r.paymentMethodCode,
        r.party.marketplaceUnnamed
          ? `${r.party.name ?? ''} (marketplace não informado)`.trimStart()
          : (r.party.name ?? ''),
        r.party.document,
        r.installments.length,
      ]
        .map(cell)
        .concat([decimal(r.amount), decimal(r.open)])
        .concat(cell(stateLabels[r.state]))
        .join(';'),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export interface AccountBalance {
  account: Account;
  accountLabel: string;
  balance: string;
}

export interface Balances {
  companies: { storeCode: string; storeName: string; accounts: AccountBalance[]; total: string }[];
  customer: { document: string; accounts: AccountBalance[]; total: string } | null;
}

function accountRows(found: { account: Account; total: bigint }[]): {
  accounts: AccountBalance[];
  total: string;
} {
  const by = new Map(found.map((f) => [f.account, f.total]));
  const list = accountNames
    .filter((a) => by.has(a))
    .map((a) => ({ account: a, accountLabel: accounts[a].label, balance: fromCents(by.get(a)!) }));
  return { accounts: list, total: fromCents(found.reduce((s, f) => s + f.total, 0n)) };
}

/**
 * GET /finance/balances: per company (a store, or every store in view) the balance of each account, or a
 * customer's balances across the network. Debit positive; a company's or customer's accounts sum to zero.
 */
export async function balances(
  db: Db,
  viewer: network.Viewer,
  q: { storeCode?: string; customerDocument?: string },
): Promise<Result<Balances>> {
  if (q.customerDocument !== undefined) {
    const document = q.customerDocument.replace(/\D/g, '');
    if (document.length !== 11 && document.length !== 14)
      return invalidQuery([
        {
          path: '/customerDocument',
          code: 'FINANCE.INVALID_DOCUMENT',
          params: { value: q.customerDocument },
          message: 'is not a CPF (11 digits) or CNPJ (14 digits)',
        },
      ]);
    const found = await store.customerBalances(db, viewer.networkId, document);
    return ok({ companies: [], customer: { document, ...accountRows(found) } });
  }
  const stores = await storesOf(db, viewer, q.storeCode);
  if (!stores.ok) return stores;
  const found = await store.companyBalances(
    db,
    stores.value.map((s) => s.id),
  );
  const companies = stores.value
    .map((s) => ({ store: s, ...accountRows(found.filter((f) => f.companyId === s.id)) }))
    .filter((c) => c.accounts.length > 0 || q.storeCode)
    .map(({ store: s, ...rest }) => ({ storeCode: s.code, storeName: s.name, ...rest }));
  return ok({ companies, customer: null });
}
