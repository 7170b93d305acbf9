import { randomUUID } from 'node:crypto';
import * as catalog from '../../catalog/service.ts';
import * as fiscal from '../../fiscal/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { type FieldError, fail, ok, type Result } from '../../platform/errors.ts';
import { fromCents } from '../../platform/money.ts';
import * as reports from '../../reports/service.ts';
import * as stock from '../../stock/service.ts';
import { openSession } from './cash.ts';
import type { UploadContext } from './context.ts';
import { normaliseDocument, type SaleBody, saleErrors } from './domain.ts';
import * as store from './store.ts';

/** The reference of the movements, the channel fact and the NFC-e of a POS sale. */
export const POS_SALE_REFERENCE = 'pos_sale';

/**
 * Takes a sold line out of the store's stock. The POS wins for completed sales: the goods left at the
 * counter, so the sale is recorded even when the ledger's free balance is short. The ledger never lets the
 * free balance go negative (its CHECK constraints), so the shortfall is first put on hand by an adjustment
 * naming the sale — the inventory's error shows in the movements, for the store to count — and the sale then
 * takes it out. Answers how many movements were written.
 */
async function takeOut(
  tx: Db,
  ctx: UploadContext,
  saleId: string,
  line: { productId: string; quantity: number; sku: string },
): Promise<Result<number>> {
  const reference = { type: POS_SALE_REFERENCE, id: saleId };
  const input = {
    storeId: ctx.store.id,
    productId: line.productId,
    quantity: line.quantity,
    reference,
    actor: ctx.actor,
    reason: 'Venda no PDV',
  };
  const sold = await stock.sell(tx, input);
  if (sold.ok) return ok(1);
  if (sold.failure.code !== 'STOCK.INSUFFICIENT') return sold;
  const missing = Number(sold.failure.data?.missing ?? line.quantity);
  const found = await stock.adjust(tx, {
    storeId: ctx.store.id,
    productId: line.productId,
    quantity: missing,
    reason: `Venda no PDV acima do saldo livre (${line.sku}: faltavam ${missing}); contar o estoque`,
    reference,
    actor: ctx.actor,
  });
  if (!found.ok) return found;
  const again = await stock.sell(tx, input);
  return again.ok ? ok(2) : again;
}

/**
 * A sale made at the counter: recorded with its lines and payments, its goods out of the store's stock, a
 * `pos` fact in the sales-by-channel report, and its NFC-e — the POS's own, stored as received, or, for a
 * POS without a certificate (the web POS), one Omnihub issues now.
 */
