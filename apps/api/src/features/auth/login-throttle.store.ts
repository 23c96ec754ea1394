import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../../platform/errors.js';

export interface LoginThrottleSettings {
  /** Attempts that may be checked before the back-off starts. */
  freeAttempts: number;
  /** First back-off; doubles with each further failure ... */
  baseMs: number;
  /** ... up to this. */
  maxMs: number;
}

/** Attempts are forgotten this long after the last one (a success forgets them at once). */
const ATTEMPT_MEMORY_SECONDS = 24 * 60 * 60;

/**
 * KEYS[1] attempt counter, KEYS[2] lock. ARGV: free attempts, base ms, max ms, memory seconds.
 * Check and claim in one step, so concurrent attempts cannot all pass the check before any of
 * them is counted: while the lock holds, refuses (returns the lock's remaining ms as a negative
 * number); otherwise counts the attempt as a failure until it succeeds and, from the free-attempt
 * limit on, locks at once for the back-off this attempt earns if it fails,
 * base * 2^(attempts - free), capped — so the attempts racing it are refused. Returns 0 when the
 * attempt may be checked.
 */
const CLAIM_ATTEMPT = `
local locked = redis.call('PTTL', KEYS[2])
if locked > 0 then return -locked end
local attempts = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
local free = tonumber(ARGV[1])
if attempts < free then return 0 end
local ms = tonumber(ARGV[2]) * (2 ^ math.min(attempts - free, 40))
ms = math.min(ms, tonumber(ARGV[3]))
redis.call('SET', KEYS[2], '1', 'PX', math.floor(ms))
return 0
`;

/**
 * Admin logins throttled per (realm, identifier lowercased, client IP) with a growing back-off
 * (SPEC §6). Every attempt is claimed in Redis before its password is checked (check and count in
 * one script): it counts as a failure until it succeeds, and the attempt that reaches
 * `freeAttempts` starts the lock itself, so a burst of concurrent guesses gets at most that many
 * checked and the rest answer 429 RATE_LIMITED with Retry-After. Each further failure after a
 * lock ends doubles it. A success forgets the attempts. The identifier is stored only as a hash.
 * Redis unreachable → 503 (fail closed).
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly settings: LoginThrottleSettings,
  ) {}

  /** Claims one attempt; throws 429 RATE_LIMITED while this (identifier, IP) is locked. */
  async claim(scope: string, identifier: string, ip: string): Promise<void> {
    const { attempts, lock } = this.keys(scope, identifier, ip);
    const { freeAttempts, baseMs, maxMs } = this.settings;
    const result = Number(
      await this.redis.eval(CLAIM_ATTEMPT, 2, attempts, lock, freeAttempts, baseMs, maxMs, ATTEMPT_MEMORY_SECONDS).catch(unavailable),
    );
    if (result < 0) {
      const seconds = Math.ceil(-result / 1000);
      throw new AppError('RATE_LIMITED', {
        message: `Too many failed logins: try again in ${seconds} s`,
        headers: { 'retry-after': String(seconds) },
      });
    }
  }

  /** A claimed attempt succeeded: its (identifier, IP) starts afresh. */
  async succeed(scope: string, identifier: string, ip: string): Promise<void> {
    const { attempts, lock } = this.keys(scope, identifier, ip);
    await this.redis.del(attempts, lock).catch(unavailable);
  }

  private keys(scope: string, identifier: string, ip: string) {
    const id = createHash('sha256').update(`${scope}\n${identifier.toLowerCase()}\n${ip}`).digest('hex');
    // One hash tag per (scope, identifier, IP): both keys land in the same Redis Cluster slot.
    return { attempts: `orq:admin-login:{${id}}:failures`, lock: `orq:admin-login:{${id}}:lock` };
  }
}

function unavailable(): never {
  throw new AppError('UNAVAILABLE', { message: 'Temporarily unavailable: try again', headers: { 'retry-after': '1' } });
}
