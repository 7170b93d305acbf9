import type { IngestInput, PaymentMethod } from '../../orders/service.ts';
import { fromCents } from '../../platform/money.ts';
import { isUf, type Uf } from '../../platform/uf.ts';

/**
 * A Nuvemshop order (REST v1, `GET /orders/{id}`) translated to Omnihub's ingest body. Pure: the codes it
 * needs translated (SKUs, the pickup branch, payment gateways) are listed by `codesOf`, looked up by the
 * caller through the network's mappings, and handed back to `toIngestInput`.
 */

/** The fields of Nuvemshop's order this adapter reads (the API answers many more). */
export interface NuvemshopOrder {
  id: number;
  number?: number;
  contact_email?: string | null;
  contact_name?: string | null;
  contact_phone?: string | null;
  contact_identification?: string | null;
  shipping_address?: {
    name?: string | null;
    address?: string | null;
    number?: string | null;
    floor?: string | null;
    locality?: string | null;
    city?: string | null;
    province?: string | null;
    zipcode?: string | null;
    country?: string | null;
    phone?: string | null;
  } | null;
  products: {
    id?: number;
    product_id?: number;
    variant_id?: number;
    sku?: string | null;
    name?: string;
    price: string;
    quantity: number | string;
  }[];
  subtotal?: string;
  discount?: string | null;
  shipping_cost_customer?: string | null;
  total: string;
  currency?: string;
  gateway?: string | null;
  payment_status?: string;
  payment_details?: {
    method?: string | null;
    credit_card_company?: string | null;
    installments?: number | string | null;
  } | null;
  shipping_pickup_type?: 'ship' | 'pickup' | string | null;
  shipping_store_branch_name?: string | null;
  shipping_option_reference?: string | null;
  shipping_option?: string | null;
  status?: string;
  created_at?: string;
}

/** The Omnihub order's externalId for a Nuvemshop order: prefixed, so it never meets another platform's ids. */
export const externalIdOf = (nuvemshopOrderId: number | string) => `NS-${nuvemshopOrderId}`;

/** The Nuvemshop order id back from an externalId this adapter wrote, or null for another platform's. */
export function nuvemshopIdOf(externalId: string): string | null {
  const match = /^NS-(\d+)$/.exec(externalId);
  return match ? match[1]! : null;
}

/** Nuvemshop's payment methods Omnihub knows without a mapping (`boleto` is a bank slip: `invoice`). */
const knownMethods: Readonly<Record<string, PaymentMethod>> = {
  credit_card: 'credit_card',
  debit_card: 'debit_card',
  pix: 'pix',
  boleto: 'invoice',
};

/** The codes an order needs translated, to be looked up in the network's mappings. */
export interface OrderCodes {
  skus: string[];
  /** The pickup branch's name or reference (store mapping), when the customer picks up. */
  stores: string[];
  /** The method and gateway, when the method is not one Omnihub knows (payment mapping). */
  payments: string[];
}

const skuOf = (p: NuvemshopOrder['products'][number]) =>
  (p.sku ?? '').trim() || (p.variant_id !== undefined ? String(p.variant_id) : '');

const isPickup = (o: NuvemshopOrder) => o.shipping_pickup_type === 'pickup';

function pickupCodes(o: NuvemshopOrder): string[] {
  return [o.shipping_store_branch_name, o.shipping_option_reference]
    .map((c) => (c ?? '').trim())
    .filter((c) => c.length > 0);
}

function paymentCodes(o: NuvemshopOrder): string[] {
  const method = (o.payment_details?.method ?? '').trim();
  if (knownMethods[method]) return [];
  return [method, (o.gateway ?? '').trim()].filter((c) => c.length > 0);
}

export function codesOf(o: NuvemshopOrder): OrderCodes {
  return {
    skus: [...new Set(o.products.map(skuOf).filter((s) => s.length > 0))],
    stores: isPickup(o) ? pickupCodes(o) : [],
    payments: paymentCodes(o),
  };
}

/** What the network's mappings answered for the order's codes, and where an unmapped order goes. */
export interface Translations {
  skus: ReadonlyMap<string, string>;
  stores: ReadonlyMap<string, string>;
  payments: ReadonlyMap<string, string>;
  defaultStoreCode: string;
}

export type Mapped = { ok: true; input: IngestInput } | { ok: false; reasons: string[] };

/** The UF of a `province` as Nuvemshop sends it: the code (SP) or the state's name (São Paulo), any case or accents. */
export function ufOf(province: string | null | undefined): Uf | null {
  const text = (province ?? '').trim();
  if (isUf(text.toUpperCase())) return text.toUpperCase() as Uf;
  return ufByName.get(plain(text)) ?? null;
}

const plain = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const ufByName = new Map<string, Uf>(
  (
    [
      ['Acre', 'AC'],
      ['Alagoas', 'AL'],
      ['Amapá', 'AP'],
      ['Amazonas', 'AM'],
      ['Bahia', 'BA'],
      ['Ceará', 'CE'],
      ['Distrito Federal', 'DF'],
      ['Espírito Santo', 'ES'],
      ['Goiás', 'GO'],
      ['Maranhão', 'MA'],
      ['Mato Grosso', 'MT'],
      ['Mato Grosso do Sul', 'MS'],
      ['Minas Gerais', 'MG'],
      ['Pará', 'PA'],
      ['Paraíba', 'PB'],
      ['Paraná', 'PR'],
      ['Pernambuco', 'PE'],
      ['Piauí', 'PI'],
      ['Rio de Janeiro', 'RJ'],
      ['Rio Grande do Norte', 'RN'],
      ['Rio Grande do Sul', 'RS'],
      ['Rondônia', 'RO'],
      ['Roraima', 'RR'],
      ['Santa Catarina', 'SC'],
      ['São Paulo', 'SP'],
      ['Sergipe', 'SE'],
      ['Tocantins', 'TO'],
    ] as const
  ).map(([name, uf]) => [plain(name), uf]),
);

