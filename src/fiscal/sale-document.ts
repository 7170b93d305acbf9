/**
 * From a sale (an order's facts, handed over by the context that owns it), a store and its settings to
 * the domain's fiscal document: the checks that come before an NF-e or NFC-e can be built (every field
 * the layout requires, each missing one named), the taxes of the store's regime, the CFOP of the
 * operation between the parties, the payments and the freight. Pure.
 */
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import { centsOf } from '../platform/money.ts';
import {
  brasiliaDate,
  type Cents,
  type FiscalAddress,
  type FiscalDocument,
  type FiscalEmitter,
  type FiscalItem,
  type FiscalPayment,
  type FiscalRecipient,
  installmentsOf,
  type PaymentMethod,
  stateCodes,
  type TaxRegime,
  type Uf,
} from './domain.ts';
import { cfopFor, type FiscalOperation, isInterstate, type OperationConfig } from './operations.ts';

export interface StoreFacts {
  cnpj: string | null;
  legalName: string;
  name: string;
  stateRegistration: string | null;
  email?: string | null;
  address: {
    street: string;
    number: string;
    complement?: string | null;
    district: string;
    city: string;
    cityCode?: string | null;
    state: string;
    postalCode: string;
  } | null;
}

export interface TaxSettings {
  taxRegime: TaxRegime;
  icmsRateIntrastate: string | null;
  icmsRateInterstate: string | null;
}

/** What a sale's document needs to know of it (an order's number, customer, lines and payments). */
export interface SaleFacts {
  number: number | null;
  externalId: string;
  deliveryType: 'pickup' | 'ship';
  customer: {
    name: string;
    document: string;
    email: string;
    phone: string;
    address: StoreFacts['address'];
  };
  itemsTotal: string;
  discountTotal: string;
  freight: string;
  total: string;
  items: readonly {
    line: number;
    sku: string;
    description: string;
    quantity: number;
    unitPrice: string;
    discount: string;
    product: { ean: string; ncm: string; unit: string } | undefined;
  }[];
  payments: readonly { method: string; amount: string; installments: number | null }[];
  /**
   * The duplicatas of the billed payments as finance scheduled them (the receivable's instalments; the
   * caller's due dates are never before the issue day). Absent: counted here from the issue day.
   */
  billing?: readonly { number: string; dueDate: string; amount: string }[] | null;
  /** The salesperson named at invoicing (TP_DADO_ADIC_BX_PED_ECOMM), printed in infCpl. */
  salesperson?: string | null;
}

export interface SaleDocumentInput {
  model: '55' | '65';
  environment: '1' | '2';
  series: number;
  number: number;
  numericCode: string;
  issuedAt: Date;
  operation: FiscalOperation;
  operationConfig: OperationConfig;
  emitter: StoreFacts;
  tax: TaxSettings;
  order: SaleFacts;
  /** NFC-e: the CPF or CNPJ the customer asked to be printed; absent keeps the receipt anonymous. */
  recipientDocument?: string;
}

/** tPag of each order payment method (MOC 7.0, YA02). A marketplace's is 99 with its description. */
const paymentMethods: Record<string, { method: PaymentMethod; description?: string }> = {
  // Paid at the POS's counter (its sale uploads): cash, the store's own credit, a voucher.
  cash: { method: '01' },
  store_credit: { method: '05' },
  voucher: { method: '99', description: 'Vale' },
  credit_card: { method: '03' },
  debit_card: { method: '04' },
  pix: { method: '17' },
  invoice: { method: '15' },
  marketplace: { method: '99', description: 'Pagamento via marketplace' },
};

export const SIMPLES_NOTICE =
  'DOCUMENTO EMITIDO POR ME OU EPP OPTANTE PELO SIMPLES NACIONAL. NAO GERA DIREITO A CREDITO FISCAL DE IPI.';

