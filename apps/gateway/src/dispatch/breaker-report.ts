import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BREAKER_STATE_TTL_SECONDS, BREAKER_STATES, breakerStateKey, type BreakerSnapshot } from '@orqestra/contracts';
import { isUuid } from '@orqestra/db';
import type { GatewayMetrics } from './metrics.js';

/**
 * Makes this gateway's breakers visible outside the process: as metrics (one gauge per state) and
 * in Redis for the admin API (packages/contracts breaker-state: one hash per provider config, one
 * field per gateway). Snapshots are written on every change and refreshed periodically, so a
 * reader can tell a live gateway's view from a stale one. Redis being away never affects sending.
 */
export class BreakerReport {
  readonly instanceId = `${hostname()}:${process.pid}`;
  private readonly latest = new Map<string, BreakerSnapshot>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { redis: Redis; metrics: GatewayMetrics; logger: Logger; refreshMs?: number }) {}

  /** Breakers' onChange: records the snapshot in the metrics and Redis. */
  readonly changed = (key: string, snapshot: BreakerSnapshot): void => {
    const previous = this.latest.get(key);
    this.latest.set(key, snapshot);
    for (const state of BREAKER_STATES) this.deps.metrics.breakerState.set({ breaker: key, state }, state === snapshot.state ? 1 : 0);
    if (previous?.state !== snapshot.state && (previous || snapshot.state !== 'closed'))
      this.deps.metrics.breakerTransitions.inc({ to: snapshot.state });
    void this.write([[key, snapshot]]);
  };

  start(): void {
    this.timer = setInterval(() => {
      const now = new Date().toISOString();
      void this.write([...this.latest].map(([key, snapshot]) => [key, { ...snapshot, updatedAt: now }]));
    }, this.deps.refreshMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async write(entries: [string, BreakerSnapshot][]): Promise<void> {
    // Built-in providers (push, capture) have no provider config to show them under.
    const configs = entries.filter(([key]) => isUuid(key));
    if (configs.length === 0) return;
    const pipeline = this.deps.redis.pipeline();
    for (const [key, snapshot] of configs) {
      pipeline.hset(breakerStateKey(key), this.instanceId, JSON.stringify(snapshot));
      pipeline.expire(breakerStateKey(key), BREAKER_STATE_TTL_SECONDS);
    }
    await pipeline.exec().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not report breaker state to Redis'));
  }
}
