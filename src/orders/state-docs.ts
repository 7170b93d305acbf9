import { roles } from '../platform/actors.ts';
import {
  cancellers,
  guards,
  type OrderActor,
  orderFlows,
  orderStatuses,
  statusLabels,
  type Transition,
  terminalStatuses,
  transitions,
} from './domain.ts';

/**
 * docs/order-states.md, rendered from the transition table so the diagram cannot drift from the code:
 * `npm run docs:generate` writes it, and a test fails when the committed file differs.
 */

/** The four back-office roles read "back office", the three that may cancel "cancellers". */
function actorsLabel(actors: readonly OrderActor[]): string {
  const has = (group: readonly OrderActor[]) => group.every((a) => actors.includes(a));
  const group = has(roles) ? roles : has(cancellers) ? cancellers : [];
  const name = group === roles ? ['back office'] : group === cancellers ? ['cancellers'] : [];
  return [...name, ...actors.filter((a) => !group.includes(a))].join(', ');
}

const edgeLabel = (t: Transition) =>
  `${actorsLabel(t.actors)}${t.guard ? ` [${t.guard}]` : ''}${t.flow ? ` via ${t.flow}` : ''}${t.through ? ` through ${t.through}` : ''}`;

export function renderStateDocs(): string {
  const lines = [
    '# Order states',
    '',
    '<!-- Generated from src/orders/domain.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'Every status change of an order is one edge of the transition table in `src/orders/domain.ts`, made',
    'through one function (`changeStatus` in `src/orders/lifecycle.ts`) that locks the order, checks the',
    'edge and its guard, runs the side effects, appends the history and writes the webhook outbox in one',
    'transaction. A change the table does not allow is a 409 `ORDER.TRANSITION_NOT_ALLOWED` with the statuses',
    'the caller may choose instead.',
    '',
    '"back office" is every back-office role (network_admin, central_admin, store_manager, store_staff);',
    '"cancellers" are network_admin, central_admin and store_manager (a clerk does not cancel). `system` edges',
    'are made only by Omnihub’s own flows (fiscal authorisation, the split, carrier tracking), never through',
    '`POST /orders/{id}/transitions`. An edge labelled "via" a flow is offered to its actors (it is in the',
    "order's `allowedTransitions`) but taken only by that flow's endpoint, because entering the status does",
    `more than change it: ${Object.entries(orderFlows)
      .map(([flow, endpoint]) => `${flow} is \`${endpoint}\``)
      .join(', ')}.`,
    'An edge "through" a status is one step made of two edges: the order passes through that status (its',
    'guard, side effects, history row and webhook) and on to the target, in one transaction.',
    '',
    '```mermaid',
    'stateDiagram-v2',
    ...orderStatuses.map((s) => `  ${s} : ${statusLabels[s]} (${s})`),
    '  [*] --> open : platform (POST /orders)',
    ...transitions.map((t) => `  ${t.from} --> ${t.to} : ${edgeLabel(t)}`),
    ...terminalStatuses.map((s) => `  ${s} --> [*]`),
    '```',
    '',
    '## Transitions',
    '',
    '| from | to | actors | guard | flow | what happens |',
    '| --- | --- | --- | --- | --- | --- |',
    ...transitions.map(
      (t) =>
        `| ${t.from} | ${t.to} | ${t.actors.join(', ')} | ${t.guard ?? ''} | ${t.flow ?? ''} | ${t.description} |`,
    ),
    '',
    '## Guards',
    '',
    '| guard | passes for |',
    '| --- | --- |',
    ...Object.entries(guards).map(([name, g]) => `| ${name} | ${g.description} |`),
    '',
    '## Statuses',
    '',
    '| code | label (pt-BR) |',
    '| --- | --- |',
    ...orderStatuses.map((s) => `| ${s} | ${statusLabels[s]} |`),
    '',
  ];
  return lines.join('\n');
}
