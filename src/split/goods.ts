/**
 * What a stock request sends, as the sending company's paperwork needs it (the content declaration of the
 * fulfilment context): sender, recipient, and each line with its description and the value it is sold at.
 */
import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { RequestStatus } from './domain.ts';
import { visibleRequest } from './requests.ts';
import * as store from './store.ts';

export interface SentGoods {
  id: string;
  orderNumber: number | null;
  status: RequestStatus;
  sender: network.NetworkNode;
  recipient: network.NetworkNode;
  lines: { line: number; sku: string; description: string; quantity: number; unitValue: string }[];
}

/** The goods leave once the support company accepted; refused or cancelled requests send nothing. */
const SENDING: readonly RequestStatus[] = ['accepted', 'invoicing', 'in_transit', 'received'];

/** The request's goods for its sender (the support company and the nodes above it). */
export async function sentGoodsOf(db: Db, reader: network.Viewer, id: string): Promise<Result<SentGoods>> {
  const found = await visibleRequest(db, reader, id);
  if (!found.ok) return found;
  const { row, support } = found.value;
  if (!support)
    return fail(
      'forbidden',
      'SPLIT.NOT_YOUR_SIDE',
      'Only the company that sends the goods prints their content declaration.',
    );
  if (!SENDING.includes(row.status))
    return fail(
      'conflict',
      'SPLIT.REQUEST_NOT_SENDING',
      `The stock request is ${row.status}: its goods are sent once it is accepted.`,
      { data: { currentStatus: row.status } },
    );
  const [sender, recipient, details, lines] = await Promise.all([
    network.getNodeById(db, row.supportStoreId),
    network.getNodeById(db, row.mainStoreId),
    orders.orderDetails(db, row.orderId),
    store.linesOf(db, [row.id]),
  ]);
  const items = new Map(details?.items.map((i) => [i.productId, i]) ?? []);
  return ok({
    id: row.id,
    orderNumber: details?.order.number ?? null,
    status: row.status,
    sender: sender!,
    recipient: recipient!,
    lines: (lines.get(row.id) ?? []).map((l) => ({
      line: l.line,
      sku: l.sku,
      description: items.get(l.productId)?.description ?? l.sku,
      quantity: l.quantity,
      // The value the transfer NF-e states too: what the customer pays for the item.
      unitValue: items.get(l.productId)?.unitPrice ?? '0.00',
    })),
  });
}
