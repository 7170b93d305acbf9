import {
  accountNames,
  accounts,
  documentTypeNames,
  documentTypes,
  entryKindNames,
  entryKinds,
} from './domain.ts';

const cell = (text: string) => text.replaceAll('|', '\\|');

/** A Markdown table padded as the formatter pads it, so `npx biome check` leaves the generated file alone. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/**
 * docs/finance.md: the accounts and the movements each event writes, rendered from domain.ts
 * (`npm run docs:generate`), around the hand-written sections below; a test fails when the committed file
 * differs.
 */
export function renderFinanceDocs(): string {
  return [
    '# Finance',
    '',
    '<!-- Generated from src/finance/docs.ts and src/finance/domain.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'The money trail of an omni order (`src/finance/`): a double-entry ledger per company. Every event of an',
    'order that moves money writes one entry (`finance_entries`) whose movements (`finance_movements`, a debit',
    'positive, a credit negative, in cents as `numeric`) sum to zero in each company it touches; a deferred',
    'constraint trigger refuses at commit any entry that does not. Entries and movements are append-only: a',
    'correction is a new entry. The entries are written inside the transaction of the order change that causes',
    'them (`src/orders/lifecycle.ts` `postFinance`, `src/orders/reroute.ts`), so an order is never accepted,',
    'invoiced or cancelled without its money, nor the other way round.',
    '',
    '`GET /api/v1/orders/{id}/finance` shows the purchase of an order: its receivables with their instalments,',
    'the advance (raised, still held per company, settled, released, kept), the settlements, the customer’s',
    'credits and refunds, every entry with its movements, and `balanced` (every company’s movements of the',
    'purchase sum to zero).',
    '',
    '## Purchases',
    '',
    'A **purchase** is the order the platform sent (its root) and every order re-routed from it',
    '(`rerouted_from_id`, a re-route of a re-route included): the customer paid once for all of them.',
    '`src/orders/purchase.ts` `purchaseOf` hands finance the facts of the purchase (orders, stores, totals,',
    'payments); finance sits below orders and never reads their tables.',
    '',
    '- The **receivables** (one per payment document: method, instalments and party grouped across the',
    '  family) and the **advance** (one credit per live order of the family, the order’s total) are raised at',
    '  the FIRST acceptance of the family, in the accepting company, on that day (`issuedOn`).',
    '- A later acceptance, invoice or cancellation of a family order in another company first brings that',
    '  order’s advance there (`advance_transfer`, through `intercompany` on both sides).',
    '- Lines re-routed after the advance exists take their share of it to the new order (`reroute`).',
    '- A transfer NF-e between companies of a split (a stock request) is not a sale: it writes nothing.',
    '',
    '## Accounts',
    '',
    ...table(
      ['account', 'rótulo', 'nature', 'holds'],
      accountNames.map((a) => [`\`${a}\``, accounts[a].label, accounts[a].nature, cell(accounts[a].holds)]),
    ),
    '',
    'Receivable document types (seed 003 “tipo de documento”): ' +
      documentTypeNames.map((d) => `\`${d}\` (${documentTypes[d]})`).join(', ') +
      '.',
    '',
    '## What each event writes',
    '',
    ...table(
      ['entry kind', 'rótulo', 'when', 'movements'],
      entryKindNames.map((k) => {
        const kind = entryKinds[k];
        const movements = kind.movements
          .map(([account, side, what]) => `${side} \`${account}\`: ${what}`)
          .join('<br>');
        return [`\`${k}\``, kind.label, cell(kind.when), cell(movements)];
      }),
    ),
    '',
    '## Where each event posts',
    '',
    ...table(
      ['event', 'posted by', 'in the transaction of'],
      [
        ['`acceptance`, `advance_transfer`', '`finance.onAccepted`', 'the order’s move to `accepted`'],
        [
          '`invoice`',
          '`finance.onInvoiced`',
          'the order’s move to `invoiced` (SEFAZ’s authorisation of the NF-e, the NFC-e at the POS, or a contingency NFC-e)',
        ],
        [
          '`invoice_cancellation`, `advance_release`, `advance_kept`',
          '`finance.onCancelled`',
          'the order’s move to `cancelled` (a cancellation, or the NF-e / NFC-e cancelled in its window)',
        ],
        ['`reroute`', '`finance.onRerouted`', 'the re-route of refused lines (`POST /orders/{id}/reroute`)'],
        ['`return_credit`', '`finance.creditReturn`', 'a return NF-e reversing the sale'],
        ['`refund`', '`finance.refund`', 'the refund of the customer’s credit'],
      ],
    ),
    '',
    '## Billed payments and the NF-e’s duplicatas',
    '',
    'A billed payment (`invoice`: boleto / faturado) is a receivable whose instalments are the NF-e’s',
    '`<cobr><dup>`: the orders flow asks finance (`finance.billingOf`) and hands the schedule to fiscal, which',
    'only prints it. The instalments fall due every 30 days, counted from the **later of the acceptance day',
    'and the day the purchase was first invoiced** (its first `invoice` entry; before it, the NF-e’s issue',
    'day): an NF-e refuses a due date before its issue date, and an order is invoiced on or after the day it',
    'was accepted, so the NF-e and finance show the same dates. The odd cents go to the first instalment. When',
    'the purchase has several orders, each NF-e carries its order’s own billed payments over the',
    'receivable’s dates; a later order of the purchase invoiced after one of those dates has that duplicata',
    'due on its own issue day (finance keeps the receivable’s date).',
    '',
    '## Invariants',
    '',
    'Checked by `test/finance-properties.int.test.ts` over random flows, on both databases:',
    '',
    '1. Every company’s ledger sums to zero (`select company_id, sum(amount) from finance_movements group by',
    '   company_id` is zero everywhere), and so does every purchase in every company (`balanced`).',
    '2. Per purchase, with every sum taken over the purchase’s movements in all companies:',
    '',
    '   **paid = net sales + advance still held + customer credit + released + refunded**, where',
    '   - paid = the debits to `receivable` of the `acceptance` entry (what the payers were charged);',
    '   - net sales = −(`sales` + `sales_returns`) (invoiced, less cancelled in window and returned);',
    '   - advance still held = −`customer_advance`;',
    '   - customer credit = −`customer_credit` (kept advances and return credits not yet refunded);',
    '   - released = the credits to `receivable` of `advance_release` entries (charges undone at the payer);',
    '   - refunded = the credits of `refund` entries to `receivable` (card charge-back), `cash` and',
    '     `store_credit`.',
    '',
    '   It follows from (1): `intercompany` nets to zero over a purchase and `customer_invoice` is debited',
    '   and credited by the same entry, so the rest of the accounts balance each other.',
    '3. Each event posts once: a retried request and a replayed posting rule write nothing more.',
    '',
    '## Idempotency',
    '',
    'Every posting rule is idempotent on its event. Entries that happen once carry a unique `key`',
    '(`acceptance:<root>`, `invoice:<order>`, `invoice_cancellation:<order>`, `cancel:<order>`,',
    '`reroute:<order>`, `return:<return>`, `refund:<key>`): a second insert does nothing (`on conflict do',
    'nothing`) and neither do its movements. Transfers post what the balances still lack (the advance already',
    'where the order is moves nothing). Each rule first takes a transaction-scoped advisory lock on the',
    'purchase, so two orders of one purchase accepted at once in two companies, or two invoice requests of one',
    'order, write each entry once. A retried HTTP request with the same `Idempotency-Key` gets the first',
    'answer back without running again.',
    '',
    '## Reading it (screens and API)',
    '',
    "- The order page's **Financeiro** section and `GET /api/v1/orders/{id}/finance`: the purchase's",
    '  receivables, advance, settlements, credits and every entry with its movements.',
    '- **Financeiro → Contas a receber** and `GET /api/v1/finance/receivables` (`.csv`): by store, period,',
    '  document type and state, in keyset pages.',
    "- **Financeiro → Fechamento diário** and `GET /api/v1/finance/closing` (`.csv`): a store's day, reconciled",
    '  with its fiscal documents.',
    '- **Financeiro → Formas de pagamento** and `GET|PUT /api/v1/finance/payment-methods`: the omni payment',
    "  method (`CD_FORMA_PAGTO_OMNI`) and its mapping of the platform's methods to document types.",
    '- `GET /api/v1/finance/balances?storeCode=` / `?customerDocument=`: balances per company and account.',
    "- The network's ERP reads all of it with an API key of scope `erp` (bound to the network root; the demo's",
    '  is `demo-erp-key`); it changes nothing.',
    '- Cancelling and refunding: `POST /api/v1/orders/{id}/invoice-cancellation` (inside the NF-e window the',
    '  document is cancelled, outside it the sale is reversed by a return NF-e and credited to the customer),',
    '  `POST /api/v1/orders/{id}/returns`, `POST /api/v1/pos/returns` and `POST /api/v1/orders/{id}/refunds`.',
    '',
    '## Not modelled',
    '',
    '- Collecting the receivables: the acquirer’s, the pix’s, the boleto’s or the marketplace’s payment to',
    '  the company (settlement of `receivable` against the bank), with its fees and anticipation.',
    '- Exporting to a chart of accounts (the ERP’s accounting codes per account and company).',
    '- Interest and fines on late instalments; renegotiating a receivable’s schedule.',
    '- Settling the `intercompany` balances between the companies of the group.',
    '',
  ].join('\n');
}
