import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * SPEC §5: a provider base-URL override must be https and must not resolve to a loopback,
 * private, link-local or otherwise internal address — checked on the resolved IPs, so a public
 * name pointing inward is refused too. `allowPrivate` is the explicit development flag that tests
 * set to reach the fake vendors on 127.0.0.1 (it also allows http). SMTP hosts follow the same
 * rule (`checkHost`). Adapters never follow redirects, so a checked URL cannot bounce inward; a
 * DNS answer that changes between the check and the connection is not covered (the gateway
 * re-checks whenever it builds adapters).
 */
export class BaseUrlError extends Error {
  override name = 'BaseUrlError';
  constructor(
    readonly code: 'BASE_URL_INVALID' | 'BASE_URL_NOT_HTTPS' | 'BASE_URL_PRIVATE' | 'BASE_URL_UNRESOLVABLE',
    message: string,
  ) {
    super(message);
  }
}

export interface AddressCheckOptions {
  /** The deployment's development flag: allows http and loopback/private addresses. */
  allowPrivate: boolean;
  /** DNS resolution (all addresses of a name); replaceable in tests. */
  lookup?: (host: string) => Promise<string[]>;
}

// Loopback, private, shared (CGNAT), link-local (cloud metadata), benchmarking, documentation,
// multicast and reserved ranges: no vendor lives there.
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

/**
 * The IPv4 address an IPv6 address carries, decoded from the byte layout (so every spelling of
 * the same address is seen): IPv4-compatible ::a.b.c.d, mapped ::ffff:a.b.c.d, translated
 * ::ffff:0:a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002:AABB:CCDD::/48. `null` for forms whose
 * IPv4 cannot be trusted to be where a router would look (local-use NAT64 64:ff9b:1::/48, whose
 * embedding depends on the local prefix length, and Teredo): those are refused outright.
 */
function embeddedIpv4(bytes: number[]): ipaddr.IPv4 | null | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const last = () => new ipaddr.IPv4(bytes.slice(12, 16));
  if (zeros(0, 12)) return last();
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return last();
  if (zeros(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zeros(10, 12)) return last();
  const [b0, b1, b2, b3, b4, b5] = bytes;
  if (b0 === 0x00 && b1 === 0x64 && b2 === 0xff && b3 === 0x9b) {
    if (zeros(4, 12)) return last();
    if (b4 === 0x00 && b5 === 0x01) return null;
  }
  if (b0 === 0x20 && b1 === 0x02) return new ipaddr.IPv4(bytes.slice(2, 6));
  if (b0 === 0x20 && b1 === 0x01 && b2 === 0x00 && b3 === 0x00) return null;
  return undefined;
}

function isPublicIpv4(address: ipaddr.IPv4): boolean {
  return address.range() === 'unicast' && !internal.check(address.toString(), 'ipv4');
}

/** Global unicast (2000::/3) outside every special-purpose block IANA lists. */
function isPublicIpv6(address: ipaddr.IPv6): boolean {
  const first = address.toByteArray()[0] ?? 0;
  return (first & 0xe0) === 0x20 && address.range() === 'unicast' && !internal.check(address.toNormalizedString(), 'ipv6');
}

/**
 * Whether an address is anything but globally routable: IPv4 in a special-purpose range, IPv6
 * outside global unicast, IPv4 embedded in IPv6 that is itself internal, or not an IP at all.
 */
export function isInternalAddress(ip: string): boolean {
  if (isIP(ip) === 0 || !ipaddr.isValid(ip)) return true;
  const address = ipaddr.parse(ip);
  if (address.kind() === 'ipv4') return !isPublicIpv4(address as ipaddr.IPv4);
  const v6 = address as ipaddr.IPv6;
  const embedded = embeddedIpv4(v6.toByteArray());
  if (embedded !== undefined) return embedded === null || !isPublicIpv4(embedded);
  return !isPublicIpv6(v6);
}

async function resolveAll(host: string): Promise<string[]> {
  return (await dnsLookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}

/** A host an adapter will connect to (an SMTP host, a base URL's host): every address it resolves to must be public. */
export async function checkHost(host: string, options: AddressCheckOptions): Promise<void> {
  if (options.allowPrivate) {
    if (host.replace(/^\[|\]$/g, '') === '') throw new BaseUrlError('BASE_URL_INVALID', 'the host is empty');
    return;
  }
  await resolveCheckedAddress(host, options);
}

/**
 * Resolves a host and checks every address like `checkHost`; returns the address to connect to,
 * so the connection goes where the check looked (no second DNS answer in between).
 * With `allowPrivate`, any address passes.
 */
export async function resolveCheckedAddress(host: string, options: AddressCheckOptions): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === '') throw new BaseUrlError('BASE_URL_INVALID', 'the host is empty');
  let addresses: string[];
  try {
    addresses = isIP(bare) ? [bare] : await (options.lookup ?? resolveAll)(bare);
  } catch {
    throw new BaseUrlError('BASE_URL_UNRESOLVABLE', 'the host does not resolve');
  }
  if (addresses.length === 0) throw new BaseUrlError('BASE_URL_UNRESOLVABLE', 'the host does not resolve');
  if (!options.allowPrivate && addresses.some(isInternalAddress)) {
    throw new BaseUrlError('BASE_URL_PRIVATE', 'the host resolves to a loopback or private address');
  }
  return addresses[0] as string;
}

export async function checkBaseUrl(value: string, options: AddressCheckOptions): Promise<URL> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BaseUrlError('BASE_URL_INVALID', 'the base URL is not a URL');
  }
  if (url.username || url.password) throw new BaseUrlError('BASE_URL_INVALID', 'the base URL must not carry credentials');
  if (url.search || url.hash) throw new BaseUrlError('BASE_URL_INVALID', 'the base URL must not carry a query or a fragment');
  if (url.protocol !== 'https:' && !(options.allowPrivate && url.protocol === 'http:')) {
    throw new BaseUrlError('BASE_URL_NOT_HTTPS', 'the base URL must use https');
  }
  await checkHost(url.hostname, options);
  return url;
}
