/**
 * The offline sale's rules, pure: money in cents (never floats), the price of a SKU from the downloaded
 * price records (the most specific scope wins: store > central > network), the product look-up by SKU, EAN
 * or name, and the cart's totals.
 */
import type { RecordScope, SyncRecord } from './db.ts';

/** "12.34" → 1234; null when it is not a money string. */
export function toCents(amount: string): number | null {
  const m = /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(amount.trim());
  if (!m) return null;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '0').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

/** 1234 → "12.34" */
export function fromCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const specificity: Record<RecordScope, number> = { network: 0, central: 1, store: 2 };

/** A money field of a record, whether the server sends it as a string ("12.34") or a number of cents' units. */
function moneyField(data: Record<string, unknown>, field: string): string | null {
  const value = data[field];
  if (typeof value === 'string') return toCents(value) === null ? null : fromCents(toCents(value) as number);
  if (typeof value === 'number' && Number.isFinite(value)) return fromCents(Math.round(value * 100));
  return null;
}

/**
 * The price of a SKU at this store: of its price records (one per scope at most), the most specific with a
 * usable price; the product's own price when no price record has one.
 */
export function resolvePrice(prices: SyncRecord[], product?: SyncRecord): string | null {
  const ordered = [...prices].sort((a, b) => specificity[b.scope] - specificity[a.scope]);
  for (const record of ordered) {
    const price = moneyField(record.data, 'price');
    if (price !== null) return price;
  }
  return product ? moneyField(product.data, 'price') : null;
}

/** The product as the sale page shows it, whatever names the record's fields carry. */
export interface SaleProduct {
  sku: string;
  name: string;
  ean: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export function productOf(record: SyncRecord): SaleProduct {
  const d = record.data;
  return {
    sku: text(d.sku) ?? record.key,
    name: text(d.description) ?? text(d.name) ?? record.key,
    ean: text(d.ean),
  };
}

/**
 * Products matching what the cashier typed or scanned: an exact SKU or EAN first (a scanner's read), then
 * names and SKUs containing every word, most specific scope of each SKU only.
 */
export function searchProducts(
  products: SyncRecord[],
  query: string,
  eanToSku: Map<string, string> = new Map(),
  max = 20,
): SaleProduct[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const bySku = new Map<string, { record: SyncRecord; product: SaleProduct }>();
  for (const record of products) {
    const product = productOf(record);
    const seen = bySku.get(product.sku);
    if (!seen || specificity[record.scope] > specificity[seen.record.scope])
      bySku.set(product.sku, { record, product });
  }
  const all = [...bySku.values()].map((v) => v.product);
  const exactSku = eanToSku.get(q) ?? all.find((p) => p.ean === q)?.sku;
  const exact = all.filter((p) => p.sku.toLowerCase() === q || p.sku === exactSku);
  if (exact.length) return exact;
  const words = q.split(/\s+/);
  return all
    .filter((p) => {
      const hay = `${p.sku} ${p.name}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'pt-BR'))
    .slice(0, max);
}

export interface CartLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: string;
}

export function lineTotal(line: CartLine): number {
  return (toCents(line.unitPrice) ?? 0) * line.quantity;
}

export function cartTotal(lines: CartLine[]): string {
  return fromCents(lines.reduce((sum, line) => sum + lineTotal(line), 0));
}

/** Adds a unit of a product (a new line, or one more on its line). */
export function addToCart(lines: CartLine[], item: Omit<CartLine, 'quantity'>, quantity = 1): CartLine[] {
  const at = lines.findIndex((l) => l.sku === item.sku);
  if (at < 0) return [...lines, { ...item, quantity }];
  return lines.map((l, i) => (i === at ? { ...l, quantity: l.quantity + quantity } : l));
}

/** Sets a line's quantity (whole units; zero or less removes it). */
export function setQuantity(lines: CartLine[], sku: string, quantity: number): CartLine[] {
  const q = Math.trunc(quantity);
  return q > 0
    ? lines.map((l) => (l.sku === sku ? { ...l, quantity: q } : l))
    : lines.filter((l) => l.sku !== sku);
}

export const paymentMethods = [
  'cash',
  'credit_card',
  'debit_card',
  'pix',
  'voucher',
  'store_credit',
] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** The `sale` upload's fields (api.md), paid in full with one method; no nfceXml: the server issues the NFC-e. */
export function saleUpload(
  lines: CartLine[],
  opts: { method: PaymentMethod; cashSessionPosId?: string; customerDocument?: string },
): Record<string, unknown> {
  const total = cartTotal(lines);
  return {
    ...(opts.cashSessionPosId ? { cashSessionPosId: opts.cashSessionPosId } : {}),
    ...(opts.customerDocument ? { customerDocument: opts.customerDocument } : {}),
    items: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
    payments: [{ method: opts.method, amount: total }],
    total,
  };
}
