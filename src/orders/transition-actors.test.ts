import { describe, expect, it } from 'vitest';
import { transitions } from './domain.ts';

/**
 * Who may make each status change, written out by hand rather than read back from the table: a change
 * to the table that lets someone new move an order (a POS cancelling an accepted order, a clerk
 * cancelling, the platform accepting) must change this list too, on purpose.
 * One line per edge: `from → to [guard] (flow): actors`.
 */
const expected = `
open → accepted [omniClassified]: network_admin central_admin store_manager store_staff
open → picking [omniClassified]: network_admin central_admin store_manager store_staff
open → awaiting_stock [splitEnabled] (split): network_admin central_admin store_manager store_staff
awaiting_stock → open: system
accepted → picking: network_admin central_admin store_manager store_staff
picking → ready_for_pickup [pickup]: network_admin central_admin store_manager store_staff system
ready_for_pickup → invoicing [pickup]: pos
invoicing → ready_for_pickup [pickup]: pos
picking → invoicing [ship] (invoice): network_admin central_admin store_manager store_staff
invoicing → invoiced: system
invoicing → picking [ship]: system
invoiced → in_transit [manualCarrier]: network_admin central_admin store_manager store_staff
invoiced → in_transit [ship]: system
in_transit → delivered [manualCarrier]: network_admin central_admin store_manager store_staff
in_transit → delivered [ship]: system
invoiced → delivered [pickup] (handover): network_admin central_admin store_manager store_staff pos
open → cancelled: platform network_admin central_admin store_manager system
awaiting_stock → cancelled: platform network_admin central_admin store_manager system
accepted → cancelled: network_admin central_admin store_manager
picking → cancelled: network_admin central_admin store_manager
ready_for_pickup → cancelled: network_admin central_admin store_manager pos
invoiced → cancelled: system
`;

const parse = (list: string) =>
  Object.fromEntries(
    list
      .trim()
      .split('\n')
      .map((line) => {
        const [edge = '', who = ''] = line.split(': ');
        return [edge, who.split(' ').sort()];
      }),
  );

describe('who may make each status change', () => {
  it('is exactly the hand-written list, edge by edge', () => {
    const actual = Object.fromEntries(
      transitions.map((t) => [
        `${t.from} → ${t.to}${t.guard ? ` [${t.guard}]` : ''}${t.flow ? ` (${t.flow})` : ''}`,
        [...t.actors].sort(),
      ]),
    );
    expect(actual).toEqual(parse(expected));
  });
});
