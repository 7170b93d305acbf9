/**
 * A VTEX order (GET /api/oms/pvt/orders/{orderId}) as an Omnihub order to ingest, and the calls back, pure:
 * the codes an order needs translated are listed first (`codesOf`), looked up by the caller in the
 * network's mappings, and handed back to `toIngestInput`. VTEX speaks integer cents; Omnihub decimal strings.
 */

/** The parts of VTEX's order the mapping reads (VTEX sends many more fields). */
export interface VtexOrder {
  orderId: string;
  status?: string;
  value: number;
  creationDate: string;
  totals?: { id: string; value: number }[];
  items: {
    id: string;
    refId?: string | null;
    name?: string;
    quantity: number;
    price: number;
    sellingPrice?: number;
    priceDefinition?: { total?: number } | null;
  }[];
  clientProfileData: {
    email?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    document?: string | null;
    phone?: string | null;
    isCorporate?: boolean | null;
    corporateName?: string | null;
    corporateDocument?: string | null;
  };
  shippingData: {
    address?: {
      street?: string | null;
      number?: string | null;
      complement?: string | null;
      neighborhood?: string | null;
      city?: string | null;
      state?: string | null;
      postalCode?: string | null;
      country?: string | null;
    } | null;
    logisticsInfo?: {
      itemIndex?: number;
      selectedSla?: string | null;
      selectedDeliveryChannel?: string | null;
      deliveryChannel?: string | null;
      deliveryCompany?: string | null;
      slas?: {
        id: string;
        deliveryChannel?: string | null;
        pickupPointId?: string | null;
        pickupStoreInfo?: { dockId?: string | null; isPickupStore?: boolean } | null;
      }[];
      deliveryIds?: { courierName?: string | null; warehouseId?: string | null; dockId?: string | null }[];
    }[];
  };
  paymentData: {
    transactions: {
      isActive?: boolean;
      payments: {
        paymentSystem?: string | null;
        paymentSystemName?: string | null;
        group?: string | null;
        value: number;
        installments?: number | null;
      }[];
    }[];
  };
}

/** The Omnihub order VTEX's becomes (orders' IngestInput, spelled here so this module stays pure). */
export interface VtexIngest {
  externalId: string;
  storeCode: string;
  deliveryType: 'pickup' | 'ship';
  carrier?: string;
  customer: {
    name: string;
    document: string;
    email: string;
    phone: string;
    address?: {
      street: string;
      number: string;
      complement?: string | null;
      district: string;
      city: string;
      state: string;
      postalCode: string;
      country: string;
    };
  };
  items: { sku: string; quantity: number; unitPrice: string; discount?: string }[];
  freight?: string;
  payments: {
    method: 'credit_card' | 'debit_card' | 'pix' | 'invoice' | 'marketplace';
    amount: string;
    installments?: number;
  }[];
  placedAt: string;
}

/** The states of VTEX's order hook Omnihub acts on; any other is recorded and ignored. */
export const READY_STATE = 'ready-for-handling';
export const CANCEL_STATES: readonly string[] = ['canceled', 'cancel'];

/** VTEX's hook body (Orders Hook, "feed v3" notification). */
export interface VtexHook {
  Domain?: string;
  OrderId: string;
  State: string;
  LastState?: string;
  LastChange?: string;
  CurrentChange?: string;
  Origin?: unknown;
}

/** The ping VTEX sends when the hook is configured, or a hook, or why the body is neither. */
export function readHook(body: unknown): { ping: true } | { hook: VtexHook } | { malformed: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { malformed: 'o corpo não é um objeto JSON' };
  const b = body as Record<string, unknown>;
  if (b.hookConfig === 'ping') return { ping: true };
  if (typeof b.OrderId !== 'string' || !b.OrderId.trim() || b.OrderId.length > 120)
    return { malformed: 'OrderId ausente ou inválido' };
  if (typeof b.State !== 'string' || !b.State.trim()) return { malformed: 'State ausente' };
  return { hook: b as unknown as VtexHook };
}

