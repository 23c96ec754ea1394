import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of a presented secret with ours (digests make the lengths equal). */
function sameSecret(presented: string, secret: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(secret));
}

/**
 * The X-Forwarded-For the console sends to the API: whatever the request carried (a proxy in front of
 * the console, or the client itself: neither can be told apart here) with the address of the console's
 * own TCP peer appended, as every proxy does. The API believes only the last `TRUSTED_PROXY_HOPS`
 * entries (docs/admin-api.md), so with the console counted as one hop it reads the peer the console
 * saw, never an address a browser wrote into the header itself. Passing the header on unchanged let a
 * client choose the address the API's login throttle and audit log see.
 *
 * `peer` is null when the console does not know it: then nothing is forwarded and the API sees the
 * console as the client, the safe reading, instead of an address nobody vouched for.
 */
export function forwardedFor(received: string | null, peer: string | null): string | null {
  if (!peer) return null;
  const chain = (received ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return [...chain, peer].join(', ');
}

/**
 * The value of a stamp `<secret>;<value>` written by the console's own server (src/peer-address.ts),
 * or null when the stamp is missing or was not written with this process's secret (a client can send
 * any header, including this one).
 */
export function stampedValue(stamp: string | null, secret: string | undefined): string | null {
  if (!stamp || !secret) return null;
  const separator = stamp.indexOf(';');
  if (separator < 0 || !sameSecret(stamp.slice(0, separator), secret)) return null;
  return stamp.slice(separator + 1) || null;
}
