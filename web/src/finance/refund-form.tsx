/** "Registrar reembolso": pays the customer's credit back (card charge-back, pix, cash, voucher). */
export function RefundForm(_props: { orderId: string; credit: string; onDone(): void }) {
  return null;
}
