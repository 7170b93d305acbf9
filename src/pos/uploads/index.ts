/**
 * POS uploads (seed 000 §2): what a store's POS sends back — cash, customers, sales with their NFC-e, Z
 * reductions — applied once or refused and kept for support. The public face of pos/uploads.
 */
export { type PosUploadRouteOptions, registerPosUploadRoutes } from './routes.ts';
export { POS_SALE_REFERENCE, posSaleHandlers, type UploadKind, uploadKinds } from './service.ts';
