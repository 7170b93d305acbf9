import { documentStatusLabels, documentTransitions, fiscalDocumentStatuses } from './domain.ts';

/**
 * docs/fiscal-document-states.md, rendered from the lifecycle in domain.ts (`npm run docs:generate`);
 * a test fails when the committed file differs.
 */
export function renderFiscalStateDocs(): string {
  const terminal = fiscalDocumentStatuses.filter((s) => !documentTransitions.some((t) => t.from === s));
  return [
    '# Fiscal document states',
    '',
    '<!-- Generated from src/fiscal/domain.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'An NF-e or NFC-e is recorded only once it is numbered, built, signed and valid against the official',
    'schema, in the same transaction that moves what it is for (the order to `invoicing`). The outbox worker',
    'then sends it to the authoriser (the SEFAZ simulator, or SEFAZ) and records the answer, with its',
    'consequence for what the document is for (the handlers its reference type registered in `app.ts`: the',
    'order, the split’s stock request), in one transaction (`src/fiscal/authorizer/outbox.ts`). Every status',
    'change is an edge below; `store.updateDocument` refuses any other. A cancellation is an event',
    '(`fiscal_events`, tpEvento 110111) sent the same way; SEFAZ refuses it after 24 h (NF-e) or 30 min',
    '(NFC-e) with cStat 501.',
    '',
    '```mermaid',
    'stateDiagram-v2',
    ...fiscalDocumentStatuses.map((s) => `  ${s} : ${documentStatusLabels[s]} (${s})`),
    ...documentTransitions.map((t) => `  ${t.from ?? '[*]'} --> ${t.to}`),
    ...terminal.map((s) => `  ${s} --> [*]`),
    '```',
    '',
    '| from | to | what happens |',
    '| --- | --- | --- |',
    ...documentTransitions.map((t) => `| ${t.from ?? '(new)'} | ${t.to} | ${t.description} |`),
    '',
    'A document stays `authorised` while the order is `invoiced`; `sending` documents whose job gave up',
    '(SEFAZ unreachable for its ten attempts) are queued again every minute (`resendStuck`), and a resend',
    'that SEFAZ answers 204 (already authorised) reads the authorisation back by consulting the key.',
    '',
    'An NFC-e whose transmission meets a transport fault (SEFAZ unreachable) is not left waiting: the outbox',
    'issues it again in offline contingency (tpEmis 9, dhCont, xJust, the offline QR code; same series and',
    'number, so a new access key), tells its reference (the order becomes `invoiced`) and keeps transmitting',
    'that document until SEFAZ authorises it, which must happen within 24 h of its emission',
    '(`GET /api/v1/fiscal/contingency` lists those still waiting, with their deadline).',
    '',
  ].join('\n');
}
