import dns from 'node:dns';
import net from 'node:net';

/** Resolves a host name to every address it has (the connect-time check must see them all). */
export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

/**
 * Where webhooks may go. A webhook URL is chosen by an admin but fetched by the server, from inside its
 * network: without this, it reaches the cloud's metadata service, the database port or the LAN, and the
 * answer's first characters come back in the attempt record (SSRF). Only public unicast addresses are
 * allowed, checked when the URL is set and again on the address each connection actually uses, so a name
 * that resolves differently later (DNS rebinding) cannot slip through. On-premises receivers are named in
 * an explicit allow-list (OMNIHUB_WEBHOOK_ALLOW_HOSTS): host names, addresses or CIDR blocks.
 */
export interface TargetPolicy {
  /** Why the URL may not be sent to, after resolving its host; null when it may. */
  refusal(url: string): Promise<string | null>;
  /** Why a URL whose host is an address literal may not be sent to (no lookup happens for those). */
  literalRefusal(url: URL): string | null;
  /** node:net's `lookup` for outgoing connections: resolves, then refuses a special address. */
  lookup: net.LookupFunction;
}

/** IPv4 blocks that are not the public Internet (RFC 6890 and its updates). */
const SPECIAL_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, the cloud metadata service
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast included
];

/**
 * IPv6: only global unicast (2000::/3) is public, which leaves out ::, ::1, IPv4-mapped and NAT64
 * addresses, unique-local, link-local and multicast; inside it, the blocks below are not public either
 * (or embed an IPv4 address that could be private: 6to4, Teredo).
 */
const SPECIAL_V6_IN_GLOBAL: [string, number][] = [
  ['2001::', 23], // IETF protocol assignments, Teredo included
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['3fff::', 20], // documentation
];

const special4 = new net.BlockList();
for (const [a, p] of SPECIAL_V4) special4.addSubnet(a, p, 'ipv4');
const global6 = new net.BlockList();
global6.addSubnet('2000::', 3, 'ipv6');
const special6 = new net.BlockList();
for (const [a, p] of SPECIAL_V6_IN_GLOBAL) special6.addSubnet(a, p, 'ipv6');

/** Whether an address is anything but public unicast. Unparseable counts as special. */
export function isSpecialAddress(address: string): boolean {
  try {
    const family = net.isIP(address);
    if (family === 4) return special4.check(address, 'ipv4');
    if (family === 6) return !global6.check(address, 'ipv6') || special6.check(address, 'ipv6');
  } catch {
    // A zone id or another form BlockList does not read: not a public address.
  }
  return true;
}

/** Throws on an entry that is neither a host name nor an address or CIDR block (a configuration fault). */
function compileAllowList(entries: string[]) {
  const names = new Set<string>();
  const blocks = new net.BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = net.isIP(address ?? '');
    if (family) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) blocks.addAddress(address!, type);
      else if (/^\d+$/.test(prefix)) blocks.addSubnet(address!, Number(prefix), type);
      else throw new Error(`OMNIHUB_WEBHOOK_ALLOW_HOSTS: ${entry} is not an address or CIDR block`);
    } else if (/^[a-z0-9.-]+$/i.test(entry)) {
      names.add(entry.toLowerCase());
    } else {
      throw new Error(`OMNIHUB_WEBHOOK_ALLOW_HOSTS: ${entry} is not a host name, address or CIDR block`);
    }
  }
  return {
    name: (hostname: string) => names.has(hostname.toLowerCase()),
    address: (address: string) => {
      try {
        return blocks.check(address, net.isIP(address) === 6 ? 'ipv6' : 'ipv4');
      } catch {
        return false;
      }
    },
  };
}

const systemResolve: Resolve = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** The host of a URL as an address or name: WHATWG URL already turns `2130706433` and `0x7f.1` into 127.0.0.1. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

export function createTargetPolicy(opts: { allow?: string[]; resolve?: Resolve } = {}): TargetPolicy {
  const allowed = compileAllowList(opts.allow ?? []);
  const resolve = opts.resolve ?? systemResolve;
  const refused = (host: string, address: string) =>
    host === address
      ? `${address} is a private, loopback, link-local or otherwise special address`
      : `${host} resolves to ${address}, a private, loopback, link-local or otherwise special address`;
  const addressRefusal = (host: string, address: string) =>
    isSpecialAddress(address) && !allowed.address(address) ? refused(host, address) : null;

  function literalRefusal(url: URL): string | null {
    const host = hostOf(url);
    if (allowed.name(host) || !net.isIP(host)) return null;
    return addressRefusal(host, host);
  }

  return {
    literalRefusal,
    async refusal(text) {
      const url = new URL(text);
      const host = hostOf(url);
      if (allowed.name(host)) return null;
      if (net.isIP(host)) return literalRefusal(url);
      // RFC 6761: localhost names are loopback whatever a resolver says.
      if (/(^|\.)localhost\.?$/i.test(host)) return `${host} is a loopback name`;
      let addresses: { address: string }[];
      try {
        addresses = await resolve(host);
      } catch {
        // Not resolvable now (a partner's DNS being set up): the connect-time check still applies.
        return null;
      }
      for (const { address } of addresses) {
        const why = addressRefusal(host, address);
        if (why) return why;
      }
      return null;
    },
    lookup(hostname, options, callback) {
      const done = callback as (
        error: NodeJS.ErrnoException | null,
        address: unknown,
        family?: number,
      ) => void;
      resolve(hostname).then(
        (addresses) => {
          const byName = allowed.name(hostname);
          const why = byName
            ? null
            : addresses.map((a) => addressRefusal(hostname, a.address)).find((w) => w !== null);
          if (why) return done(Object.assign(new Error(why), { code: 'EADDRNOTALLOWED' }), '', 0);
          const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
          const usable = addresses.filter((a) => !family || a.family === family);
          const first = usable[0];
          if (!first)
            return done(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
          if (options.all) return done(null, usable);
          return done(null, first.address, first.family);
        },
        (error: NodeJS.ErrnoException) => done(error, '', 0),
      );
    },
  };
}
