import type { Redis } from 'ioredis';
import { AppError } from './errors.js';

/**
 * A fixed-window request counter in Redis for routes whose limits protect the service rather
 * than meter a tenant's quota (realtime tokens, inbox reads): `limit` requests per `windowSeconds`
 * per key. Keys carry a {hash tag} so a Redis Cluster keeps each counter on one node.
 * Over the limit → 429 RATE_LIMITED with Retry-After; Redis unreachable → 503 UNAVAILABLE.
 */
const SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

export interface RequestLimit {
  /** e.g. `realtime-token:{<tenantId>}` */
  key: string;
  limit: number;
  windowSeconds: number;
}

/** Counts one hit in the fixed window of `fullKey` (created on the first hit); the count so far and the window's ms left. */
export async function countInWindow(redis: Redis, fullKey: string, windowMs: number): Promise<[count: number, ttlMs: number]> {
  return (await redis.eval(SCRIPT, 1, fullKey, String(windowMs))) as [number, number];
}

export async function enforceRequestLimit(redis: Redis, { key, limit, windowSeconds }: RequestLimit): Promise<void> {
  let result: [number, number];
  try {
    result = await countInWindow(redis, `orq:limit:${key}`, windowSeconds * 1000);
  } catch {
    throw new AppError('UNAVAILABLE', { headers: { 'retry-after': '1' } });
  }
  const [count, ttlMs] = result;
  if (count > limit) {
    const retryAfter = String(Math.max(1, Math.ceil(ttlMs / 1000)));
    throw new AppError('RATE_LIMITED', {
      headers: { 'retry-after': retryAfter, 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0', 'ratelimit-reset': retryAfter },
    });
  }
}
