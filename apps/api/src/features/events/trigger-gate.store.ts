import { hash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Mode } from '@orqestra/contracts';
import { ACQUIRE, COMPLETE, RELEASE } from './trigger-gate.lua.js';

export interface GateLimits {
  perMinute: number;
  burst: number;
  dailyCap: number;
}

/** The per-minute policy as RateLimit-* headers describe it (SPEC §2.1). */
export interface RateState {
  limit: number;
  remaining: number;
  /** Seconds until the next request would be allowed (0 when one is allowed now). */
  resetSeconds: number;
}

export type GateDecision =
  | { kind: 'accepted'; rate: RateState; reservation: Reservation }
  | { kind: 'replay'; response: string }
  | { kind: 'reused' }
  | { kind: 'in_progress' }
  | { kind: 'limited'; window: 'minute' | 'day'; rate: RateState };

export interface Reservation {
  keys: [string, string, string];
  token: string;
  bodyHash: string;
  perMinute: number;
  charged: boolean;
}

type GateRedis = Redis & {
  orqAcquire(k1: string, k2: string, k3: string, ...args: string[]): Promise<string[]>;
  orqComplete(k1: string, ...args: string[]): Promise<number>;
  orqRelease(k1: string, k2: string, k3: string, ...args: string[]): Promise<number>;
};

/**
 * Idempotency and rate limits of the trigger path, in Redis (SPEC §2.1). A keyed request costs two
 * round trips when it succeeds (acquire, then complete); an unkeyed one costs one. A failed
 * publish costs one more (release), which gives the quota back.
 */
export class TriggerGateStore {
  private readonly redis: GateRedis;

  constructor(
    redis: Redis,
    private readonly settings: { windowSeconds: number; reservationSeconds: number },
  ) {
    redis.defineCommand('orqAcquire', { numberOfKeys: 3, lua: ACQUIRE });
    redis.defineCommand('orqComplete', { numberOfKeys: 1, lua: COMPLETE });
    redis.defineCommand('orqRelease', { numberOfKeys: 3, lua: RELEASE });
    this.redis = redis as GateRedis;
  }

  /**
   * `idempotency` is the client's key (`X-Idempotency-Key`, else the eventId it chose), with the
   * canonical hash of the body; absent for a request that asked for no deduplication.
   */
  async acquire(input: {
    tenantId: string;
    mode: Mode;
    limits: GateLimits;
    idempotency?: { key: string; bodyHash: string };
    now: Date;
    /** false: only the idempotency record, no quota (a bulk call's own record). */
    charge?: boolean;
  }): Promise<GateDecision> {
    const charge = input.charge ?? true;
    const { tenantId, mode, limits, now } = input;
    const { rate, day, dayResetMs, prefix } = quotaKeys(tenantId, mode, now);
    const keys: [string, string, string] = [rate, day, input.idempotency ? `${prefix}:idem:${sha256(input.idempotency.key)}` : ''];
    const token = randomUUID();
    const bodyHash = input.idempotency?.bodyHash ?? '';
    const reply = await this.redis.orqAcquire(
      ...keys,
      String(now.getTime()),
      String(limits.perMinute),
      String(limits.burst),
      String(limits.dailyCap),
      String(dayResetMs),
      bodyHash,
      String(this.settings.reservationSeconds * 1000),
      token,
      charge ? '1' : '0',
    );
    const [kind, a, b, c] = reply;
    switch (kind) {
      case 'reused':
        return { kind: 'reused' };
      case 'in_progress':
        return { kind: 'in_progress' };
      case 'replay':
        return { kind: 'replay', response: a ?? '{}' };
      case 'limited':
        return {
          kind: 'limited',
          window: a === 'day' ? 'day' : 'minute',
          rate: { limit: limits.perMinute, remaining: Number(c ?? 0), resetSeconds: Math.max(1, Math.ceil(Number(b) / 1000)) },
        };
      default:
        return {
          kind: 'accepted',
          rate: { limit: limits.perMinute, remaining: Number(a), resetSeconds: Math.ceil(Number(b) / 1000) },
          reservation: { keys, token, bodyHash, perMinute: limits.perMinute, charged: charge },
        };
    }
  }

  /** The event was published: later repeats within the window get `response` back. */
  async complete(reservation: Reservation, response: string): Promise<void> {
    if (!reservation.keys[2]) return;
    await this.redis.orqComplete(
      reservation.keys[2],
      reservation.token,
      reservation.bodyHash,
      response,
      String(this.settings.windowSeconds * 1000),
    );
  }

  /** The publish failed: free the reservation and refund the quota. */
  async release(reservation: Reservation): Promise<void> {
    await this.redis.orqRelease(...reservation.keys, String(reservation.perMinute), reservation.token, reservation.charged ? '1' : '0');
  }
}

function sha256(value: string): string {
  return hash('sha256', value, 'hex');
}

/**
 * Where a tenant's quota lives in Redis for a mode: the GCRA state and today's (UTC) counter, with
 * the milliseconds until that counter rolls over. The usage endpoint reads the same keys.
 */
export function quotaKeys(tenantId: string, mode: string, now: Date) {
  const prefix = `orq:{${tenantId}}:${mode}`;
  return {
    prefix,
    rate: `${prefix}:rate`,
    day: `${prefix}:day:${now.toISOString().slice(0, 10).replaceAll('-', '')}`,
    dayResetMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime(),
  };
}
