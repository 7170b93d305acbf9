import { describe, expect, it } from 'vitest';
import { actionsFor, askedDocument, pendingNotice, refusal, releaseReason } from './domain.ts';

const settings = { participates: true, serviceUrl: 'http://x/', pendingOrdersUrl: 'http://x/', online: true };

describe('the counter’s rules', () => {
  it('offers each POS action from its status, for pickup orders only', () => {
    const pickup = (status: string) => actionsFor({ status, deliveryType: 'pickup' });
    expect(pickup('ready_for_pickup')).toEqual(['rescue']);
    expect(pickup('invoicing')).toEqual(['finish', 'release']);
    expect(pickup('invoiced')).toEqual(['handover']);
    for (const status of ['open', 'accepted', 'picking', 'delivered', 'cancelled'])
      expect(pickup(status)).toEqual([]);
    expect(actionsFor({ status: 'invoicing', deliveryType: 'ship' })).toEqual([]);
  });

  it('says why not and names the next step', () => {
    const order = { status: 'invoiced', deliveryType: 'pickup' };
    expect(refusal('release', order, actionsFor(order))).toBe(
      'The order is invoiced: release is taken from invoicing. Next: handover (POST /api/v1/orders/{id}/handover).',
    );
    expect(refusal('rescue', { status: 'delivered', deliveryType: 'pickup' }, [])).toContain('nothing more');
    expect(refusal('finish', { status: 'picking', deliveryType: 'ship' }, [])).toContain('back office');
  });

  it('empties the pending list with a reason when the store is out (9253) or offline (9285)', () => {
    expect(pendingNotice(settings)).toBeNull();
    expect(pendingNotice({ ...settings, participates: false })?.code).toBe('POS.STORE_NOT_OMNI');
    expect(pendingNotice({ ...settings, online: false })?.code).toBe('POS.OFFLINE_LOOKUP');
    expect(pendingNotice({ ...settings, participates: false, online: false })?.code).toBe(
      'POS.STORE_NOT_OMNI',
    );
  });

  it('reads the document asked at the counter: blank is none, punctuation dropped', () => {
    expect(askedDocument(undefined)).toBeNull();
    expect(askedDocument('  ')).toBeNull();
    expect(askedDocument('529.982.247-25')).toBe('52998224725');
    expect(askedDocument('12.abc.345/01de-35')).toBe('12ABC34501DE35');
    expect(releaseReason('  desistiu ')).toBe('desistiu');
    expect(releaseReason(undefined)).toBe('');
  });
});
