/** The POS routes' shapes the counter reads, as aliases onto the generated schema (like api/types.ts). */
import type { ResponseOf } from '../api/types.ts';

export type { Order as PosOrder } from '../api/types.ts';

/** `GET /pos/setup`: the store and the parameters the POS configures itself with (9253, 9254, 9242, 9285). */
export type PosSetup = ResponseOf<'/api/v1/pos/setup', 'get'>;

export type PendingOrders = ResponseOf<'/api/v1/pos/pending-orders', 'get'>;
/** One pickup ready at the store, as the pending list shows it. */
export type PendingItem = PendingOrders['orders'][number];

/** The look-up, rescue, release and finish answer: the order, its next actions and its latest NFC-e. */
export type CounterView = ResponseOf<'/api/v1/pos/orders', 'get'>;
/** What the POS may do with the order now, in the order it happens at the counter. */
export type PosAction = CounterView['actions'][number];
/** The NFC-e of the order (`contingency`: issued offline, tpEmis 9, transmitted later). */
export type FiscalDocumentRef = NonNullable<CounterView['fiscalDocument']>;
export type Finished = ResponseOf<'/api/v1/pos/orders/{number}/finish', 'post'>;

export type ReturnReason = ResponseOf<'/api/v1/return-reasons', 'get'>['items'][number];
/** A return of an order (`GET /orders/{id}/returns`, `POST /pos/returns`). */
export type OrderReturn = ResponseOf<'/api/v1/orders/{id}/returns', 'get'>['items'][number];
export type ReturnDone = ResponseOf<'/api/v1/pos/returns', 'post', 201>;

/** The NFC-e issued in offline contingency and not yet authorised (the amber banner while any waits). */
export type FiscalContingency = ResponseOf<'/api/v1/fiscal/contingency', 'get'>;
