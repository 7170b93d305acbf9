import { describe, expect, it } from 'vitest';
import { parseSmtpUrl, smtpFault } from './index.ts';

describe('SMTP faults', () => {
  it('a 5xx to the envelope or the data is permanent; 4xx, connection and login faults are retried', () => {
    expect(smtpFault({ responseCode: 550, code: 'EENVELOPE', response: '550 no such user' }).permanent).toBe(
      true,
    );
    expect(smtpFault({ responseCode: 554, code: 'EMESSAGE', response: '554 rejected' }).permanent).toBe(true);
    expect(smtpFault({ responseCode: 451, code: 'EENVELOPE', response: '451 later' }).permanent).toBe(false);
    expect(smtpFault({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }).permanent).toBe(false);
    expect(smtpFault({ code: 'ETIMEDOUT', message: 'Greeting never received' }).permanent).toBe(false);
    expect(smtpFault({ responseCode: 535, code: 'EAUTH', response: '535 bad login' }).permanent).toBe(false);
    expect(smtpFault({ responseCode: 550, code: 'EENVELOPE', response: '550 no such user' }).message).toBe(
      'SMTP 550: 550 no such user',
    );
  });
  it('takes smtp:// and smtps:// URLs only', () => {
    expect(parseSmtpUrl('smtp://127.0.0.1:2525').port).toBe('2525');
    expect(parseSmtpUrl('smtps://u:p@mail.example.com').username).toBe('u');
    expect(() => parseSmtpUrl('http://mail.example.com')).toThrow(/smtp:\/\//);
    expect(() => parseSmtpUrl('not a url')).toThrow(/not a URL/);
  });
});
