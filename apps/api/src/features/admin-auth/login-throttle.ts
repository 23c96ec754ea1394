import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../../platform/errors.js';

export interface LoginThrottleSettings {
  /** Failures allowed before the back-off starts. */
  freeAttempts: number;
  /** First back-off; doubles with each further failure ... */
  baseMs: number;
  /** ... up to this. */
  maxMs: number;
}

/** Failures are forgotten this long after the last one (a success forgets them at once). */
const FAILURE_MEMORY_SECONDS = 24 * 60 * 60;

/**
 * KEYS[1] failure counter, KEYS[2] lock. ARGV: free attempts, base ms, max ms, memory seconds.
 * Counts one failure and, from the free-attempt limit on, locks for base * 2^(failures - free),
 * capped. Returns the lock in ms (0 = none yet).
 */
const RECORD_FAILURE = `
local failures = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
local free = tonumber(ARGV[1])
if failures < free then return 0 end
local ms = tonumber(ARGV[2]) * (2 ^ math.min(failures - free, 40))
ms = math.min(ms, tonumber(ARGV[3]))
redis.call('SET', KEYS[2], '1', 'PX', math.floor(ms))
return math.floor(ms)
`;

/**
 * Failed admin logins throttled per (realm, identifier lowercased, client IP) with a growing
 * back-off (SPEC §6): after `freeAttempts` failures every attempt is refused with 429
 * RATE_LIMITED and Retry-After until the lock ends; each further failure doubles the lock.
 * The identifier is stored only as a hash. Redis unreachable → 503 (fail closed).
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly settings: LoginThrottleSettings,
  ) {}

  /** Throws 429 RATE_LIMITED while this (identifier, IP) is locked. */
  async check(scope: string, identifier: string, ip: string): Promise<void> {
    const { lock } = this.keys(scope, identifier, ip);
    const ms = await this.redis.pttl(lock).catch(unavailable);
    if (ms > 0) {
      const seconds = Math.ceil(ms / 1000);
      throw new AppError('RATE_LIMITED', { message: `Too many failed logins: try again in ${seconds} s`, headers: { 'retry-after': String(seconds) } });
    }
  }

  /** Records a failure; returns the lock it started in ms (0 = none). */
  async fail(scope: string, identifier: string, ip: string): Promise<number> {
    const { failures, lock } = this.keys(scope, identifier, ip);
    const { freeAttempts, baseMs, maxMs } = this.settings;
    const result = await this.redis.eval(RECORD_FAILURE, 2, failures, lock, freeAttempts, baseMs, maxMs, FAILURE_MEMORY_SECONDS).catch(unavailable);
    return Number(result);
  }

  async succeed(scope: string, identifier: string, ip: string): Promise<void> {
    const { failures, lock } = this.keys(scope, identifier, ip);
    await this.redis.del(failures, lock).catch(unavailable);
  }

  private keys(scope: string, identifier: string, ip: string) {
    const id = createHash('sha256').update(`${scope}\n${identifier.toLowerCase()}\n${ip}`).digest('hex');
    // One hash tag per (scope, identifier, IP): both keys land in the same Redis Cluster slot.
    return { failures: `orq:admin-login:{${id}}:failures`, lock: `orq:admin-login:{${id}}:lock` };
  }
}

function unavailable(): never {
  throw new AppError('UNAVAILABLE', { message: 'Temporarily unavailable: try again', headers: { 'retry-after': '1' } });
}
