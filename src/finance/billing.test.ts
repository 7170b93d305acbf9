import { describe, expect, it } from 'vitest';
import { dueFrom, scheduleOf } from './billing.ts';

describe('the schedule of a billed receivable', () => {
  it('counts from the later of the acceptance and the first invoicing', () => {
    expect(dueFrom('2026-03-01', null)).toBe('2026-03-01');
    expect(dueFrom('2026-03-01', '2026-03-04')).toBe('2026-03-04');
    expect(dueFrom('2026-03-04', '2026-03-01')).toBe('2026-03-04');
  });

  it('falls due every 30 days, the odd cents in the first instalment', () => {
    expect(scheduleOf(20990n, 3, '2026-03-04')).toEqual([
      { number: '001', dueDate: '2026-04-03', amount: 6998n },
      { number: '002', dueDate: '2026-05-03', amount: 6996n },
      { number: '003', dueDate: '2026-06-02', amount: 6996n },
    ]);
    expect(scheduleOf(100n, 0, '2026-03-04')).toHaveLength(1);
  });
});
