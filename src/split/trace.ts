/**
 * The traceability tree of an order (seeds: TRAFC038 "Acompanhamento de Pedidos"): the order, its stock
 * requests with their transfer invoices, the orders re-routed from it, and the customer's invoice; each
 * node with its stage, dates, colour alert, days in progress and quantities.
 */
import * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { ok, type Result } from '../platform/errors.ts';
import { type Alert, alertOf, daysBetween, requestStatusLabels } from './domain.ts';
import * as store from './store.ts';

export interface TraceNode {
  kind: 'order' | 'stock_request' | 'transfer_invoice' | 'invoice';
  id: string;
  label: string;
  storeCode: string;
  stage: string;
  stageLabel: string;
  createdAt: string;
  expectedAt: string | null;
  invoicedAt: string | null;
  done: boolean;
  alert: Alert | null;
  daysInProgress: number;
  quantities: { requested: number; invoiced: number; pending: number };
  children: TraceNode[];
}

const DAY = 86_400_000;
const documentLabels: Record<string, string> = {
  unsent: 'Aguardando transmissão',
  sending: 'Enviando à SEFAZ',
  authorised: 'Autorizada',
  rejected: 'Rejeitada',
  cancelled: 'Cancelada',
};
/** Order statuses after the customer's invoice: its quantities are invoiced. */
const invoicedStatuses = new Set(['invoiced', 'in_transit', 'delivered']);
const finished = new Set(['invoiced', 'in_transit', 'delivered', 'cancelled']);

interface Context {
  db: Db;
  now: Date;
  alertDays: number;
}

function node(
  ctx: Context,
  n: Omit<TraceNode, 'alert' | 'daysInProgress' | 'createdAt' | 'expectedAt' | 'invoicedAt'> & {
    createdAt: Date;
    expectedAt: Date | null;
    invoicedAt: Date | null;
    doneAt: Date | null;
  },
): TraceNode {
  const { doneAt, ...rest } = n;
  return {
    ...rest,
    createdAt: n.createdAt.toISOString(),
    expectedAt: n.expectedAt?.toISOString() ?? null,
    invoicedAt: n.invoicedAt?.toISOString() ?? null,
    alert: alertOf(n.expectedAt, n.done, ctx.now, ctx.alertDays),
    daysInProgress: daysBetween(n.createdAt, doneAt ?? ctx.now),
  };
}

async function documentNode(
  ctx: Context,
  doc: fiscal.FiscalDocumentRow,
  kind: 'transfer_invoice' | 'invoice',
  quantity: number,
): Promise<TraceNode> {
  const storeCode = (await network.getNodeById(ctx.db, doc.storeId))?.code ?? '';
  const authorised = doc.status === 'authorised';
  return node(ctx, {
    kind,
    id: doc.id,
    label: `${doc.model === 55 ? 'NF-e' : 'NFC-e'} ${doc.number} série ${doc.series}`,
    storeCode,
    stage: doc.status,
    stageLabel: documentLabels[doc.status] ?? doc.status,
    createdAt: doc.createdAt,
    expectedAt: null,
    invoicedAt: doc.authorisedAt,
    done: doc.status !== 'sending' && doc.status !== 'unsent',
    doneAt: doc.authorisedAt ?? doc.updatedAt,
    quantities: {
      requested: quantity,
      invoiced: authorised ? quantity : 0,
      pending: authorised ? 0 : quantity,
    },
    children: [],
  });
}

