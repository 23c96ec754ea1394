import type { Redis } from 'ioredis';

/**
 * Send-rate limits per provider config, shared by every gateway through Redis (SPEC §5: vendors
 * throttle, e.g. Resend's few requests per second per team). GCRA with a burst of one second's
 * worth. A short wait is reserved and slept; a longer one defers the message (not a retry).
 */
const SCRIPT = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local max_wait = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - interval * (burst - 1) - now
if wait < 0 then wait = 0 end
if wait > max_wait then return {0, math.ceil(wait)} end
local new_tat = tat + interval
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil(new_tat - now) + 1000)
return {1, math.ceil(wait)}
`;

type RateRedis = Redis & { orqSendRate(key: string, ...args: string[]): Promise<[number, number]> };

export class SendRateLimiter {
  private readonly redis: RateRedis;

  /** @param maxWaitMs the longest wait slept; a longer one defers the message (SEND_RATE_MAX_WAIT_MS). */
  constructor(
    redis: Redis,
    private readonly maxWaitMs: number,
  ) {
    redis.defineCommand('orqSendRate', { numberOfKeys: 1, lua: SCRIPT });
    this.redis = redis as RateRedis;
  }

  /** `{ go: true }` after any short wait; `{ go: false, waitMs }` when the message should come back later. */
  async acquire(tenantId: string, configId: string, perSecond: number): Promise<{ go: true } | { go: false; waitMs: number }> {
    const [reserved, waitMs] = await this.redis.orqSendRate(
      `orq:{${tenantId}}:sendrate:${configId}`,
      String(Date.now()),
      String(1000 / perSecond),
      String(Math.max(1, Math.ceil(perSecond))),
      String(this.maxWaitMs),
    );
    if (!reserved) return { go: false, waitMs };
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    return { go: true };
  }
}
