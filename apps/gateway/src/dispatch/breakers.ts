import type { BreakerSnapshot, BreakerStateName } from '@orqestra/contracts';

/**
 * Circuit breakers per provider config (SPEC §3), kept per gateway process: opened by consecutive
 * failures or at once by a provider-level permanent failure; after the cool-down one trial call is
 * let through (half-open) and its verdict closes or re-opens the breaker.
 *
 * Every call holds a permit, and every permit is settled with a verdict, whatever the call's
 * outcome: a trial that is never settled would leave the breaker half-open, refusing every call,
 * for the life of the process. A trial also has a deadline: one that has not reported back by then
 * counts as failed. Each state change starts a new generation; the verdict of a permit from an
 * earlier generation (a slow call that started before the breaker opened) changes nothing.
 */
export type BreakerVerdict =
  /** The vendor answered: sent, or it refused this one message. Closes; resets the count. */
  | 'success'
  /** A retryable failure or no answer in time (5xx, connection refused, timeout). Counts; re-opens a trial. */
  | 'failure'
  /** A provider-level permanent failure (bad credentials, suspended account). Opens at once. */
  | 'fatal'
  /** Nothing learnt about the vendor's health (it throttled us, or no call was made). Ends a trial without a verdict. */
  | 'neutral';

export interface BreakerPermit {
  readonly key: string;
  readonly generation: number;
  readonly trial: boolean;
}

type State = { kind: 'closed'; failures: number } | { kind: 'open'; until: number } | { kind: 'half-open'; trialUntil: number | undefined };

interface Breaker {
  state: State;
  generation: number;
  since: number;
  lastError?: { code: string; message: string; at: number };
}

export interface BreakerSettings {
  threshold: number;
  cooldownMs: number;
  /** How long a half-open trial may take before it counts as failed. */
  trialTimeoutMs: number;
}

export class Breakers {
  private readonly breakers = new Map<string, Breaker>();

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
    /** Told of every state change and every recorded error (metrics, the report to Redis). */
    private readonly onChange: (key: string, snapshot: BreakerSnapshot) => void = () => {},
  ) {}

  /** A permit to call this provider now, or undefined while its breaker refuses calls. */
  acquire(key: string): BreakerPermit | undefined {
    const breaker = this.breakers.get(key);
    if (!breaker) return { key, generation: 0, trial: false };
    const { state } = breaker;
    const now = this.now();
    if (state.kind === 'closed') return { key, generation: breaker.generation, trial: false };
    if (state.kind === 'open') {
      if (now < state.until) return undefined;
      return this.startTrial(key, breaker, now);
    }
    if (state.trialUntil === undefined) return this.startTrial(key, breaker, now);
    if (now < state.trialUntil) return undefined;
    // The trial did not report back in time: it failed, and the cool-down starts again.
    this.transition(key, breaker, { kind: 'open', until: now + this.settings.cooldownMs });
    return undefined;
  }

  /** Reports how the permitted call went. Stale permits (an earlier generation) change nothing. */
  settle(permit: BreakerPermit, verdict: BreakerVerdict, error?: { code: string; message: string }): void {
    const now = this.now();
    const failed = verdict === 'failure' || verdict === 'fatal';
    const breaker = this.breakers.get(permit.key) ?? (failed ? this.create(permit.key, now) : undefined);
    if (!breaker) return;
    if (failed && error) breaker.lastError = { ...error, at: now };
    if (permit.generation !== breaker.generation) {
      if (failed && error) this.report(permit.key, breaker);
      return;
    }
    const { state } = breaker;
    if (verdict === 'neutral') {
      if (state.kind === 'half-open' && permit.trial) this.transition(permit.key, breaker, { kind: 'half-open', trialUntil: undefined });
      return;
    }
    if (verdict === 'success') {
      if (state.kind !== 'closed') this.transition(permit.key, breaker, { kind: 'closed', failures: 0 });
      else if (state.failures > 0) {
        state.failures = 0;
        this.report(permit.key, breaker);
      }
      return;
    }
    const failures = state.kind === 'closed' ? state.failures + 1 : this.settings.threshold;
    if (verdict === 'fatal' || state.kind !== 'closed' || failures >= this.settings.threshold) {
      this.transition(permit.key, breaker, { kind: 'open', until: now + this.settings.cooldownMs });
    } else {
      state.failures = failures;
      this.report(permit.key, breaker);
    }
  }

  /**
   * How long until this provider may take a call again: 0 when it may now; for an open breaker, the
   * rest of its cool-down; while a trial runs, until it reports (at most one cool-down).
   */
  waitMs(key: string): number {
    const state = this.breakers.get(key)?.state;
    const now = this.now();
    if (state?.kind === 'open') return Math.max(0, state.until - now);
    if (state?.kind === 'half-open' && state.trialUntil !== undefined)
      return Math.max(0, Math.min(state.trialUntil - now, this.settings.cooldownMs));
    return 0;
  }

  state(key: string): BreakerStateName {
    return this.breakers.get(key)?.state.kind ?? 'closed';
  }

  snapshot(key: string): BreakerSnapshot {
    const breaker = this.breakers.get(key);
    if (!breaker) return { state: 'closed', since: new Date(0).toISOString(), failures: 0, updatedAt: new Date(this.now()).toISOString() };
    return snapshotOf(breaker, this.now());
  }

  /** Every provider this process has a breaker for. */
  keys(): string[] {
    return [...this.breakers.keys()];
  }

  private startTrial(key: string, breaker: Breaker, now: number): BreakerPermit {
    this.transition(key, breaker, { kind: 'half-open', trialUntil: now + this.settings.trialTimeoutMs });
    return { key, generation: breaker.generation, trial: true };
  }

  private create(key: string, now: number): Breaker {
    const breaker: Breaker = { state: { kind: 'closed', failures: 0 }, generation: 0, since: now };
    this.breakers.set(key, breaker);
    return breaker;
  }

  private transition(key: string, breaker: Breaker, state: State): void {
    breaker.state = state;
    breaker.generation++;
    breaker.since = this.now();
    this.report(key, breaker);
  }

  private report(key: string, breaker: Breaker): void {
    this.onChange(key, snapshotOf(breaker, this.now()));
  }
}

function snapshotOf(breaker: Breaker, now: number): BreakerSnapshot {
  const { state } = breaker;
  return {
    state: state.kind,
    since: new Date(breaker.since).toISOString(),
    ...(state.kind === 'open' ? { openUntil: new Date(state.until).toISOString() } : {}),
    failures: state.kind === 'closed' ? state.failures : 0,
    ...(breaker.lastError
      ? {
          lastError: {
            code: breaker.lastError.code,
            message: breaker.lastError.message.slice(0, 500),
            at: new Date(breaker.lastError.at).toISOString(),
          },
        }
      : {}),
    updatedAt: new Date(now).toISOString(),
  };
}
