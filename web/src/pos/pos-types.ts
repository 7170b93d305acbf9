/**
 * The POS routes' shapes the counter reads. Until the POS API's routes are in the generated schema these
 * follow its route schemas (src/pos/routes.ts); once they are, they become aliases like api/types.ts.
 */
import type { FiscalDocument, Order } from '../api/types.ts';

export type PosOrder = Order;

/** `GET /pos/setup`: the store and the parameters the POS configures itself with (9253, 9285). */
export interface PosSetup {
  store: { code: string; name: string };
  participates: boolean;
  online: boolean;
}

/** One pickup ready at the store, as the pending list shows it. */
export interface PendingItem {
  id: string;
  number: number;
  customerName: string;
  itemsSummary: string;
  units: number;
  total: string;
  readyAt: string;
}

export interface PendingOrders {
  count: number;
  online?: boolean;
  /** Why the list is empty whatever the orders (9253 or 9285 off). */
  notice?: { code: string; message: string } | null;
  orders: PendingItem[];
}

/** What the POS may do with the order now, in the order it happens at the counter. */
export type PosAction = 'rescue' | 'finish' | 'release' | 'handover';

/** What finishing answers about the NFC-e (`contingency`: issued offline, tpEmis 9). */
export interface FiscalDocumentRef {
  id: string;
  accessKey: string;
  status: FiscalDocument['status'] | 'contingency';
}

/** The look-up, rescue, release and finish answer: the order, its next actions and its latest NFC-e. */
export interface CounterView {
  order: PosOrder;
  actions: PosAction[];
  fiscalDocument: FiscalDocumentRef | null;
}

export interface ReturnReason {
  code: string;
  description: string;
}
