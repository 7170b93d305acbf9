/**
 * The POS routes' shapes the counter reads. Until the POS API's routes are in the generated schema these
 * are the contract's fields (contract.md, "POS"); once they are, they become aliases like api/types.ts.
 */
import type { FiscalDocument, Order } from '../api/types.ts';

export interface PosMe {
  id: string;
  name: string;
  nodeCode: string;
  nodeName: string;
}

export type PosOrder = Order;

export interface PendingOrders {
  count: number;
  orders: PosOrder[];
}

/** What finishing answers about the NFC-e; `contingency` / `emissionType` when the document says how it went out. */
export interface FiscalDocumentRef {
  id: string;
  accessKey: string;
  status: FiscalDocument['status'] | 'contingency';
  number?: number;
  contingency?: boolean;
  emissionType?: string;
}

export interface Finished {
  order: PosOrder;
  fiscalDocument: FiscalDocumentRef;
}

export interface ReturnReason {
  code: string;
  description: string;
}
