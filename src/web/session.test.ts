// The session cookie and where a sign-in may send the browser.
import { describe, expect, it } from 'vitest';
import { clearedCookie, safeNext, sessionCookie, sessionKey } from './session.ts';

describe('session', () => {
  it('reads the key back from a Cookie header, encoded or not', () => {
    const key = 'a key; with=odd,chars';
    const cookie = sessionCookie(key, false).split(';')[0] ?? '';
    expect(sessionKey(`theme=dark; ${cookie}; other=1`)).toBe(key);
    expect(sessionKey('revops_session=rk_abc')).toBe('rk_abc');
    expect(sessionKey('revops_session=%E0%A4%A')).toBeUndefined();
    expect(sessionKey('revops_session=')).toBeUndefined();
    expect(sessionKey(undefined)).toBeUndefined();
  });

  it('marks the cookie Secure over HTTPS, and clears it', () => {
    expect(sessionCookie('k', true)).toBe(
      'revops_session=k; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure',
    );
    expect(clearedCookie(false)).toBe('revops_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('goes back only to a path of this site', () => {
    const cases: [string | undefined, string][] = [
      ['/sla?owner=leo', '/sla?owner=leo'],
      ['/leads/email%3Aava%40x.io', '/leads/email%3Aava%40x.io'],
      [undefined, '/'],
      ['https://evil.example/', '/'],
      ['//evil.example/', '/'],
      ['/\\evil.example', '/'],
      ['/sla\r\nSet-Cookie: x=1', '/'],
      ['/login?next=/x', '/'],
      ['/logout', '/'],
      ['/loginx', '/loginx'],
    ];
    expect(cases.map(([next]) => safeNext(next))).toEqual(cases.map(([, expected]) => expected));
  });
});
