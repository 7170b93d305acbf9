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

/** An interface's direction (seed 000 §5.3 `InterfaceIntegracao`): into Omnihub or out of it. */
export const interfaceDirections = ['in', 'out'] as const;
export type InterfaceDirection = (typeof interfaceDirections)[number];

/** How the satellite system is reached: polled, pushed to, calling us, a shared directory, a message bus. */
export const interfaceMethods = ['rest_pull', 'rest_push', 'webhook', 'file_drop', 'message_bus'] as const;
export type InterfaceMethod = (typeof interfaceMethods)[number];

/**
 * What runs an interface. `none`: the interface is a record only (the seed's vendor systems — SAP, Hana,
 * NeoGrid… — have no adapter in Omnihub), its runs end `skipped`; the generic ones are configured by an admin.
 */
export const interfaceAdapters = ['none', 'http_json', 'file_drop', 'nats'] as const;
export type InterfaceAdapter = (typeof interfaceAdapters)[number];

/** The datasets an outbound generic adapter can send; `prices` and `products` are named but not built yet. */
export const interfaceSources = ['stock', 'orders', 'prices', 'products'] as const;
export type InterfaceSource = (typeof interfaceSources)[number];
export const builtSources: readonly InterfaceSource[] = ['stock', 'orders'];

export const runTriggers = ['schedule', 'manual'] as const;
export type RunTrigger = (typeof runTriggers)[number];

/** `inactive`: the interface was off when its time came (it stays scheduled); `skipped`: one was running, or no adapter. */
export const runOutcomes = ['running', 'succeeded', 'failed', 'inactive', 'skipped'] as const;
export type RunOutcome = (typeof runOutcomes)[number];

/** The job queue of one interface run. */
export const INTERFACE_RUN_QUEUE = 'connector.interface_run';
