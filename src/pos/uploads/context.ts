import type * as fiscal from '../../fiscal/service.ts';

/** The store a POS key uploads for. */
export interface UploadStore {
  id: string;
  networkId: string;
  code: string;
}

/** The POS's own NFC-e, checked by fiscal (schema, signature) and matched to the sale (emitter, total). */
export interface ExternalNfce {
  accessKey: string;
  xml: string;
}

/** What applying one upload works with, whatever its kind. */
export interface UploadContext {
  store: UploadStore;
  /** The POS key, as the stock ledger names who moved goods. */
  actor: string;
  now: Date;
  deps: fiscal.IssuingDeps;
  nfce?: ExternalNfce;
}
