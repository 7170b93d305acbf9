import { describe, expect, it } from 'vitest';
import {
  betweenCompanies,
  entryKindNames,
  entryKinds,
  type Movement,
  receivableOf,
  undeclaredMovements,
} from './domain.ts';

const A = 'company-a';
const B = 'company-b';
const move = (account: Movement['account'], amount: bigint, companyId = A): Movement => ({
  companyId,
  account,
  amount,
  orderId: 'order',
});

describe('entry kinds declare every movement the ledger may post', () => {
  it('accepts each kind’s own declaration, line by line', () => {
    for (const kind of entryKindNames)
      for (const [account, side] of entryKinds[kind].movements)
        expect(undeclaredMovements(kind, [move(account, side === 'debit' ? 100n : -100n)])).toEqual([]);
  });

  it('refuses an account the kind does not name, and a named account on the other side', () => {
    const intercompany = move('intercompany', -100n);
    expect(undeclaredMovements('advance_kept', [move('customer_advance', 100n), intercompany])).toEqual([
      intercompany,
    ]);
    const debitToCredit = move('customer_credit', 100n);
    expect(undeclaredMovements('return_credit', [debitToCredit])).toEqual([debitToCredit]);
  });

  it('covers a release moved across companies with a leftover, and a refund gathered from another company', () => {
    // releaseToPayers: the advance held in B goes to A (holder of the receivables), then to the payers and the
    // customer's credit.
    const release = [
      ...betweenCompanies(B, A, 'customer_advance', 300n, 'order'),
      move('customer_advance', 300n),
      move('receivable', -200n),
      move('customer_credit', -100n),
    ];
    expect(undeclaredMovements('advance_release', release)).toEqual([]);
    // refund: the credit held in B is paid back by A, by card, pix or voucher.
    for (const paid of ['receivable', 'cash', 'store_credit'] as const) {
      const refund = [
        ...betweenCompanies(B, A, 'customer_credit', 100n, 'order'),
        move('customer_credit', 100n),
        move(paid, -100n),
      ];
      expect(undeclaredMovements('refund', refund)).toEqual([]);
    }
  });
});

describe('the receivable of a marketplace payment', () => {
  const settings = { mapping: {}, marketplaceAsCard: false };
  const marketplace = { method: 'marketplace', amount: 100n, installments: null } as const;

  it('is the marketplace’s when the payment names it', () => {
    expect(receivableOf({ ...marketplace, partyDocument: '11222333000181' }, settings)).toEqual({
      documentType: 'marketplace',
      partyKind: 'marketplace',
      partyDocument: '11222333000181',
      marketplaceUnnamed: false,
    });
  });

  it('is booked against the customer, marked, when the payment names no marketplace', () => {
    expect(receivableOf({ ...marketplace, partyDocument: null }, settings)).toEqual({
      documentType: 'marketplace',
      partyKind: 'customer',
      partyDocument: null,
      marketplaceUnnamed: true,
    });
  });

  it('is a card receivable of the customer with IN_GERA_CRT_MKTPLACE_OMNI, named or not', () => {
    for (const partyDocument of ['11222333000181', null])
      expect(
        receivableOf({ ...marketplace, partyDocument }, { ...settings, marketplaceAsCard: true }),
      ).toEqual({
        documentType: 'credit_card',
        partyKind: 'customer',
        partyDocument: null,
        marketplaceUnnamed: false,
      });
  });
});
