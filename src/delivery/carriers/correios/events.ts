import type { TrackingStatus } from '../port.ts';

/**
 * What an SRO event means for the order. Source: Correios, "Web Service de Rastreamento — Padrões Técnicos
 * de Comunicação", §12 "Lista de Status de eventos" (the same codes the REST SRO Rastro v1 answers in
 * `eventos[].codigo` + `eventos[].tipo`). Pure: the table is the rule.
 *
 * - PO 01/09 — "Objeto postado" (09: after the unit's cut-off time): posted.
 * - RO, DO, PAR, TRI (any tipo) — "Objeto em trânsito / encaminhado / em fiscalização": in transit.
 * - OEC 01 — "Objeto saiu para entrega ao destinatário": out for delivery.
 * - BDE/BDI/BDR 00, 01 — "Objeto entregue ao destinatário": delivered.
 * - BDE/BDI/BDR 23 — "Objeto entregue ao remetente" (it came back): returning.
 * - FC 01 — "Objeto será devolvido por solicitação do remetente"; FC 47 — "será devolvido ao remetente":
 *   returning.
 * - BDE/BDI/BDR with any other tipo — "A entrega não pode ser efetuada" (carteiro não atendido, endereço
 *   incorreto, destinatário ausente, recusado, …): a failed attempt.
 * - LDI (any tipo) — "Objeto aguardando retirada no endereço indicado": still with the carrier, in transit.
 * - anything else the object went through in the carrier's network: in transit.
 */
const delivery = new Set(['BDE', 'BDI', 'BDR']);

export function sroStatus(codigo: string, tipo: string): TrackingStatus {
  const code = codigo.trim().toUpperCase();
  const kind = tipo.trim().padStart(2, '0');
  if (code === 'PO') return 'posted';
  if (code === 'OEC') return 'out_for_delivery';
  if (delivery.has(code)) {
    if (kind === '00' || kind === '01') return 'delivered';
    if (kind === '23') return 'returning';
    return 'delivery_failed';
  }
  if (code === 'FC' && (kind === '01' || kind === '47')) return 'returning';
  return 'in_transit';
}

/** Stable across reads: the same event read twice gets the same id (code, tipo, time, unit). */
export function sroEventId(
  trackingCode: string,
  e: { codigo: string; tipo: string; dtHrCriado: string; unidade?: string },
): string {
  return ['correios', trackingCode, e.codigo, e.tipo, e.dtHrCriado, e.unidade ?? ''].join(':');
}

/**
 * SRO times are São Paulo wall-clock times without an offset ("2026-03-10T14:32:05"): read them as -03:00
 * (Brazil has had no daylight saving time since 2019). One with an offset is read as written.
 */
export function sroInstant(text: string): Date | null {
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}-03:00`;
  const at = new Date(withZone);
  return Number.isNaN(at.getTime()) ? null : at;
}
