import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs } from '../platform/jobs/service.ts';
import { isDelivered, orderStatusChangedBody, sign, verifySignature, webhookConfigErrors } from './domain.ts';

describe('webhook signatures', () => {
  it('signs the exact body bytes with HMAC-SHA256, as a receiver recomputes it', () => {
    const body = orderStatusChangedBody({
      orderId: '9b2f0c1e-0000-4000-8000-000000000001',
      externalId: 'VTEX-1001',
      status: 'accepted',
      previousStatus: 'open',
      at: new Date('2025-03-04T05:06:07.089Z'),
    });
    expect(body).toBe(
      '{"event":"order.status_changed","orderId":"9b2f0c1e-0000-4000-8000-000000000001",' +
        '"externalId":"VTEX-1001","status":"accepted","previousStatus":"open","at":"2025-03-04T05:06:07.089Z"}',
    );
    const hex = createHmac('sha256', 'secret-of-16-chars').update(body).digest('hex');
    expect(sign(body, 'secret-of-16-chars')).toBe(`sha256=${hex}`);
  });

  it('verifies only the untouched body with the right secret', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 16 }),
        fc.string({ minLength: 1 }),
        (body, secret, extra) => {
          const header = sign(body, secret);
          expect(verifySignature(body, secret, header)).toBe(true);
          expect(verifySignature(body + extra, secret, header)).toBe(false);
          expect(verifySignature(body, secret + extra, header)).toBe(false);
          expect(verifySignature(body, secret, undefined)).toBe(false);
        },
      ),
    );
  });
});

describe('webhook rules', () => {
  it('counts only a 2xx as delivered', () => {
    expect([200, 201, 204, 299].every(isDelivered)).toBe(true);
    expect([null, 100, 301, 304, 400, 410, 429, 500, 503].some(isDelivered)).toBe(false);
  });

  it('accepts http and https URLs without credentials and secrets of 16 characters or more', () => {
    expect(webhookConfigErrors({ url: 'https://a.example/x?y=1', secret: 'x'.repeat(16) })).toEqual([]);
    expect(webhookConfigErrors({ url: 'http://127.0.0.1:8080/', secret: 'x'.repeat(64) })).toEqual([]);
    for (const url of [
      'ftp://a.example/',
      'file:///etc/passwd',
      'mailto:a@b.c',
      'a.example',
      'http://u:p@a.example/',
    ]) {
      expect(
        webhookConfigErrors({ url, secret: 'x'.repeat(16) }).map((e) => e.path),
        url,
      ).toEqual(['/url']);
    }
    expect(webhookConfigErrors({ url: 'https://a.example/', secret: 'x'.repeat(15) })).toEqual([
      {
        path: '/secret',
        code: 'INTEGRATION.SECRET_TOO_SHORT',
        params: { minLength: 16 },
        message: 'must have at least 16 characters',
      },
    ]);
  });

  it('backs off exponentially from a configurable base, with jitter, up to the cap', () => {
    const opts = { baseMs: 10, capMs: 200 };
    expect(backoffMs(1, () => 0, opts)).toBe(5);
    expect(backoffMs(1, () => 1, opts)).toBe(10);
    expect(backoffMs(3, () => 1, opts)).toBe(40);
    expect(backoffMs(10_000, () => 1, opts)).toBe(200);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, r) => {
          const delay = backoffMs(attempt, () => r, opts);
          return delay >= 5 && delay <= 200;
        },
      ),
    );
  });
});
