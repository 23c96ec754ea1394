import { BlockList, isIP } from 'node:net';

/**
 * The widest block a sandbox key may be bound to, per family: one organisation's network (a /16
 * of IPv4, a /48 IPv6 site), never a share of the internet (issue 13: `0.0.0.0/1` bound nothing).
 */
export const WIDEST_PREFIX = { 4: 16, 6: 48 } as const;

/**
 * The address a sandbox key is bound to (SPEC §7): one IPv4/IPv6 address or a CIDR block no
 * wider than WIDEST_PREFIX. Returns the canonical spelling (IPv6 lowercased, IPv4-mapped IPv6 as
 * IPv4, a /32 or /128 block as a plain address), or null when the value is neither.
 */
export function parseAllowedIp(value: string): string | null {
  const [address = '', prefix, extra] = value.trim().split('/');
  if (extra !== undefined) return null;
  const ip = canonicalAddress(address);
  if (!ip) return null;
  if (prefix === undefined) return ip;
  if (!/^\d{1,3}$/.test(prefix)) return null;
  const bits = Number(prefix);
  const family = isIP(ip) === 4 ? 4 : 6;
  const max = family === 4 ? 32 : 128;
  if (bits < WIDEST_PREFIX[family] || bits > max) return null;
  return bits === max ? ip : `${ip}/${bits}`;
}

/** Whether `ip` (the client address as clientIp() gives it) lies within the bound address or block. */
export function ipAllowed(allowed: string, ip: string): boolean {
  const client = canonicalAddress(ip);
  if (!client) return false;
  const [address = '', prefix] = allowed.split('/');
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (isIP(client) !== isIP(address)) return false;
  const list = new BlockList();
  if (prefix === undefined) list.addAddress(address, family);
  else list.addSubnet(address, Number(prefix), family);
  return list.check(client, family);
}

function canonicalAddress(address: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const candidate = mapped?.[1] ?? address;
  const family = isIP(candidate);
  if (family === 0) return null;
  return family === 6 ? candidate.toLowerCase() : candidate;
}