export async function applySale(
  tx: Db,
  ctx: UploadContext,
  body: SaleBody,
): Promise<Result<Record<string, unknown>>> {
  const { totals } = saleErrors(body);
  const skus = [...new Set(body.items.map((i) => i.sku))];
  const bySku = new Map((await catalog.productsBySku(tx, ctx.store.networkId, skus)).map((p) => [p.sku, p]));
  const unknown: FieldError[] = body.items.flatMap((line, i) =>
    bySku.has(line.sku)
      ? []
      : [
          {
            path: `/items/${i}/sku`,
            code: 'POS.UNKNOWN_SKU',
            message: `${line.sku} is not a product of the network`,
            params: { sku: line.sku },
          },
        ],
  );
  if (unknown.length)
    return fail('invalid', 'POS.UPLOAD_INVALID', 'The sale names products the network does not have.', {
      errors: unknown,
    });
  let cashSessionId: string | null = null;
  if (body.cashSessionPosId !== undefined) {
    const session = await openSession(tx, ctx, body.terminal, body.cashSessionPosId);
    if (!session.ok) return session;
    cashSessionId = session.value.id;
  }

  const saleId = randomUUID();
  const customerDocument =
    body.customerDocument && body.customerDocument.trim() !== ''
      ? normaliseDocument(body.customerDocument)
      : null;
  const occurredAt = new Date(body.occurredAt);
  await store.insertSale(
    tx,
    {
      id: saleId,
      networkId: ctx.store.networkId,
      storeId: ctx.store.id,
      terminal: body.terminal,
      posId: body.posId,
      cashSessionId,
      customerDocument,
      total: body.total,
      occurredAt,
      nfceXml: ctx.nfce?.xml ?? null,
      nfceAccessKey: ctx.nfce?.accessKey ?? null,
    },
    body.items.map((line, i) => ({
      line: i + 1,
      productId: bySku.get(line.sku)!.id,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discount: line.discount ?? '0.00',
    })),
    body.payments.map((p, i) => ({ line: i + 1, method: p.method, amount: p.amount })),
  );

  let stockMovements = 0;
  for (const line of body.items) {
    const moved = await takeOut(tx, ctx, saleId, { ...line, productId: bySku.get(line.sku)!.id });
    if (!moved.ok) return moved;
    stockMovements += moved.value;
  }

  // Seed 000 §3.4.3: a sale made at the POS counts in the channel "PDV".
  await reports.recordSale(tx, {
    networkId: ctx.store.networkId,
    storeId: ctx.store.id,
    channel: 'pos',
    sourceType: POS_SALE_REFERENCE,
    sourceId: saleId,
    invoicedAt: occurredAt,
    value: body.total,
  });

  if (ctx.nfce)
    return ok({ saleId, stockMovements, fiscalDocument: null, nfceAccessKey: ctx.nfce.accessKey });

  const issued = await fiscal.issueSale(tx, ctx.deps, {
    model: '65',
    operation: 'sale',
    ...(customerDocument ? { recipientDocument: customerDocument } : {}),
    reference: { type: POS_SALE_REFERENCE, id: saleId },
    storeId: ctx.store.id,
    networkId: ctx.store.networkId,
    sale: {
      number: null,
      externalId: `PDV-${body.terminal}-${body.posId}`,
      deliveryType: 'pickup',
      customer: { name: '', document: customerDocument ?? '', email: '', phone: '', address: null },
      itemsTotal: fromCents(totals.itemsTotal),
      discountTotal: fromCents(totals.discountTotal),
      freight: '0.00',
      total: body.total,
      items: body.items.map((line, i) => {
        const product = bySku.get(line.sku)!;
        return {
          line: i + 1,
          sku: line.sku,
          description: product.description,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          discount: line.discount ?? '0.00',
          productId: product.id,
        };
      }),
      payments: body.payments.map((p) => ({ method: p.method, amount: p.amount, installments: null })),
    },
  });
  if (!issued.ok) return issued;
  const doc = await fiscal.getDocument(tx, issued.value.documentId);
  if (!doc) throw new Error(`fiscal document ${issued.value.documentId} vanished`);
  await store.setSaleFiscal(tx, saleId, { fiscalDocumentId: doc.id, fiscalStatus: doc.status });
  return ok({
    saleId,
    stockMovements,
    fiscalDocument: { id: doc.id, accessKey: doc.accessKey, status: doc.status },
  });
}

/**
 * SEFAZ's answers on the NFC-e Omnihub issued for a POS sale. The sale was made at the counter and stands
 * whatever SEFAZ says: its fiscal status is kept with it, for support to see a rejected one (the fiscal
 * documents screen issues it again). Its documents are not cancelled from here (no `mayCancel`).
 */
const keepStatus =
  (status: string) =>
  async (tx: Db, doc: fiscal.FiscalDocumentRow): Promise<Result<unknown>> => {
    await store.setSaleFiscal(tx, doc.referenceId, { fiscalStatus: status });
    return ok(null);
  };

export const posSaleHandlers: fiscal.ReferenceHandlers = {
  authorised: keepStatus('authorised'),
  contingency: keepStatus('contingency'),
  rejected: keepStatus('rejected'),
  denied: keepStatus('denied'),
  cancelled: keepStatus('cancelled'),
};
