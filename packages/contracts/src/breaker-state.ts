import { z } from 'zod';

/**
 * Circuit breakers live in each gateway process (SPEC §3). Each gateway reports the breaker of
 * every provider config it has called to Redis, so that the admin API can show what the gateways
 * see: one hash per provider config, one field per gateway instance, the value a JSON snapshot.
 * The key expires a day after its last write; a snapshot older than a few minutes is stale
 * (that gateway stopped or no longer calls this provider).
 */
export const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;
export type BreakerStateName = (typeof BREAKER_STATES)[number];

export const breakerSnapshotSchema = z.object({
  state: z.enum(BREAKER_STATES),
  /** When the breaker entered this state. */
  since: z.string().datetime(),
  /** Until when an open breaker refuses calls (then one trial call is let through). */
  openUntil: z.string().datetime().optional(),
  /** Consecutive retryable failures counted while closed. */
  failures: z.number().int().nonnegative(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string().datetime() }).optional(),
  /** When this gateway last wrote the snapshot. */
  updatedAt: z.string().datetime(),
});
export type BreakerSnapshot = z.infer<typeof breakerSnapshotSchema>;

/** Seconds a breaker hash lives after its last write. */
export const BREAKER_STATE_TTL_SECONDS = 86_400;

/** Redis key of a provider config's breaker hash (field: gateway instance id, value: JSON BreakerSnapshot). */
export function breakerStateKey(providerConfigId: string): string {
  return `orq:breaker:${providerConfigId}`;
}
