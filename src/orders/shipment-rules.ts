import type { FieldError } from '../platform/errors.ts';

/**
 * A ship order's shipment as a platform or the store states it (`PUT /orders/{id}/shipment`). Pure: the
 * checks beyond the request schema and the tracking link a known carrier publishes.
 */
export interface ShipmentInput {
  carrier: string;
  service?: string | null;
  trackingCode: string;
  trackingUrl?: string | null;
}

/** Carriers whose public tracking page takes the code in its address (used when no link is sent). */
const trackingPages: Readonly<Record<string, (code: string) => string>> = {
  CORREIOS: (code) =>
    `https://rastreamento.correios.com.br/app/index.php?objetos=${encodeURIComponent(code)}`,
};

export const defaultTrackingUrl = (carrier: string, code: string): string | null =>
  trackingPages[carrier]?.(code) ?? null;

export function shipmentErrors(input: ShipmentInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.trackingUrl) {
    let url: URL | undefined;
    try {
      url = new URL(input.trackingUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      errors.push({
        path: '/trackingUrl',
        code: 'ORDER.TRACKING_URL_INVALID',
        message: 'must be an http(s) address',
      });
  }
  return errors;
}

/** The shipment as stored: codes upper-cased (Correios codes are), blanks as null, the carrier's link by default. */
export function normaliseShipment(input: ShipmentInput) {
  const trackingCode = input.trackingCode.trim().toUpperCase();
  const service = input.service?.trim() || null;
  return {
    carrier: input.carrier,
    service,
    trackingCode,
    trackingUrl: input.trackingUrl?.trim() || defaultTrackingUrl(input.carrier, trackingCode),
  };
}

/** One line for the history: "CORREIOS SEDEX AB123456789BR". */
export const shipmentLine = (s: { carrier: string; service: string | null; trackingCode: string | null }) =>
  [s.carrier, s.service, s.trackingCode ?? '(sem código)'].filter(Boolean).join(' ');
