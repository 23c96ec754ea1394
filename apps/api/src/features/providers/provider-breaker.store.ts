import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { breakerSnapshotSchema, breakerStateKey, type BreakerSnapshot, type BreakerStateName } from '@orqestra/contracts';
import { AppError } from '../../platform/errors.js';
import { CLOCK, REDIS, type Clock } from '../../platform/tokens.js';

/** A gateway's report older than this is ignored: that gateway stopped, or no longer calls this provider. */
export const BREAKER_SNAPSHOT_FRESH_MS = 5 * 60_000;

/** One gateway's fresh report about one provider config. */
export type GatewayBreaker = BreakerSnapshot & { gatewayId: string };

/**
 * A provider config's circuit breaker as the gateways see it (breakers live in each gateway
 * process). `state` is the worst fresh state across gateways (open, then half-open, then
 * closed); `unknown` when no gateway reported in the last five minutes (never called, or no
 * gateway running). `since`/`openUntil` are those of the gateway with the worst state;
 * `lastError` is the most recent error any fresh gateway reported.
 */
export interface ProviderBreakerView {
  state: BreakerStateName | 'unknown';
  since: string | null;
  openUntil: string | null;
  lastError: BreakerSnapshot['lastError'] | null;
  gateways: GatewayBreaker[];
}

const SEVERITY: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * Reads the breaker snapshots the gateways write to Redis (packages/contracts breaker-state.ts:
 * one hash per provider config, one field per gateway instance). Redis unreachable → 503
 * UNAVAILABLE (the admin guard needs Redis too).
 */
@Injectable()
export class ProviderBreakerStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async of(providerConfigIds: readonly string[]): Promise<Map<string, ProviderBreakerView>> {
    const views = new Map<string, ProviderBreakerView>();
    if (providerConfigIds.length === 0) return views;
    // One round trip for the page. Redis unreachable: as the admin guard does, a retryable 503, never a made-up state.
    const pipeline = this.redis.pipeline();
    for (const id of providerConfigIds) pipeline.hgetall(breakerStateKey(id));
    const answers = await pipeline.exec().catch(() => null);
    if (!answers || answers.some(([error]) => error)) {
      throw new AppError('UNAVAILABLE', { message: 'Temporarily unavailable: try again', headers: { 'retry-after': '1' } });
    }
    const hashes = answers.map(([, hash]) => (hash ?? {}) as Record<string, string>);
    const now = this.clock.now().getTime();
    providerConfigIds.forEach((id, index) => views.set(id, summarise(hashes[index] ?? {}, now)));
    return views;
  }
}

/** The view of one config's hash (pure, for the unit test): fresh, valid snapshots only. */
export function summarise(hash: Record<string, string>, nowMs: number): ProviderBreakerView {
  const gateways: GatewayBreaker[] = [];
  for (const [gatewayId, raw] of Object.entries(hash)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    const snapshot = breakerSnapshotSchema.safeParse(parsed);
    if (!snapshot.success) continue;
    if (nowMs - Date.parse(snapshot.data.updatedAt) > BREAKER_SNAPSHOT_FRESH_MS) continue;
    gateways.push({ gatewayId, ...snapshot.data });
  }
  gateways.sort((a, b) => SEVERITY[b.state] - SEVERITY[a.state] || a.gatewayId.localeCompare(b.gatewayId));
  const worst = gateways[0];
  if (!worst) return { state: 'unknown', since: null, openUntil: null, lastError: null, gateways };
  const lastError = gateways
    .map((g) => g.lastError)
    .filter((e): e is NonNullable<BreakerSnapshot['lastError']> => e !== undefined)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  return { state: worst.state, since: worst.since, openUntil: worst.openUntil ?? null, lastError: lastError ?? null, gateways };
}
