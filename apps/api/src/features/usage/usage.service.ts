import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { withOperator, withTenant, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { CLOCK, DATABASE, REDIS, type Clock } from '../../platform/tokens.js';
import { type Actor, inOwnTenant, tenantOf } from '../../platform/auth/actor.js';
import { quotaKeys } from '../events/trigger-gate.store.js';
import {
  eventsReceived,
  liveNotificationCounts,
  tenantQuota,
  tenantsByStatus,
  waitingDeadLetters,
  type Granularity,
  type UsageWindow,
} from './usage.repository.js';

/** Buckets per answer are bounded: hourly over at most 31 days, daily over at most 400. */
const MAX_RANGE_MS: Record<Granularity, number> = { hour: 31 * 86_400_000, day: 400 * 86_400_000 };

export interface UsageRange {
  from?: Date;
  to?: Date;
  granularity: Granularity;
}

/**
 * Usage (SPEC §6): notifications per hour or day by channel and status, from the logs; and the
 * current rate-limit usage, read (never written) from the Redis keys the trigger gate keeps:
 * the GCRA bucket's theoretical arrival time and today's counter (UTC day).
 */
@Injectable()
export class UsageService {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async tenantStats(actor: Actor, range: UsageRange) {
    const window = this.window(range);
    return inOwnTenant(this.database, actor, (tx) => this.stats(tx, window, tx.tenantId));
  }

  async platformStats(actor: Actor, range: UsageRange) {
    const window = this.window(range);
    return withOperator(this.database, actor.id, async (tx) => {
      const usage = await this.stats(tx, window);
      const tenants = await tenantsByStatus(tx);
      const deadLettersWaiting = await waitingDeadLetters(tx);
      const eventsInRange = await eventsReceived(tx, window);
      return {
        ...usage,
        tenants: Object.fromEntries(tenants.map((t) => [t.status, Number(t.n)])),
        eventsInRange,
        deadLettersWaiting,
      };
    });
  }

  async rateLimit(actor: Actor) {
    const tenantId = tenantOf(actor);
    const tenant = await withTenant(this.database, { tenantId, actorType: 'tenant_admin', actorId: actor.id }, (tx) => tenantQuota(tx));
    const now = this.clock.now();
    const keys = quotaKeys(tenantId, 'live', now);
    let tatValue: string | null | undefined;
    let usedValue: string | null | undefined;
    try {
      [tatValue, usedValue] = await this.redis.mget(keys.rate, keys.day);
    } catch {
      throw new AppError('UNAVAILABLE');
    }
    // GCRA (trigger-gate.lua): one request every `interval` ms, `burst` at once; a request is allowed
    // while tat - now <= tau. Requests allowed right now = floor((now + tau - max(tat, now)) / interval) + 1.
    const perMinute = tenant.rate_limit_per_minute;
    const interval = 60_000 / perMinute;
    const capacity = Math.max(tenant.burst, 1);
    const tau = interval * (capacity - 1);
    const t = now.getTime();
    const tat = Math.max(Number(tatValue ?? t), t);
    const remaining = Math.max(0, Math.min(capacity, Math.floor((t + tau - tat) / interval) + 1));
    const resetSeconds = remaining > 0 ? 0 : Math.ceil((tat - tau - t) / 1000);
    const usedToday = Number(usedValue ?? 0);
    return {
      perMinute: { limit: perMinute, burst: tenant.burst, remaining, resetSeconds },
      daily: {
        cap: tenant.daily_cap,
        used: usedToday,
        remaining: Math.max(0, tenant.daily_cap - usedToday),
        resetsAt: new Date(now.getTime() + keys.dayResetMs).toISOString(),
      },
      at: now.toISOString(),
    };
  }

  private window(range: UsageRange): UsageWindow {
    const to = range.to ?? this.clock.now();
    const from = range.from ?? new Date(to.getTime() - (range.granularity === 'hour' ? 86_400_000 : 30 * 86_400_000));
    if (from.getTime() >= to.getTime())
      throw new AppError('VALIDATION_FAILED', { details: [{ path: 'query.from', message: 'must be before to' }] });
    if (to.getTime() - from.getTime() > MAX_RANGE_MS[range.granularity]) {
      throw new AppError('VALIDATION_FAILED', {
        details: [
          {
            path: 'query.from',
            message: `the range may span at most ${range.granularity === 'hour' ? '31 days hourly' : '400 days daily'}`,
          },
        ],
      });
    }
    return { from, to, granularity: range.granularity };
  }

  private async stats(tx: TenantTx | OperatorTx, window: UsageWindow, tenantId?: string) {
    const rows = await liveNotificationCounts(tx, window, tenantId);
    const byStatus: Record<string, number> = {};
    const byChannel: Record<string, number> = {};
    const buckets = rows.map((r) => {
      const count = Number(r.n);
      byStatus[r.status] = (byStatus[r.status] ?? 0) + count;
      byChannel[r.channel] = (byChannel[r.channel] ?? 0) + count;
      return { start: r.bucket, channel: r.channel, status: r.status, count };
    });
    return {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      granularity: window.granularity,
      buckets,
      totals: { byStatus, byChannel },
    };
  }
}