export function addressOf(
  address: StoreFacts['address'],
  base: string,
  errors: FieldError[],
  phone?: string,
): FiscalAddress | undefined {
  if (!address) {
    errors.push({ path: base, code: 'FISCAL.FIELD_REQUIRED', message: 'is required' });
    return undefined;
  }
  for (const field of ['street', 'number', 'district', 'city', 'state', 'postalCode'] as const)
    if (!address[field]?.trim())
      errors.push({ path: `${base}/${field}`, code: 'FISCAL.FIELD_REQUIRED', message: 'is required' });
  if (!address.cityCode || !/^[0-9]{7}$/.test(address.cityCode))
    errors.push({
      path: `${base}/cityCode`,
      code: 'FISCAL.CITY_CODE_REQUIRED',
      message: 'the IBGE municipality code (7 digits) is required',
    });
  if (address.state && !(address.state in stateCodes))
    errors.push({ path: `${base}/state`, code: 'FISCAL.STATE_UNKNOWN', message: 'is not a Brazilian state' });
  const postalCode = address.postalCode?.replace(/\D/g, '') ?? '';
  if (address.postalCode && postalCode.length !== 8)
    errors.push({ path: `${base}/postalCode`, code: 'FISCAL.CEP_FORMAT', message: 'must have 8 digits' });
  const digits = phone?.replace(/\D/g, '');
  return {
    street: address.street,
    number: address.number,
    ...(address.complement ? { complement: address.complement } : {}),
    district: address.district,
    cityCode: address.cityCode ?? '',
    city: address.city,
    state: address.state as Uf,
    postalCode,
    ...(digits && digits.length >= 6 && digits.length <= 14 ? { phone: digits } : {}),
  };
}

export function emitterOf(store: StoreFacts, tax: TaxSettings, errors: FieldError[]): FiscalEmitter {
  if (!store.cnpj)
    errors.push({ path: '/emitter/cnpj', code: 'FISCAL.FIELD_REQUIRED', message: 'is required' });
  else if (!/^[0-9]{14}$/.test(store.cnpj))
    errors.push({
      path: '/emitter/cnpj',
      code: 'FISCAL.CNPJ_NOT_NUMERIC',
      message: 'must be 14 digits (the NF-e 4.00 layout does not take alphanumeric CNPJs yet)',
    });
  if (!store.stateRegistration?.trim())
    errors.push({
      path: '/emitter/stateRegistration',
      code: 'FISCAL.FIELD_REQUIRED',
      message: 'is required (inscrição estadual)',
    });
  const address = addressOf(store.address, '/emitter/address', errors);
  return {
    cnpj: store.cnpj ?? '',
    name: store.legalName,
    tradeName: store.name,
    stateRegistration: store.stateRegistration?.replace(/\D/g, '') ?? '',
    taxRegime: tax.taxRegime,
    address: address ?? ({} as FiscalAddress),
  };
}