/**
 * Spreads the order's discount over its lines in proportion to each line's gross (the last line takes the
 * rounding), since Omnihub keeps discounts per line and Nuvemshop sends one for the order.
 */
export function spreadDiscount(gross: readonly bigint[], discount: bigint): bigint[] {
  const total = gross.reduce((a, b) => a + b, 0n);
  if (discount <= 0n || total === 0n) return gross.map(() => 0n);
  let left = discount;
  return gross.map((g, i) => {
    const share = i === gross.length - 1 ? left : (discount * g) / total;
    // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.min does not take
    const capped = share > g ? g : share;
    left -= capped;
    return capped;
  });
}

const money = (value: string | null | undefined, what: string, reasons: string[]): bigint => {
  if (value === null || value === undefined || value === '') return 0n;
  const cents = decimalCents(value);
  if (cents === null) reasons.push(`${what} "${value}" is not an amount`);
  return cents ?? 0n;
};

/** The order as Omnihub ingests it, or every reason it cannot be (for the ticket). */
export function toIngestInput(o: NuvemshopOrder, t: Translations): Mapped {
  const reasons: string[] = [];

  const pickup = isPickup(o);
  let storeCode = t.defaultStoreCode;
  if (pickup) {
    const branch = pickupCodes(o).find((c) => t.stores.has(c));
    if (branch) storeCode = t.stores.get(branch)!;
  }

  const quantities = o.products.map((p) => Number(p.quantity));
  const gross = o.products.map((p, i) => {
    const unit = money(p.price, `the price of ${skuOf(p) || p.name}`, reasons);
    return unit * BigInt(Number.isInteger(quantities[i]) ? quantities[i]! : 0);
  });
  const discounts = spreadDiscount(gross, money(o.discount, 'the discount', reasons));
  const items = o.products.map((p, i) => {
    const external = skuOf(p);
    const sku = t.skus.get(external);
    if (!external) reasons.push(`the product "${p.name ?? p.id}" has no SKU`);
    else if (!sku) reasons.push(`SKU ${external} is not mapped to an Omnihub SKU`);
    if (!Number.isInteger(quantities[i]) || quantities[i]! <= 0)
      reasons.push(`the quantity of ${external} is not a positive whole number`);
    return {
      sku: sku ?? external,
      quantity: quantities[i]!,
      unitPrice: normalised(p.price),
      ...(discounts[i]! > 0n ? { discount: fromCents(discounts[i]!) } : {}),
    };
  });

  const method = (o.payment_details?.method ?? '').trim();
  const paymentMethod =
    knownMethods[method] ??
    paymentCodes(o)
      .map((c) => t.payments.get(c))
      .find((m) => m !== undefined);
  if (!paymentMethod)
    reasons.push(
      `the payment method "${method || '(none)'}" of gateway "${o.gateway ?? ''}" is not mapped to an Omnihub method`,
    );
  const installments = Number(o.payment_details?.installments ?? 1);

  const document = (o.contact_identification ?? '').trim();
  if (!document) reasons.push('the customer has no CPF/CNPJ (contact_identification)');

  const a = o.shipping_address;
  let address: IngestInput['customer']['address'];
  if (!pickup) {
    const state = ufOf(a?.province);
    if (!a?.address || !a.city || !a.zipcode) reasons.push('the shipping address is incomplete');
    else if (!state) reasons.push(`the province "${a.province ?? ''}" is not a Brazilian state`);
    else
      address = {
        street: a.address,
        number: (a.number ?? '').trim() || 'S/N',
        ...(a.floor ? { complement: a.floor } : {}),
        district: (a.locality ?? '').trim() || '-',
        city: a.city,
        state,
        postalCode: a.zipcode,
        ...(a.country ? { country: a.country } : {}),
      };
  }

  if (reasons.length) return { ok: false, reasons };
  const freight = money(o.shipping_cost_customer, 'the shipping cost', reasons);
  return {
    ok: true,
    input: {
      externalId: externalIdOf(o.id),
      storeCode,
      deliveryType: pickup ? 'pickup' : 'ship',
      channel: 'nuvemshop',
      customer: {
        name: (o.contact_name ?? a?.name ?? '').trim(),
        document,
        email: (o.contact_email ?? '').trim(),
        phone: (o.contact_phone ?? '').trim() || (a?.phone ?? '').trim(),
        ...(address ? { address } : {}),
      },
      items,
      ...(freight > 0n ? { freight: fromCents(freight) } : {}),
      payments: [
        {
          method: paymentMethod as PaymentMethod,
          amount: normalised(o.total),
          ...(Number.isInteger(installments) && installments > 0 ? { installments } : {}),
        },
      ],
      placedAt: placedAt(o.created_at),
    },
  };
}

/**
 * Cents of a decimal as Nuvemshop sends it: a string ("10.00", sometimes "10" or "10.5"), never through a
 * float; null when it is not a non-negative amount.
 */
export function decimalCents(value: string | number): bigint | null {
  const m = /^([0-9]{1,12})(?:\.([0-9]{1,2}))?$/.exec(String(value).trim());
  if (!m) return null;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

/** The amount with Omnihub's two decimals; left as it came when it is not one (ingest then says so). */
function normalised(value: string): string {
  const cents = decimalCents(value);
  return cents === null ? String(value) : fromCents(cents);
}

function placedAt(createdAt: string | undefined): string {
  const at = createdAt ? new Date(createdAt) : new Date();
  return Number.isNaN(at.getTime()) ? new Date().toISOString() : at.toISOString();
}
