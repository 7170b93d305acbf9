/**
 * The NF-e de entrada a store issues when a consumer brings goods back (devolução de venda): model 55,
 * tpNF 0, finNFe 4, CFOP 1202 within the state or 2202 from another (operation `customer_return`), NFref
 * with the access key of the sale's NF-e or NFC-e, the goods at the values they were sold at, the store as
 * emitter and the customer (the sender of the goods) as `dest`, a final consumer in person (indFinal 1,
 * indPres 1), no payment (tPag 90: a return moves goods, the refund is not a payment of this document)
 * and no freight. Pure.
 */
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import { centsOf } from '../platform/money.ts';
import type { FiscalDocument, FiscalItem, FiscalRecipient } from './domain.ts';
import { cfopFor, isInterstate, type OperationConfig } from './operations.ts';
import {
  addressOf,
  emitterOf,
  type SaleFacts,
  SIMPLES_NOTICE,
  type StoreFacts,
  type TaxSettings,
  taxesOf,
} from './sale-document.ts';

export interface ReturnDocumentInput {
  environment: '1' | '2';
  series: number;
  number: number;
  numericCode: string;
  issuedAt: Date;
  operationConfig: OperationConfig;
  emitter: StoreFacts;
  tax: TaxSettings;
  /** Who brings the goods back: the sale's customer. */
  customer: SaleFacts['customer'];
  /** The goods that come back, each at its sale's unit price, with its share of the sale's discount. */
  lines: readonly {
    sku: string;
    description: string;
    quantity: number;
    unitPrice: string;
    discount: string;
    product: { ean: string; ncm: string; unit: string } | undefined;
  }[];
  /** The access key of the NF-e or NFC-e that sold them (NFref/refNFe). */
  originalKey: string;
  /** What the return is, printed in infCpl (the order, the reason). */
  note: string;
}

function senderOf(input: ReturnDocumentInput, errors: FieldError[]): FiscalRecipient {
  const { customer } = input;
  const number = customer.document.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (number.length !== 11 && !/^[0-9]{14}$/.test(number))
    errors.push({
      path: '/recipient/document',
      code: 'FISCAL.DOCUMENT_FORMAT',
      message: 'must be a CPF (11 digits) or a numeric CNPJ (14 digits)',
    });
  if (!customer.name.trim())
    errors.push({ path: '/recipient/name', code: 'FISCAL.FIELD_REQUIRED', message: 'is required' });
  const address = addressOf(customer.address, '/recipient/address', errors, customer.phone);
  return {
    document: { kind: number.length === 11 ? 'cpf' : 'cnpj', number },
    name: customer.name.trim(),
    stateRegistrationIndicator: '9',
    ...(address ? { address } : {}),
    ...(customer.email ? { email: customer.email } : {}),
  };
}

/** The return's NF-e, or every missing or invalid field at once. */
export function returnDocument(input: ReturnDocumentInput): Result<FiscalDocument> {
  const errors: FieldError[] = [];
  const emitter = emitterOf(input.emitter, input.tax, errors);
  const sender = senderOf(input, errors);
  if (!/^[0-9]{44}$/.test(input.originalKey))
    errors.push({
      path: '/referencedKeys/0',
      code: 'FISCAL.ACCESS_KEY_FORMAT',
      message: 'the original document’s access key has 44 digits',
    });
  if (input.lines.length === 0)
    errors.push({
      path: '/lines',
      code: 'FISCAL.LINES_EMPTY',
      message: 'a return brings back at least one item',
    });
  const parties = {
    emitterUf: emitter.address.state ?? '',
    recipientUf: sender.address?.state ?? emitter.address.state ?? '',
    recipientIsContributor: false,
  };
  const interstate = isInterstate('customer_return', parties);
  const cfop = cfopFor('customer_return', parties, input.operationConfig);
  const items: FiscalItem[] = input.lines.map((line, i) => {
    if (!line.product)
      errors.push({
        path: `/lines/${i}/sku`,
        code: 'FISCAL.PRODUCT_UNKNOWN',
        params: { sku: line.sku },
        message: `${line.sku} is not in the catalog`,
      });
    return {
      code: line.sku,
      ...(line.product?.ean ? { ean: line.product.ean } : {}),
      description: line.description,
      ncm: line.product?.ncm ?? '',
      cfop,
      unit: line.product?.unit ?? 'UN',
      quantity: line.quantity,
      unitPrice: centsOf(line.unitPrice),
      ...(centsOf(line.discount) > 0n ? { discount: centsOf(line.discount) } : {}),
      ...taxesOf(input.tax, interstate),
    };
  });
  if (errors.length)
    return fail(
      'invalid',
      'FISCAL.DATA_INCOMPLETE',
      `The return NF-e cannot be issued: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}.`,
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
    direction: '0',
    finality: '4',
    referencedKeys: [input.originalKey],
    destination: interstate ? '2' : '1',
    finalConsumer: true,
    presence: '1',
    emitter,
    recipient: sender,
    items,
    freight: { mode: '9', amount: 0n },
    payments: [{ method: '90', amount: 0n }],
    additionalInfo: {
      forTaxpayer: [input.note, input.tax.taxRegime === 3 ? '' : SIMPLES_NOTICE].filter(Boolean).join(' - '),
    },
  });
}
