/**
 * The integration connector (seed 000 §3.2, §5): the e-commerce platforms Omnihub plugs into by itself, the
 * mapping of their codes to Omnihub's, the interface catalogue and its scheduled runs. Pure: no db, no http.
 */

/** The e-commerce platforms with a vendor adapter. */
export const platforms = ['vtex', 'nuvemshop'] as const;
export type Platform = (typeof platforms)[number];

/**
 * What a mapping translates, from the platform's code to Omnihub's:
 * - `store`: a platform's pickup point / warehouse / location → an Omnihub store code;
 * - `sku`: a platform's SKU reference → an Omnihub SKU (without a row, the platform's reference is the SKU);
 * - `payment`: a platform's payment system / gateway → an Omnihub payment method
 *   (`credit_card`, `debit_card`, `pix`, `invoice`, `marketplace`).
 */
export const mappingKinds = ['store', 'sku', 'payment'] as const;
export type MappingKind = (typeof mappingKinds)[number];

export interface Mapping {
  platform: Platform;
  kind: MappingKind;
  externalCode: string;
  internalCode: string;
}

/** The Omnihub payment methods a `payment` mapping may name (the orders context's `paymentMethods`). */
export const paymentMethodCodes = ['credit_card', 'debit_card', 'pix', 'invoice', 'marketplace'] as const;

/** The ticket kinds the platform adapters record (reprocess handlers are registered under these). */
export const VTEX_ORDER_TICKET = 'vtex.order';
export const NUVEMSHOP_ORDER_TICKET = 'nuvemshop.order';

/** The `system` of the platform adapters' tickets. */
export const systemOf: Record<Platform, string> = { vtex: 'vtex', nuvemshop: 'nuvemshop' };
