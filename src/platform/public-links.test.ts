import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openLink, signLink } from './public-links.ts';

describe('signed public links', () => {
  const key = randomBytes(32);
  const id = '3f1c2b9a-0000-4000-8000-000000000001';
  const inADay = new Date(Date.now() + 86_400_000);

  it('open to the id they were signed for, until they expire', () => {
    const token = signLink(key, 'danfe', id, inADay);
    expect(openLink(key, 'danfe', token)).toBe(id);
    expect(openLink(key, 'danfe', token, new Date(inADay.getTime() + 1000))).toBeUndefined();
  });
  it('refuse another purpose, another key, a changed id or expiry, and garbage', () => {
    const token = signLink(key, 'danfe', id, inADay);
    const [, expires, mac] = token.split('.');
    expect(openLink(key, 'label', token)).toBeUndefined();
    expect(openLink(randomBytes(32), 'danfe', token)).toBeUndefined();
    expect(openLink(key, 'danfe', `${id.replace(/1$/, '2')}.${expires}.${mac}`)).toBeUndefined();
    expect(openLink(key, 'danfe', `${id}.${Number(expires) + 1}.${mac}`)).toBeUndefined();
    for (const bad of ['', 'a.b', 'a.b.c.d', `${id}.x.${mac}`])
      expect(openLink(key, 'danfe', bad)).toBeUndefined();
  });
});