/** 12345 → "123.45"; VTEX's amounts are integer cents. */
export function centsToMoney(cents: number): string {
  const whole = Math.round(cents);
  const sign = whole < 0 ? '-' : '';
  const abs = Math.abs(whole);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "123.45" → 12345. */
export function moneyToCents(money: string): number {
  const [whole = '0', fraction = '0'] = money.replace('-', '').split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return money.startsWith('-') ? -cents : cents;
}

const PICKUP_CHANNEL = 'pickup-in-point';

/** VTEX's pickup point ids are `{seller}_{id}`; a mapping may name either form. */
const pickupCodes = (id: string) => (id.includes('_') ? [id, id.slice(id.indexOf('_') + 1)] : [id]);

/** The selected SLA of the order's first item: it says pickup or delivery, and where. */
function selectedSla(order: VtexOrder) {
  const info = order.shippingData.logisticsInfo?.[0];
  const sla = info?.slas?.find((s) => s.id === info.selectedSla);
  const channel =
    info?.selectedDeliveryChannel ?? sla?.deliveryChannel ?? info?.deliveryChannel ?? 'delivery';
  return { info, sla, pickup: channel === PICKUP_CHANNEL };
}

/** The store codes VTEX names for the order: the pickup point (and its dock), or the warehouse shipping it. */
function storeCandidates(order: VtexOrder): string[] {
  const { info, sla, pickup } = selectedSla(order);
  if (pickup) {
    return [
      ...(sla?.pickupPointId ? pickupCodes(sla.pickupPointId) : []),
      ...(sla?.pickupStoreInfo?.dockId ? [sla.pickupStoreInfo.dockId] : []),
    ];
  }
  return (info?.deliveryIds ?? []).flatMap((d) => [d.warehouseId, d.dockId].filter((c): c is string => !!c));
}

const payments = (order: VtexOrder) =>
  order.paymentData.transactions.filter((t) => t.isActive !== false).flatMap((t) => t.payments);

const paymentName = (p: {
  paymentSystemName?: string | null;
  paymentSystem?: string | null;
  group?: string | null;
}) => p.paymentSystemName ?? p.paymentSystem ?? p.group ?? '';

/** What the network's mappings are asked about for this order. */
export function codesOf(order: VtexOrder): { store: string[]; sku: string[]; payment: string[] } {
  return {
    store: storeCandidates(order),
    sku: order.items.map((i) => i.refId ?? i.id),
    payment: payments(order).map(paymentName),
  };
}

/** The codes as the network maps them (`connector.mapCodes`); absent = no mapping (and no fallback). */
export interface MappedCodes {
  store: ReadonlyMap<string, string>;
  sku: ReadonlyMap<string, string>;
  payment: ReadonlyMap<string, string>;
  defaultStoreCode: string;
}

/** VTEX's payment groups Omnihub names by itself; others need a `payment` mapping by payment system name. */
const paymentGroups: Readonly<Record<string, VtexIngest['payments'][number]['method']>> = {
  creditCard: 'credit_card',
  debitCard: 'debit_card',
  instantPayment: 'pix',
  pix: 'pix',
  bankInvoice: 'invoice',
};

const paymentMethods = new Set(['credit_card', 'debit_card', 'pix', 'invoice', 'marketplace']);

/** The carriers Omnihub knows by VTEX's `deliveryCompany` (free text there); others are left to the store. */
function carrierOf(company: string | null | undefined): string | undefined {
  const c = (company ?? '').toLowerCase();
  if (c.includes('correios') || c.includes('sedex') || /\bpac\b/.test(c)) return 'CORREIOS';
  if (c.includes('jadlog')) return 'JADLOG';
  return undefined;
}

const total = (order: VtexOrder, id: string) => order.totals?.find((t) => t.id === id)?.value ?? 0;

export type Mapped = { ok: true; input: VtexIngest } | { ok: false; reason: string };

/**
 * The Omnihub order, or why it cannot be one with the network's mappings as they are (the ticket's reason:
 * fixing the mapping and reprocessing brings the order in).
 */
export function toIngestInput(order: VtexOrder, codes: MappedCodes): Mapped {
  const { info, pickup } = selectedSla(order);
  const storeCode = storeCandidates(order)
    .map((c) => codes.store.get(c))
    .find((c) => c !== undefined);

  const items: VtexIngest['items'] = [];
  for (const item of order.items) {
    const ref = item.refId ?? item.id;
    const sku = codes.sku.get(ref);
    if (!sku) return { ok: false, reason: `SKU ${ref} sem mapeamento` };
    const gross = item.price * item.quantity;
    const net = item.priceDefinition?.total ?? (item.sellingPrice ?? item.price) * item.quantity;
    const discount = gross - net;
    items.push({
      sku,
      quantity: item.quantity,
      unitPrice: centsToMoney(item.price),
      ...(discount > 0 ? { discount: centsToMoney(discount) } : {}),
    });
  }

  const paid: VtexIngest['payments'] = [];
  for (const p of payments(order)) {
    const name = paymentName(p);
    const mapped = codes.payment.get(name);
    const method = mapped && paymentMethods.has(mapped) ? mapped : paymentGroups[p.group ?? ''];
    if (!method) {
      return {
        ok: false,
        reason: `forma de pagamento ${name} (grupo ${p.group ?? '?'}) sem mapeamento`,
      };
    }
    paid.push({
      method: method as VtexIngest['payments'][number]['method'],
      amount: centsToMoney(p.value),
      ...(method === 'credit_card' ? { installments: Math.max(1, p.installments ?? 1) } : {}),
    });
  }

  const client = order.clientProfileData;
  const corporate = !!client.isCorporate && !!client.corporateDocument;
  const a = order.shippingData.address;
  const carrier = pickup
    ? undefined
    : carrierOf(info?.deliveryCompany ?? info?.deliveryIds?.[0]?.courierName);
  const freight = total(order, 'Shipping');
  const placed = new Date(order.creationDate);
  return {
    ok: true,
    input: {
      externalId: order.orderId,
      storeCode: storeCode ?? codes.defaultStoreCode,
      deliveryType: pickup ? 'pickup' : 'ship',
      ...(carrier ? { carrier } : {}),
      customer: {
        name: corporate
          ? (client.corporateName ?? '').trim()
          : `${client.firstName ?? ''} ${client.lastName ?? ''}`.trim(),
        document: (corporate ? client.corporateDocument : client.document) ?? '',
        email: client.email ?? '',
        phone: client.phone ?? '',
        ...(!pickup && a
          ? {
              address: {
                street: a.street ?? '',
                number: a.number?.trim() || 'S/N',
                complement: a.complement ?? null,
                district: a.neighborhood ?? '',
                city: a.city ?? '',
                state: a.state ?? '',
                postalCode: a.postalCode ?? '',
                country: a.country ?? 'BRA',
              },
            }
          : {}),
      },
      items,
      ...(freight > 0 ? { freight: centsToMoney(freight) } : {}),
      payments: paid,
      placedAt: Number.isNaN(placed.getTime()) ? order.creationDate : placed.toISOString(),
    },
  };
}

// --- calls back to VTEX -------------------------------------------------------------------------

export interface InvoiceFacts {
  number: number;
  accessKey: string;
  /** The NF-e's total, i.e. the order's total, as a decimal string. */
  total: string;
  issuedAt: string;
  shipment: { carrier: string; trackingCode: string | null; trackingUrl: string | null } | null;
}

/** POST /api/oms/pvt/orders/{orderId}/invoice: the authorised NF-e, its items as VTEX knows them. */
export function invoiceNotification(order: Pick<VtexOrder, 'items'>, nfe: InvoiceFacts) {
  return {
    type: 'Output',
    invoiceNumber: String(nfe.number),
    invoiceKey: nfe.accessKey,
    invoiceValue: moneyToCents(nfe.total),
    issuanceDate: nfe.issuedAt,
    invoiceUrl: null,
    courier: nfe.shipment?.carrier ?? null,
    trackingNumber: nfe.shipment?.trackingCode ?? null,
    trackingUrl: nfe.shipment?.trackingUrl ?? null,
    items: order.items.map((i) => ({
      id: i.id,
      price:
        i.priceDefinition?.total !== undefined
          ? Math.round(i.priceDefinition.total / i.quantity)
          : (i.sellingPrice ?? i.price),
      quantity: i.quantity,
    })),
  };
}
