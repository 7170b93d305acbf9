/**
 * The label PDF of one order or of the queue's selection. Reads the order, its shipment and its authorised
 * NF-e through the orders, network and fiscal services; only ship orders with a tracking code print (seed 003
 * Etiqueta: "a etiqueta logística só poderá ser gerada se o tracking do pedido já foi gerado").
 */
import * as fiscal from '../../fiscal/service.ts';
import * as network from '../../network/service.ts';
import * as orders from '../../orders/service.ts';
import * as parameters from '../../parameters/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import {
  type LabelFormat,
  label,
  labelWords,
  MAX_LABELS,
  type PrintMode,
  placeLabels,
  printModeOf,
} from './domain.ts';
import { type DrawnLabel, type LabelPart, mergeLabels, readablePdf, renderLabels } from './label-pdf.ts';
import { loadLogo } from './logo.ts';

export interface LabelPdf {
  pdf: Buffer;
  fileName: string;
}

/** Orders loaded at once: enough to overlap round trips, few enough to leave the pool to other requests. */
const CONCURRENCY = 8;

interface Printable {
  drawn: DrawnLabel;
  mode: PrintMode;
  /** The carrier's own label (decoded), printed instead of Omnihub's. */
  carrierLabel: Buffer | null;
}

interface Refusal {
  id: string;
  number: number;
  code: 'ORDER.NOT_SHIP' | 'ORDER.NO_TRACKING_CODE';
  reason: string;
}

/** One order's label: 404 when not visible, 409 ORDER.NOT_SHIP or ORDER.NO_TRACKING_CODE. */
export async function labelOf(
  db: Db,
  caller: orders.OrderCaller,
  id: string,
  format: LabelFormat,
): Promise<Result<LabelPdf>> {
  const found = await orders.getOrder(db, caller, id);
  if (!found.ok) return found;
  const loaded = await printable(db, found.value);
  if ('code' in loaded) return fail('conflict', loaded.code, loaded.reason, { data: { orderId: id } });
  const pdf = await render(
    [loaded],
    format,
    `${labelWords.title} - ${labelWords.order} ${found.value.number}`,
  );
  return ok({ pdf, fileName: labelWords.fileName(found.value.number) });
}

/**
 * The labels of selected orders, each id once, in the order given. All or nothing: a store prints the batch
 * it selected, so 404 ORDER.NOT_FOUND names every id not visible and 409 FULFILMENT.LABELS_NOT_PRINTABLE
 * names every order that cannot print yet (pickup, or no tracking code) with the reason; nothing is printed.
 */
export async function labelsOf(
  db: Db,
  caller: orders.OrderCaller,
  ids: readonly string[],
  format: LabelFormat,
): Promise<Result<LabelPdf>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0 || unique.length > MAX_LABELS)
    return fail('invalid', 'FULFILMENT.BATCH_SIZE', `Select between 1 and ${MAX_LABELS} orders.`);
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
  if (missing.length > 0)
    return fail(
      'not_found',
      'ORDER.NOT_FOUND',
      `There is no order ${missing.join(', ')} visible to you; no label was printed.`,
      { data: { orderIds: missing } },
    );
  const ready: Printable[] = [];
  const refused: Refusal[] = [];
  for (const order of found) {
    const loaded = await printable(db, order);
    if ('code' in loaded) refused.push(loaded);
    else ready.push(loaded);
  }
  if (refused.length > 0)
    return fail(
      'conflict',
      'FULFILMENT.LABELS_NOT_PRINTABLE',
      `${refused.map((r) => `Order ${r.number}: ${r.reason}`).join(' ')} No label was printed.`,
      { data: { orders: refused } },
    );
  return ok({ pdf: await render(ready, format, labelWords.title), fileName: labelWords.batchFileName });
}

async function printable(db: Db, order: orders.OrderView): Promise<Printable | Refusal> {
  const refuse = (code: Refusal['code'], reason: string): Refusal => ({
    id: order.id,
    number: order.number,
    code,
    reason,
  });
  if (order.deliveryType !== 'ship' || !order.customer.address)
    return refuse('ORDER.NOT_SHIP', 'it is picked up at the store: there is no label to print.');
  const shipment = await orders.shipmentOf(db, order.id);
  if (!shipment?.trackingCode)
    return refuse(
      'ORDER.NO_TRACKING_CODE',
      'it has no tracking code yet: the label prints once the carrier’s code is on the order.',
    );
  const storeId = (await orders.orderDetails(db, order.id))!.order.storeId;
  const [store, settings, invoice] = await Promise.all([
    network.getNodeById(db, storeId),
    parameters.resolveMany(db, storeId, ['TP_IMP_ETIQ_LOGISTICA_PED', 'CD_LOGOTIPO_EMP']),
    authorisedNfe(db, order.id),
  ]);
  const carrierLabel = shipment.carrierLabel ? Buffer.from(shipment.carrierLabel, 'base64') : null;
  return {
    drawn: {
      label: label({
        order: { number: order.number, customer: { ...order.customer, address: order.customer.address } },
        store: {
          name: store?.name ?? order.storeName,
          legalName: store?.legalName ?? '',
          address: store?.address ?? null,
        },
        shipment: {
          carrier: shipment.carrier,
          service: shipment.service,
          trackingCode: shipment.trackingCode,
        },
        invoice,
      }),
      logo: await loadLogo(settings.CD_LOGOTIPO_EMP.value),
    },
    mode: printModeOf(settings.TP_IMP_ETIQ_LOGISTICA_PED.value),
    // A stored label that is not a readable PDF is set aside: Omnihub's label still gets the parcel out.
    carrierLabel: carrierLabel && (await readablePdf(carrierLabel)) ? carrierLabel : null,
  };
}

/** The order's NF-e SEFAZ authorised (the label names the invoice the goods travel with), if any. */
async function authorisedNfe(db: Db, orderId: string) {
  const document = (await fiscal.documentsFor(db, orders.ORDER_REFERENCE, orderId))
    .filter((d) => d.model === 55 && d.status === 'authorised')
    .at(-1);
  return document
    ? { number: document.number, series: document.series, accessKey: document.accessKey }
    : null;
}

/**
 * Omnihub's labels placed per TP_IMP_ETIQ_LOGISTICA_PED; a carrier's own label takes its order's place
 * (its pages, once per copy), and the labels after it start on a new page.
 */
async function render(batch: readonly Printable[], format: LabelFormat, title: string): Promise<Buffer> {
  const drawnRun = (run: readonly Printable[]) =>
    renderLabels(
      run.map((p) => p.drawn),
      placeLabels(
        run.map((p) => p.mode),
        format,
      ),
      format,
      title,
    );
  if (batch.every((p) => !p.carrierLabel)) return drawnRun(batch);
  const parts: LabelPart[] = [];
  let run: Printable[] = [];
  for (const p of batch) {
    if (!p.carrierLabel) {
      run.push(p);
      continue;
    }
    if (run.length > 0) parts.push({ kind: 'drawn', pdf: await drawnRun(run) });
    run = [];
    parts.push({ kind: 'carrier', pdf: p.carrierLabel, copies: p.mode.copies });
  }
  if (run.length > 0) parts.push({ kind: 'drawn', pdf: await drawnRun(run) });
  return mergeLabels(parts, title);
}
