/**
 * Outbound destinations are checked before anything is sent: the host is resolved here, every
 * address it resolves to must be public unicast — not private, loopback, link-local, unique-local,
 * carrier-grade NAT, cloud metadata (169.254.169.254 is link-local), multicast, reserved or any
 * other special range of ipaddr.js — unless the host or the address is allow-listed. The caller
 * then connects to the address checked (`pinnedLookup`), never resolving the name again, so a DNS
 * answer that changes between the check and the connection (rebinding) cannot reach a private host.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to its addresses; rejects when it cannot. */
export type Resolver = (host: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver (hosts file, then DNS), every address in its order. */
export const systemResolver: Resolver = async (host) => {
  const found = await dnsLookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export type GuardVerdict =
  | { readonly ok: true; readonly host: string; readonly address: string; readonly family: 4 | 6 }
  /** `refused`: a destination that must not be used; `unresolved`: DNS failed (try again later). */
  | { readonly ok: false; readonly kind: 'refused' | 'unresolved'; readonly reason: string };

export interface DestinationGuard {
  /** Resolves `host` (a name or an address) and checks every address. Never throws. */
  check(host: string): Promise<GuardVerdict>;
}

type Parsed = ReturnType<typeof ipaddr.parse>;

/** The address as IPv4 when it is an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`). */
function plain(address: Parsed): Parsed {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

/** ipaddr.js's range name of `address`: `unicast` for a public address. Throws on a non-address. */
export function addressRange(address: string): string {
  return plain(ipaddr.parse(address)).range();
}

function inBlock(address: Parsed, block: [Parsed, number]): boolean {
  return address.kind() === block[0].kind() && address.match(block);
}

/**
 * A guard allowing public addresses, plus the `allow` entries: host names (matched against the
 * destination's host, case-insensitively), addresses and CIDR blocks (matched against each address
 * the host resolves to). Entries that are none of these are ignored (the config schema refuses them).
 */
export function createDestinationGuard(options: {
  readonly allow: readonly string[];
  readonly resolve?: Resolver;
}): DestinationGuard {
  const resolve = options.resolve ?? systemResolver;
  const hosts = new Set<string>();
  const blocks: [Parsed, number][] = [];
  for (const entry of options.allow) {
    if (entry.includes('/') && ipaddr.isValidCIDR(entry)) blocks.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) {
      const address = plain(ipaddr.parse(entry));
      blocks.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else hosts.add(entry.toLowerCase().replace(/\.$/, ''));
  }

  return {
    async check(rawHost) {
      const host = rawHost
        .replace(/^\[(.*)\]$/, '$1')
        .toLowerCase()
        .replace(/\.$/, '');
      let addresses: readonly ResolvedAddress[];
      if (ipaddr.isValid(host)) {
        addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
      } else {
        try {
          addresses = await resolve(host);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          const why =
            typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
          return { ok: false, kind: 'unresolved', reason: `cannot resolve ${host}: ${why}` };
        }
        if (addresses.length === 0)
          return { ok: false, kind: 'unresolved', reason: `cannot resolve ${host}: no address` };
      }
      const hostAllowed = hosts.has(host);
      for (const { address } of addresses) {
        if (!ipaddr.isValid(address))
          return {
            ok: false,
            kind: 'refused',
            reason: `${host} resolves to ${address}, which is not an IP address`,
          };
        const raw = ipaddr.parse(address);
        const parsed = plain(raw);
        const range = parsed.range();
        const listed = blocks.some((b) => inBlock(raw, b) || inBlock(parsed, b));
        if (range === 'unicast' || hostAllowed || listed) continue;
        const via = address === host ? `${host} is` : `${host} resolves to ${address},`;
        return { ok: false, kind: 'refused', reason: `${via} a ${range} address` };
      }
      const first = addresses[0] as ResolvedAddress;
      return { ok: true, host, address: first.address, family: first.family };
    },
  };
}

/**
 * A `lookup` for `http.request` / `net.connect` that answers with the checked address only, so the
 * connection goes where the guard looked (TLS still verifies the certificate against the host name).
 */
export function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all === true) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}
