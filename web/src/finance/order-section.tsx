import type { Order } from '../api/types.ts';

/** The order page's "Financeiro" section: receivables, advance, settlements and credits of its purchase. */
export function OrderFinanceSection(_props: { order: Order }) {
  return null;
}
