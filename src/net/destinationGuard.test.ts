import { describe, expect, it } from 'vitest';
import { addressRange, createDestinationGuard, pinnedLookup, type Resolver } from './destinationGuard.ts';

const fixed =
  (table: Record<string, string[]>): Resolver =>
  (host) => {
    const found = table[host];
    if (found === undefined)
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };

describe('createDestinationGuard', () => {
  const guard = createDestinationGuard({ allow: [] });

  it.each([
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::ffff:10.0.0.1', 'private'],
    ['224.0.0.1', 'multicast'],
    ['192.0.0.192', 'reserved'],
  ])('refuses %s (%s)', async (host, range) => {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    expect(await guard.check(host)).toEqual({
      ok: false,
      kind: 'refused',
      reason: `${bare} is a ${range} address`,
    });
  });

  it.each(['8.8.8.8', '2606:4700:4700::1111'])('lets public %s through', async (host) => {
    expect(await guard.check(host)).toEqual({
      ok: true,
      host,
      address: host,
      family: host.includes(':') ? 6 : 4,
    });
  });

  it('resolves names itself and answers with the address to connect to', async () => {
    const resolve = fixed({ 'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'] });
    expect(await createDestinationGuard({ allow: [], resolve }).check('Hooks.Example.com.')).toEqual({
      ok: true,
      host: 'hooks.example.com',
      address: '93.184.216.34',
      family: 4,
    });
  });

  it('refuses a name when any of its addresses is private (DNS pointing inside)', async () => {
    const resolve = fixed({
      'sneaky.example.com': ['93.184.216.34', '10.1.2.3'],
      'meta.example.com': ['169.254.169.254'],
    });
    const g = createDestinationGuard({ allow: [], resolve });
    expect(await g.check('sneaky.example.com')).toEqual({
      ok: false,
      kind: 'refused',
      reason: 'sneaky.example.com resolves to 10.1.2.3, a private address',
    });
    expect(await g.check('meta.example.com')).toMatchObject({
      reason: 'meta.example.com resolves to 169.254.169.254, a linkLocal address',
    });
  });

  it('reports a name that does not resolve as unresolved (worth another try)', async () => {
    expect(await createDestinationGuard({ allow: [], resolve: fixed({}) }).check('gone.example.com')).toEqual(
      {
        ok: false,
        kind: 'unresolved',
        reason: 'cannot resolve gone.example.com: ENOTFOUND',
      },
    );
  });

  it('allows listed addresses, CIDR blocks and host names, and nothing else', async () => {
    const resolve = fixed({ 'hooks.internal': ['10.9.8.7'], 'other.internal': ['10.9.8.7'] });
    const g = createDestinationGuard({
      allow: ['127.0.0.1', '192.168.0.0/16', 'fd00::/8', 'Hooks.Internal'],
      resolve,
    });
    expect(await g.check('127.0.0.1')).toMatchObject({ ok: true, address: '127.0.0.1' });
    expect(await g.check('127.0.0.2')).toMatchObject({
      ok: false,
      reason: '127.0.0.2 is a loopback address',
    });
    expect(await g.check('192.168.40.1')).toMatchObject({ ok: true });
    expect(await g.check('::ffff:192.168.40.1')).toMatchObject({ ok: true });
    expect(await g.check('fd12::1')).toMatchObject({ ok: true });
    expect(await g.check('fc00::1')).toMatchObject({ ok: false });
    expect(await g.check('hooks.internal')).toMatchObject({ ok: true, address: '10.9.8.7' });
    expect(await g.check('other.internal')).toMatchObject({
      ok: false,
      reason: 'other.internal resolves to 10.9.8.7, a private address',
    });
  });
});

describe('addressRange and pinnedLookup', () => {
  it('names ranges as ipaddr.js does, mapped IPv4 as IPv4', () => {
    expect(addressRange('8.8.8.8')).toBe('unicast');
    expect(addressRange('::ffff:127.0.0.1')).toBe('loopback');
  });

  it('answers every lookup with the pinned address, in both callback shapes', () => {
    const lookup = pinnedLookup('203.0.113.9', 4) as unknown as (
      host: string,
      options: { all?: boolean },
      callback: (...args: unknown[]) => void,
    ) => void;
    const calls: unknown[][] = [];
    lookup('anything.example', { all: true }, (...args) => calls.push(args));
    lookup('anything.example', {}, (...args) => calls.push(args));
    expect(calls).toEqual([
      [null, [{ address: '203.0.113.9', family: 4 }]],
      [null, '203.0.113.9', 4],
    ]);
  });
});
