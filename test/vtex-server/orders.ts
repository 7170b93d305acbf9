/**
 * VTEX orders as GET /api/oms/pvt/orders/{orderId} answers them (trimmed of the fields Omnihub does not
 * read, but with VTEX's shapes: integer cents, masked e-mail, `{seller}_{id}` pickup points, priceTags).
 */
export interface VtexOrderOptions {
  orderId?: string;
  /** Items as [refId, quantity, price cents, sellingPrice cents]. */
  items?: [refId: string, quantity: number, price: number, sellingPrice?: number][];
  pickupPointId?: string;
  shipping?: number;
  payment?: { group: string; paymentSystemName: string; installments?: number };
  creationDate?: string;
}

let sequence = 0;

/** A fresh VTEX order id ("1400240501234-01"). */
export const vtexOrderId = () => `${1_400_240_500_000 + ++sequence + process.pid * 1000}-01`;

export function vtexOrder(opts: VtexOrderOptions = {}) {
  const orderId = opts.orderId ?? vtexOrderId();
  const lines = opts.items ?? [
    ['CAM-001', 2, 7990, 7490],
    ['CAL-002', 1, 19990],
  ];
  const pickup = opts.pickupPointId !== undefined;
  const shipping = pickup ? 0 : (opts.shipping ?? 1500);
  const items = lines.map(([refId, quantity, price, selling], i) => ({
    uniqueId: `U${i}${orderId}`,
    id: String(100 + i),
    productId: String(10 + i),
    refId,
    name: `Produto ${refId}`,
    quantity,
    seller: '1',
    price,
    listPrice: price,
    sellingPrice: selling ?? price,
    priceDefinition: { total: (selling ?? price) * quantity, calculatedSellingPrice: selling ?? price },
    priceTags:
      selling !== undefined && selling < price
        ? [{ name: 'discount@price-promo#1', value: (selling - price) * quantity, isPercentual: false }]
        : [],
  }));
  const itemsTotal = items.reduce((s, i) => s + i.price * i.quantity, 0);
  const discounts = items.reduce((s, i) => s + (i.sellingPrice - i.price) * i.quantity, 0);
  const value = itemsTotal + discounts + shipping;
  const sla = pickup
    ? {
        id: 'Retirada na Loja (centro)',
        name: 'Retirada na Loja (centro)',
        deliveryChannel: 'pickup-in-point',
        pickupPointId: opts.pickupPointId,
        pickupStoreInfo: { isPickupStore: true, friendlyName: 'Loja Centro', dockId: 'doca-centro' },
        price: 0,
      }
    : {
        id: 'Normal',
        name: 'Normal',
        deliveryChannel: 'delivery',
        pickupPointId: null,
        pickupStoreInfo: { isPickupStore: false, friendlyName: null, dockId: null },
        price: shipping,
      };
  return {
    orderId,
    sequence: String(500000 + sequence),
    marketplaceOrderId: '',
    origin: 'Marketplace',
    affiliateId: '',
    salesChannel: '1',
    status: 'ready-for-handling',
    statusDescription: 'Pronto para o manuseio',
    value,
    creationDate: opts.creationDate ?? new Date(Date.now() - 60_000).toISOString().replace('Z', '0000+00:00'),
    totals: [
      { id: 'Items', name: 'Total dos Itens', value: itemsTotal },
      { id: 'Discounts', name: 'Total dos Descontos', value: discounts },
      { id: 'Shipping', name: 'Total do Frete', value: shipping },
      { id: 'Tax', name: 'Total da Taxa', value: 0 },
    ],
    items,
    clientProfileData: {
      id: 'clientProfileData',
      email: 'a1b2c3d4e5f6@ct.vtex.com.br',
      firstName: 'Maria',
      lastName: 'Silva',
      documentType: 'cpf',
      document: '52998224725',
      phone: '+5511999990000',
      corporateName: null,
      tradeName: null,
      corporateDocument: null,
      isCorporate: false,
    },
    shippingData: {
      id: 'shippingData',
      address: pickup
        ? {
            addressType: 'pickup',
            receiverName: 'Maria Silva',
            postalCode: '90010-000',
            city: 'Porto Alegre',
            state: 'RS',
            country: 'BRA',
            street: 'Rua dos Andradas',
            number: '1000',
            neighborhood: 'Centro Histórico',
            complement: null,
          }
        : {
            addressType: 'residential',
            receiverName: 'Maria Silva',
            postalCode: '01304-001',
            city: 'São Paulo',
            state: 'SP',
            country: 'BRA',
            street: 'Rua Augusta',
            number: '1200',
            neighborhood: 'Consolação',
            complement: 'apto 12',
            reference: null,
          },
      logisticsInfo: items.map((_, itemIndex) => ({
        itemIndex,
        selectedSla: sla.id,
        selectedDeliveryChannel: sla.deliveryChannel,
        deliveryCompany: pickup ? null : 'Correios',
        shippingEstimate: '5bd',
        price: itemIndex === 0 ? shipping : 0,
        slas: [sla],
        deliveryIds: [
          { courierId: '1', courierName: pickup ? 'Retirada' : 'Correios', dockId: '1', warehouseId: '1_1' },
        ],
      })),
    },
    paymentData: {
      transactions: [
        {
          isActive: true,
          transactionId: `T${orderId}`,
          payments: [
            {
              id: `P${orderId}`,
              paymentSystem: '2',
              paymentSystemName: opts.payment?.paymentSystemName ?? 'Visa',
              group: opts.payment?.group ?? 'creditCard',
              value,
              installments: opts.payment?.installments ?? 3,
              referenceValue: value,
            },
          ],
        },
      ],
    },
  };
}

export type VtexOrderFixture = ReturnType<typeof vtexOrder>;
