/** The carriers' public face for the rest of the delivery context (service.ts re-exports what others use). */
export { carrierCodesWithAccount } from './accounts.ts';
export * from './port.ts';
