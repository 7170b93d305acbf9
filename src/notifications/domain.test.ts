import { describe, expect, it } from 'vitest';
import { customerChannels, customerTemplateFor, waMeLink, whatsAppNumber } from './domain.ts';

describe('the customer’s channels (DS_FORMA_NOTIFICA_CLIENTE)', () => {
  const contact = { email: 'maria@example.com', phone: '(11) 98765-4321' };
  it('sends by each channel the store lists, to the order’s e-mail and phone', () => {
    expect(customerChannels(['email', 'whatsapp'], contact)).toEqual([
      { channel: 'email', to: 'maria@example.com' },
      { channel: 'whatsapp', to: '5511987654321' },
    ]);
    expect(customerChannels(['whatsapp'], contact)).toEqual([{ channel: 'whatsapp', to: '5511987654321' }]);
    expect(customerChannels([], contact)).toEqual([]);
  });
  it('keeps a channel whose contact is missing, with no recipient (recorded as not sent)', () => {
    expect(customerChannels(['email', 'whatsapp'], { email: ' ', phone: '123' })).toEqual([
      { channel: 'email', to: '' },
      { channel: 'whatsapp', to: '' },
    ]);
  });
  it('messages the customer on the statuses of seed 003 only', () => {
    expect(Object.keys(customerTemplateFor).sort()).toEqual(
      ['accepted', 'delivered', 'in_transit', 'invoiced', 'ready_for_pickup'].sort(),
    );
    expect(customerTemplateFor.picking).toBeUndefined();
  });
});

describe('WhatsApp numbers and the wa.me link', () => {
  it.each([
    ['(11) 98765-4321', '5511987654321'],
    ['+55 11 99999-0000', '5511999990000'],
    ['011 3333-4444', '551133334444'],
    ['41 3333-4444', '554133334444'],
    ['12345', undefined],
    [null, undefined],
  ])('%s → %s', (phone, expected) => {
    expect(whatsAppNumber(phone)).toBe(expected);
  });
  it('opens WhatsApp with the text written, encoded', () => {
    expect(waMeLink('5511987654321', 'Olá, Maria! Pedido #12 & cia\nok')).toBe(
      'https://wa.me/5511987654321?text=Ol%C3%A1%2C%20Maria!%20Pedido%20%2312%20%26%20cia%0Aok',
    );
  });
});