function recipientOf(input: SaleDocumentInput, errors: FieldError[]): FiscalRecipient | undefined {
  const { order } = input;
  const document = input.model === '65' ? input.recipientDocument : order.customer.document;
  if (input.model === '65' && !document) return undefined;
  const number = (document ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  const kind = number.length === 11 ? 'cpf' : 'cnpj';
  if (number.length !== 11 && !/^[0-9]{14}$/.test(number))
    errors.push({
      path: '/recipient/document',
      code: 'FISCAL.DOCUMENT_FORMAT',
      message: 'must be a CPF (11 digits) or a numeric CNPJ (14 digits)',
    });
  if (!order.customer.name.trim() && input.model === '55')
    errors.push({ path: '/recipient/name', code: 'FISCAL.FIELD_REQUIRED', message: 'is required' });
  // An NFC-e needs the address only when delivered; an NF-e always carries it.
  const needsAddress = input.model === '55';
  const address = needsAddress
    ? addressOf(order.customer.address, '/recipient/address', errors, order.customer.phone)
    : undefined;
  return {
    document: { kind, number },
    name: order.customer.name.trim(),
    // Omnihub sells to consumers: a company buying on the e-commerce is treated as a non-contributor.
    stateRegistrationIndicator: '9',
    ...(address ? { address } : {}),
    ...(order.customer.email ? { email: order.customer.email } : {}),
  };
}

export function taxesOf(tax: TaxSettings, interstate: boolean): Pick<FiscalItem, 'icms' | 'pis' | 'cofins'> {
  if (tax.taxRegime !== 3)
    return {
      icms: { regime: 'simples', origin: '0', csosn: '102' },
      pis: { cst: '49' },
      cofins: { cst: '49' },
    };
  return {
    icms: {
      regime: 'normal',
      origin: '0',
      cst: '00',
      rate: (interstate ? tax.icmsRateInterstate : tax.icmsRateIntrastate) ?? '0',
    },
    // Lucro real, non-cumulative PIS/COFINS (Leis 10.637/2002 e 10.833/2003).
    pis: { cst: '01', rate: '1.65' },
    cofins: { cst: '01', rate: '7.60' },
  };
}

/** The document of a sale to the order's customer, or every missing or invalid field at once. */
export function saleDocument(input: SaleDocumentInput): Result<FiscalDocument> {
  const errors: FieldError[] = [];
  const emitter = emitterOf(input.emitter, input.tax, errors);
  const recipient = recipientOf(input, errors);
  const recipientUf = recipient?.address?.state ?? emitter.address.state;
  const parties = {
    emitterUf: emitter.address.state ?? '',
    recipientUf: recipientUf ?? '',
    recipientIsContributor: false,
  };
  const interstate = isInterstate(input.operation, parties);
  const cfop = cfopFor(input.operation, parties, input.operationConfig);
  const items: FiscalItem[] = input.order.items.map((item, i) => {
    const base = `/items/${i}`;
    if (!item.product)
      errors.push({
        path: `${base}/sku`,
        code: 'FISCAL.PRODUCT_UNKNOWN',
        params: { sku: item.sku },
        message: `${item.sku} is not in the catalog`,
      });
    return {
      code: item.sku,
      ...(item.product?.ean ? { ean: item.product.ean } : {}),
      description: item.description,
      ncm: item.product?.ncm ?? '',
      cfop,
      unit: item.product?.unit ?? 'UN',
      quantity: item.quantity,
      unitPrice: centsOf(item.unitPrice),
      ...(centsOf(item.discount) > 0n ? { discount: centsOf(item.discount) } : {}),
      ...taxesOf(input.tax, interstate),
    };
  });
  const payments: FiscalPayment[] = input.order.payments.map((p, i) => {
    const known = paymentMethods[p.method];
    if (!known)
      errors.push({
        path: `/payments/${i}/method`,
        code: 'FISCAL.PAYMENT_METHOD_UNMAPPED',
        params: { method: p.method },
        message: `${p.method} has no fiscal payment type`,
      });
    return {
      method: known?.method ?? '99',
      ...(known?.description ? { description: known.description } : {}),
      amount: centsOf(p.amount),
      ...((known?.method === '03' || known?.method === '04') && input.model === '65'
        ? { card: { integration: '2' as const } }
        : {}),
    };
  });
  if (errors.length)
    return fail(
      'invalid',
      'FISCAL.DATA_INCOMPLETE',
      `The ${input.model === '55' ? 'NF-e' : 'NFC-e'} cannot be issued: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}.`,
      { errors },
    );
  const freight = centsOf(input.order.freight);
  // A billed sale ("invoice": boleto / faturado) is a receivable: its installments are the NF-e's duplicatas.
  // Finance's schedule when the caller gives it; a due date before the issue day would be refused by SEFAZ,
  // so it falls due on the issue day.
  const issuedOn = brasiliaDate(input.issuedAt);
  const notBeforeIssue = (day: string) => {
    if (day < issuedOn) return issuedOn;
    return day;
  };
  const billed = input.order.payments.filter((p) => p.method === 'invoice');
  const installments = input.order.billing
    ? input.order.billing.map((d) => ({
        number: d.number,
        dueDate: notBeforeIssue(d.dueDate),
        amount: centsOf(d.amount),
      }))
    : billed.flatMap((p) => installmentsOf(centsOf(p.amount), Math.max(1, p.installments ?? 1), issuedOn));
  const billing =
    installments.length > 0 && input.model === '55'
      ? {
          number: String(input.order.number ?? input.order.externalId).slice(0, 60),
          installments: installments.map((d, i) => ({ ...d, number: String(i + 1).padStart(3, '0') })),
        }
      : undefined;
  const reference = `Pedido ${input.order.number ?? ''} (${input.order.externalId})`.trim();
  return ok({
    environment: input.environment,
    model: input.model,
    series: input.series,
    number: input.number,
    numericCode: input.numericCode,
    issuedAt: input.issuedAt,
    natureOfOperation: input.operationConfig.natOp,
    direction: '1',
    destination: interstate ? '2' : '1',
    finalConsumer: true,
    presence: input.model === '65' ? '1' : '2',
    emitter,
    ...(recipient ? { recipient } : {}),
    items,
    // CIF: the store pays the carrier and charges the customer the order's freight (vFrete).
    freight: { mode: input.order.deliveryType === 'ship' ? '0' : '9', amount: freight },
    payments,
    ...(billing ? { billing } : {}),
    additionalInfo: {
      forTaxpayer: [
        reference,
        input.order.salesperson ? `Vendedor: ${input.order.salesperson}` : '',
        input.tax.taxRegime === 3 ? '' : SIMPLES_NOTICE,
      ]
        .filter(Boolean)
        .join(' - '),
    },
  });
}

/** The order's totals and the document's must agree (items, discounts, freight, total): nothing lost. */
export function totalsMismatch(
  order: Pick<SaleFacts, 'itemsTotal' | 'discountTotal' | 'freight' | 'total'>,
  totals: { products: Cents; discount: Cents; freight: Cents; total: Cents },
): FieldError[] {
  const pairs = [
    ['itemsTotal', order.itemsTotal, totals.products],
    ['discountTotal', order.discountTotal, totals.discount],
    ['freight', order.freight, totals.freight],
    ['total', order.total, totals.total],
  ] as const;
  return pairs
    .filter(([, a, b]) => centsOf(a) !== b)
    .map(([field, a, b]) => ({
      path: `/${field}`,
      code: 'FISCAL.TOTAL_MISMATCH',
      params: { order: a, document: b },
      message: `the order has ${a}, the document ${b}`,
    }));
}

export interface TransferDocumentInput {
  environment: '1' | '2';
  series: number;
  number: number;
  numericCode: string;
  issuedAt: Date;
  operationConfig: OperationConfig;
  from: StoreFacts;
  to: StoreFacts;
  tax: TaxSettings;
  lines: readonly {
    sku: string;
    description: string;
    quantity: number;
    /** The value the goods move at (their cost or price), "59.90". */
    unitValue: string;
    product: { ean: string; ncm: string; unit: string };
  }[];
  /** What the transfer is for, printed in infCpl (e.g. "Pedido 42 da loja 11"). */
  reference: string;
}

/**
 * The NF-e that moves goods between two companies of the group (CFOP 5152/6152): the receiving store is
 * the recipient, an ICMS contributor; no payment (tPag 90); the sender's own transport (modFrete 3).
 */
export function transferDocument(input: TransferDocumentInput): Result<FiscalDocument> {
  const errors: FieldError[] = [];
  const emitter = emitterOf(input.from, input.tax, errors);
  const recipientErrors: FieldError[] = [];
  const receiver = emitterOf(input.to, input.tax, recipientErrors);
  errors.push(...recipientErrors.map((e) => ({ ...e, path: e.path.replace('/emitter', '/recipient') })));
  if (input.lines.length === 0)
    errors.push({
      path: '/lines',
      code: 'FISCAL.LINES_EMPTY',
      message: 'a transfer moves at least one item',
    });
  const parties = {
    emitterUf: emitter.address.state ?? '',
    recipientUf: receiver.address.state ?? '',
    recipientIsContributor: true,
  };
  const interstate = isInterstate('transfer_out', parties);
  const cfop = cfopFor('transfer_out', parties, input.operationConfig);
  const items: FiscalItem[] = input.lines.map((line) => ({
    code: line.sku,
    ...(line.product.ean ? { ean: line.product.ean } : {}),
    description: line.description,
    ncm: line.product.ncm,
    cfop,
    unit: line.product.unit,
    quantity: line.quantity,
    unitPrice: centsOf(line.unitValue),
    ...taxesOf(input.tax, interstate),
  }));
  if (errors.length)
    return fail(
      'invalid',
      'FISCAL.DATA_INCOMPLETE',
      `The transfer NF-e cannot be issued: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}.`,
      { errors },
    );
  return ok({
    environment: input.environment,
    model: '55',
    series: input.series,
    number: input.number,
    numericCode: input.numericCode,
    issuedAt: input.issuedAt,
    natureOfOperation: input.operationConfig.natOp,
    direction: '1',
    destination: interstate ? '2' : '1',
    finalConsumer: false,
    presence: '9',
    emitter,
    recipient: {
      document: { kind: 'cnpj', number: receiver.cnpj },
      name: receiver.name,
      stateRegistrationIndicator: '1',
      stateRegistration: receiver.stateRegistration,
      address: receiver.address,
    },
    items,
    freight: { mode: '3', amount: 0n },
    payments: [{ method: '90', amount: 0n }],
    additionalInfo: {
      forTaxpayer: [input.reference, input.tax.taxRegime === 3 ? '' : SIMPLES_NOTICE]
        .filter(Boolean)
        .join(' - '),
    },
  });
}