async function requestNode(
  ctx: Context,
  r: store.RequestRow,
  lines: store.RequestLineRow[],
): Promise<TraceNode> {
  const support = await network.getNodeById(ctx.db, r.supportStoreId);
  const requested = lines.reduce((n, l) => n + l.quantity, 0);
  const left = r.status === 'in_transit' || r.status === 'received';
  const closed = r.status === 'received' || r.status === 'rejected' || r.status === 'cancelled';
  const children: TraceNode[] = [];
  if (r.transferDocumentId) {
    const doc = await fiscal.getDocument(ctx.db, r.transferDocumentId);
    if (doc) children.push(await documentNode(ctx, doc, 'transfer_invoice', requested));
  }
  return node(ctx, {
    kind: 'stock_request',
    id: r.id,
    label: `Solicitação de estoque à loja ${support?.code ?? ''}`,
    storeCode: support?.code ?? '',
    stage: r.status,
    stageLabel: requestStatusLabels[r.status],
    createdAt: r.createdAt,
    expectedAt: r.expectedAt,
    invoicedAt: r.invoicedAt,
    done: closed,
    doneAt: r.closedAt,
    quantities: {
      requested,
      invoiced: left ? requested : 0,
      pending: closed || left ? 0 : requested,
    },
    children,
  });
}

async function orderNode(ctx: Context, orderId: string): Promise<TraceNode | undefined> {
  const details = await orders.orderDetails(ctx.db, orderId);
  if (!details) return undefined;
  const { order, items } = details;
  const storeNode = await network.getNodeById(ctx.db, order.storeId);
  const requests = await store.requestsOfOrder(ctx.db, orderId);
  const lines = await store.linesOf(
    ctx.db,
    requests.map((r) => r.id),
  );
  const requested = items.reduce((n, i) => n + i.quantity, 0);
  // Acceptance fixed the expected invoicing date (DS_LST_DTPREV_OMNI from the arrival date); until then
  // it is estimated from the placement with today's setting.
  let invoiceBy = order.expectedInvoiceAt?.getTime();
  if (invoiceBy === undefined) {
    const leadList = (await parameters.resolve(ctx.db, order.storeId, 'DS_LST_DTPREV_OMNI')).value ?? [];
    invoiceBy = order.placedAt.getTime() + parameters.invoiceLeadDays(leadList, order.deliveryType) * DAY;
  }
  const latestRequest = Math.max(0, ...requests.map((r) => r.expectedAt.getTime()));
  // Invoiced by the store a day after the last transfer arrives, at the earliest.
  const expectedAt = new Date(Math.max(invoiceBy, latestRequest + DAY));
  const invoices = (await fiscal.documentsFor(ctx.db, 'order', orderId)).filter((d) => d.purpose === 'sale');
  const authorised = invoices.find((d) => d.status === 'authorised' || d.status === 'cancelled');
  const children = [
    ...(await Promise.all(requests.map((r) => requestNode(ctx, r, lines.get(r.id) ?? [])))),
    ...(
      await Promise.all((await orders.reroutedFrom(ctx.db, orderId)).map((id) => orderNode(ctx, id)))
    ).filter((n): n is TraceNode => n !== undefined),
    ...(await Promise.all(invoices.map((d) => documentNode(ctx, d, 'invoice', requested)))),
  ];
  const invoiced = invoicedStatuses.has(order.status) ? requested : 0;
  return node(ctx, {
    kind: 'order',
    id: order.id,
    label: `Pedido Nº ${order.number ?? '—'} — ${storeNode?.name ?? ''}`,
    storeCode: storeNode?.code ?? '',
    stage: order.status,
    stageLabel: orders.statusLabels[order.status],
    createdAt: order.createdAt,
    expectedAt,
    invoicedAt: authorised?.authorisedAt ?? null,
    done: finished.has(order.status),
    doneAt: finished.has(order.status) ? (authorised?.authorisedAt ?? order.updatedAt) : null,
    quantities: { requested, invoiced, pending: order.status === 'cancelled' ? 0 : requested - invoiced },
    children,
  });
}

/** GET /orders/{id}/trace, as the caller may see it. */
export async function traceOf(
  db: Db,
  caller: orders.OrderCaller,
  orderId: string,
  now = new Date(),
): Promise<Result<{ root: TraceNode }>> {
  const details = await orders.orderDetails(db, orderId);
  if (!details || !(await orders.canSee(db, caller, details.order))) return orders.orderNotFound(orderId);
  const alertDays =
    (await parameters.resolve(db, details.order.storeId, 'QT_DIAS_ALERTA_RASTREIO')).value ?? 1;
  const root = await orderNode({ db, now, alertDays }, orderId);
  return ok({ root: root! });
}
