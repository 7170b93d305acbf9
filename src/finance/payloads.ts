import { Type } from '@sinclair/typebox';
import { StringEnum } from '../platform/http/schemas.ts';
import {
  accountNames,
  creditKinds,
  documentTypeNames,
  entryKindNames,
  receivableStates,
  refundMethods,
} from './domain.ts';

const Money = Type.String({ pattern: '^-?[0-9]+\\.[0-9]{2}$', examples: ['129.90'] });
const Company = {
  storeCode: Type.String(),
  storeName: Type.String(),
};

export const ReceivablePayload = Type.Object({
  id: Type.String({ format: 'uuid' }),
  ...Company,
  orderId: Type.String({ format: 'uuid' }),
  method: Type.String({ description: 'The platform’s payment method' }),
  documentType: StringEnum(documentTypeNames),
  documentTypeLabel: Type.String(),
  paymentMethodCode: Type.String({ description: 'The network’s omni payment method (CD_FORMA_PAGTO_OMNI)' }),
  paymentMethodConfigured: Type.Boolean({
    description:
      'false: the network had no active payment method with that code when the receivable was raised, so ' +
      'the platform’s method was taken as the document type as it is',
  }),
  party: Type.Object({
    kind: StringEnum(['customer', 'marketplace', 'party']),
    document: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    marketplaceUnnamed: Type.Boolean({
      description:
        'true: a marketplace payment sent without `partyDocument`, booked against the customer (kind ' +
        '`customer`); the marketplace to collect it from is not known',
    }),
  }),
  amount: Money,
  open: Money,
  state: StringEnum(receivableStates),
  installments: Type.Array(Type.Object({ number: Type.String(), dueDate: Type.String(), amount: Money })),
  issuedOn: Type.String({ format: 'date' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const FinancePayload = Type.Object({
  rootOrderId: Type.String({ format: 'uuid', description: 'The purchase: the order the platform sent' }),
  orders: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      number: Type.Union([Type.Integer(), Type.Null()]),
      storeCode: Type.String(),
      status: Type.String(),
      total: Money,
    }),
  ),
  receivables: Type.Array(ReceivablePayload),
  advance: Type.Union([
    Type.Object({
      amount: Money,
      balance: Money,
      settled: Money,
      released: Money,
      kept: Money,
      byCompany: Type.Array(Type.Object({ ...Company, balance: Money })),
      state: StringEnum(['open', 'partially_settled', 'settled', 'released', 'kept']),
    }),
    Type.Null(),
  ]),
  settlements: Type.Array(
    Type.Object({
      ...Company,
      orderId: Type.String({ format: 'uuid' }),
      orderNumber: Type.Union([Type.Integer(), Type.Null()]),
      amount: Money,
      documentKey: Type.Union([Type.String(), Type.Null()]),
      at: Type.String({ format: 'date-time' }),
      state: StringEnum(['settled', 'cancelled']),
    }),
  ),
  credits: Type.Array(
    Type.Object({
      ...Company,
      kind: StringEnum(creditKinds, {
        description:
          'The entry that moved the credit: an advance kept (IN_MANTER_SALD_ADIAN), the part of a released advance ' +
          'the open receivables could not absorb, a return credit, or a refund',
      }),
      orderId: Type.Union([Type.String(), Type.Null()]),
      orderNumber: Type.Union([Type.Integer(), Type.Null()]),
      amount: Money,
      method: Type.Union([StringEnum(refundMethods), Type.Null()]),
      reference: Type.Union([Type.String(), Type.Null()]),
      description: Type.String(),
      at: Type.String({ format: 'date-time' }),
    }),
  ),
  creditBalance: Money,
  entries: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      kind: StringEnum(entryKindNames),
      label: Type.String(),
      orderId: Type.Union([Type.String(), Type.Null()]),
      reference: Type.Union([Type.String(), Type.Null()]),
      description: Type.String(),
      actor: Type.String(),
      day: Type.String({ format: 'date' }),
      at: Type.String({ format: 'date-time' }),
      movements: Type.Array(
        Type.Object({
          ...Company,
          account: StringEnum(accountNames),
          accountLabel: Type.String(),
          amount: Money,
          receivableId: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    }),
  ),
  balanced: Type.Boolean({ description: 'Every company’s movements of the purchase sum to zero' }),
});
