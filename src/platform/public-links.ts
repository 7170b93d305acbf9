import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Links that open one thing without a login (the DANFE in the customer's e-mail): `<id>.<expiry>.<mac>`, the
 * MAC an HMAC-SHA256 of purpose, id and expiry under the installation's secret key. Nothing is stored: a link
 * is good until it expires, and changing the key ends them all.
 */

/** The purpose of the links to a fiscal document's DANFE (made by notifications, opened by fiscal). */
export const DANFE_LINK = 'danfe';

const mac = (key: Buffer, purpose: string, id: string, expires: number) =>
  createHmac('sha256', key).update(`${purpose}\n${id}\n${expires}`).digest('base64url');

export function signLink(key: Buffer, purpose: string, id: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${id}.${expires}.${mac(key, purpose, id, expires)}`;
}

/** The id a token was signed for, if it is this purpose's, untampered and not expired. */
export function openLink(key: Buffer, purpose: string, token: string, now = new Date()): string | undefined {
  const [id, expiresText, given, ...rest] = token.split('.');
  if (!id || !expiresText || !given || rest.length || !/^\d{1,12}$/.test(expiresText)) return undefined;
  const expires = Number(expiresText);
  const expected = Buffer.from(mac(key, purpose, id, expires));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  return expires * 1000 > now.getTime() ? id : undefined;
}
