import type { FastifyRequest } from 'fastify';

/**
 * The client's address as configuration says to trust it (SPEC §7): with 0 trusted proxy hops the
 * socket's peer; with n hops the n-th address from the right of X-Forwarded-For (each trusted
 * proxy appends the address it saw), falling back to the peer when the header is shorter.
 * A header sent by the client itself is never believed beyond the configured hops.
 */
export function clientIp(request: FastifyRequest, trustedProxyHops: number): string {
  const peer = normalise(request.socket.remoteAddress ?? '');
  if (trustedProxyHops === 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const candidate = chain[chain.length - trustedProxyHops];
  return candidate ? normalise(candidate) : peer;
}

/** IPv4-mapped IPv6 (::ffff:1.2.3.4) as plain IPv4, so one client has one spelling. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
