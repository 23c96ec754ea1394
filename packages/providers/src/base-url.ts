import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

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
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d, ::ffff:7f00:1) or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(ip: string): string | undefined {
  const lower = ip.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex?.[1] || !hex[2]) return undefined;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export function isInternalAddress(ip: string): boolean {
  const v4 = embeddedIpv4(ip);
  if (v4) return isInternalAddress(v4);
  const family = isIP(ip);
  if (family === 0) return true;
  return internal.check(ip, family === 4 ? 'ipv4' : 'ipv6');
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
