import { describe, expect, it } from 'vitest';
import { IdentityCache } from './identityCache.ts';

describe('IdentityCache', () => {
  it('builds once per key and stamp, again for another stamp, and keeps every key past the short list', () => {
    const built: string[] = [];
    const cache = new IdentityCache((key: { id: string }, stamp: number) => {
      built.push(`${key.id}@${stamp}`);
      return `${key.id}:${stamp}`;
    }, 2);
    const [a, b, c] = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(cache.get(a, 1)).toBe('a:1');
    expect(cache.get(a, 1)).toBe('a:1');
    expect(cache.get(b, 1)).toBe('b:1');
    expect(cache.get(c, 1)).toBe('c:1');
    // `a` left the short list of two but not the cache.
    expect(cache.get(a, 1)).toBe('a:1');
    expect(cache.get(a, 2)).toBe('a:2');
    // An equal but distinct key is another key.
    expect(cache.get({ id: 'a' }, 2)).toBe('a:2');
    expect(built).toEqual(['a@1', 'b@1', 'c@1', 'a@2', 'a@2']);
  });
});
