import * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { defaultLayout, type Layout, labels, MAX_BATCH, pickingSlip, uniqueIds } from './domain.ts';
import { renderSlips } from './pdf.ts';
import { pickupReceipt, receiptLabels, renderPickupReceipt } from './pickup-receipt.ts';
import * as store from './store.ts';

/** The fulfilment context as others use it: picking slips, conference, pickup receipts, labels. */

export { defaultLayout, type Layout, layouts, MAX_BATCH } from './domain.ts';
export {
  contentDeclarationOf,
  defaultLabelFormat,
  type LabelFormat,
  type LabelPdf,
  labelFormats,
  labelOf,
  labelsOf,
  MAX_LABELS,
} from './labels/index.ts';

export interface SlipPdf {
  pdf: Buffer;
  fileName: string;
}

/** Orders loaded at once: enough to overlap round trips, few enough to leave the pool to other requests. */
const CONCURRENCY = 8;

/** One order's slip; the order is visible exactly as GET /orders/{id} shows it (404 otherwise). */
export async function pickingSlipOf(
  db: Db,
  caller: orders.OrderCaller,
  id: string,
  layout: Layout = defaultLayout,
  now = new Date(),
): Promise<Result<SlipPdf>> {
  const order = await orders.getOrder(db, caller, id);
  if (!order.ok) return order;
  const slip = pickingSlip(order.value, now);
  return ok({
    pdf: await renderSlips([slip], layout, `${labels.title} - ${labels.order} ${slip.number}`),
    fileName: labels.fileName(order.value.number),
  });
}

/** The slips of selected orders, each id once, in the order given; nothing is printed if one is not visible. */
export async function pickingSlipsOf(
  db: Db,
  caller: orders.OrderCaller,
  ids: readonly string[],
  layout: Layout = defaultLayout,
  now = new Date(),
): Promise<Result<SlipPdf>> {
  const unique = uniqueIds(ids);
  if (unique.length === 0 || unique.length > MAX_BATCH) {
    return fail('invalid', 'FULFILMENT.BATCH_SIZE', `Select between 1 and ${MAX_BATCH} orders.`);
  }
  const found: orders.OrderView[] = [];
  const missing: string[] = [];
  for (let i = 0; i < unique.length; i += CONCURRENCY) {
    const chunk = unique.slice(i, i + CONCURRENCY);
    const loaded = await Promise.all(chunk.map((id) => orders.getOrder(db, caller, id)));
    loaded.forEach((result, j) => {
      if (result.ok) found.push(result.value);
      else missing.push(chunk[j]!);
    });
  }
  if (missing.length > 0) {
    return fail(
      'not_found',
      'ORDER.NOT_FOUND',
      `There is no order ${missing.join(', ')} visible to you; no slip was printed.`,
      { data: { orderIds: missing } },
    );
  }
  const slips = found.map((order) => pickingSlip(order, now));
  return ok({
    pdf: await renderSlips(slips, layout, labels.title),
    fileName: labels.batchFileName,
  });
}

export {
  type ConferenceView,
  conferenceOf,
  finish as finishConference,
  recordScan,
  restart as restartConference,
  type ScanInput,
  type Scanned,
} from './conference.ts';
export { conferenceStatuses } from './conference-rules.ts';
/**
 * The pickup receipt of a served pickup order (invoiced or delivered): 409 FULFILMENT.RECEIPT_NOT_AVAILABLE
 * saying why otherwise. Each print is counted, so a reprint says "2ª via".
 */
export async function pickupReceiptOf(
  db: Db,
  caller: orders.OrderCaller,
  id: string,
  now = new Date(),
): Promise<Result<SlipPdf>> {
  const found = await orders.getOrder(db, caller, id);
  if (!found.ok) return found;
  const order = found.value;
  if (order.deliveryType !== 'pickup')
    return fail(
      'conflict',
      'FULFILMENT.RECEIPT_NOT_AVAILABLE',
      'A pickup receipt is printed for pickup orders only; a ship order travels with its DANFE and label.',
      { data: { deliveryType: order.deliveryType, status: order.status } },
    );
  if (order.status !== 'invoiced' && order.status !== 'delivered')
    return fail(
      'conflict',
      'FULFILMENT.RECEIPT_NOT_AVAILABLE',
      `The order is ${order.status}: the pickup receipt is printed once the order is served (invoiced, then delivered).`,
      { data: { deliveryType: order.deliveryType, status: order.status } },
    );
  const storeNode = await network.getNodeById(db, (await orders.orderDetails(db, id))!.order.storeId);
  const document = (await fiscal.documentsFor(db, orders.ORDER_REFERENCE, id))
    .filter((d) => d.status !== 'rejected' && d.status !== 'cancelled')
    .at(-1);
  const print = await store.countReceiptPrint(db, id, now);
  const receipt = pickupReceipt({
    order,
    store: {
      code: order.storeCode,
      name: order.storeName,
      legalName: storeNode?.legalName ?? '',
      cnpj: storeNode?.cnpj ?? null,
      address: storeNode?.address ?? null,
    },
    fiscal: document
      ? {
          model: document.model,
          number: document.number,
          series: document.series,
          accessKey: document.accessKey,
        }
      : null,
    print,
    printedAt: now,
  });
  return ok({
    pdf: await renderPickupReceipt(
      receipt,
      `${receiptLabels.title} - ${receiptLabels.order} ${order.number}`,
    ),
    fileName: receiptLabels.fileName(order.number),
  });
}
