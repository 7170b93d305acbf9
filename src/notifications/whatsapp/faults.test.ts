import { describe, expect, it } from 'vitest';
import { classify, type GraphError, graphErrorOf } from './faults.ts';

const graph = (code: number): GraphError => ({
  message: `(#${code})`,
  type: 'OAuthException',
  code,
  subcode: null,
  details: null,
  fbtraceId: null,
});

describe('what a Cloud API error means for the outbox', () => {
  it.each([
    [400, 130429, 'rate_limit', false],
    [400, 131048, 'rate_limit', false],
    [400, 131056, 'rate_limit', false],
    [500, 131000, 'unavailable', false],
    [503, 2, 'unavailable', false],
    [400, 131026, 'recipient', true],
    [400, 132000, 'template', true],
    [404, 132001, 'template', true],
    [400, 132015, 'template', true],
    [401, 190, 'configuration', true],
    [403, 200, 'configuration', true],
    [400, 131031, 'configuration', true],
    [400, 100, 'request', true],
  ])('HTTP %i code %i → %s, permanent %s', (status, code, kind, permanent) => {
    expect(classify(status, graph(code))).toEqual({ kind, permanent });
  });

  it('without an error object the HTTP status decides, and an unknown answer is retried', () => {
    expect(classify(502, null)).toEqual({ kind: 'unavailable', permanent: false });
    expect(classify(429, null)).toEqual({ kind: 'rate_limit', permanent: false });
    expect(classify(401, null)).toEqual({ kind: 'configuration', permanent: true });
    expect(classify(404, null)).toEqual({ kind: 'protocol', permanent: false });
  });

  it('reads Graph’s error object, details included, and nothing else', () => {
    expect(
      graphErrorOf({
        error: {
          message: '(#131026) Message Undeliverable',
          type: 'OAuthException',
          code: 131026,
          error_data: { messaging_product: 'whatsapp', details: 'Message Undeliverable.' },
          error_subcode: 2494010,
          fbtrace_id: 'Az8or2yhqkZfEZ',
        },
      }),
    ).toEqual({
      message: '(#131026) Message Undeliverable',
      type: 'OAuthException',
      code: 131026,
      subcode: 2494010,
      details: 'Message Undeliverable.',
      fbtraceId: 'Az8or2yhqkZfEZ',
    });
    expect(graphErrorOf({ messages: [] })).toBeNull();
    expect(graphErrorOf('error')).toBeNull();
  });
});
