/** The public demo promises these (the split example of the seeds: CAM-001 is missing at the e-commerce store). */
const contractStock: Record<string, Record<string, number>> = {
  'CAM-001': { '11': 0, '8': 2, '3': 1 },
  'CAL-002': { '11': 10 },
};

/** Demo on-hand quantity of a product at a store: the contract's figures, otherwise varied but fixed. */
export function demoQuantity(
  sku: string,
  storeCode: string,
  productIndex: number,
  storeIndex: number,
): number {
  const fixed = contractStock[sku];
  if (fixed) return fixed[storeCode] ?? 0;
  return ((productIndex * 7 + storeIndex * 5) % 23) + 2;
}
