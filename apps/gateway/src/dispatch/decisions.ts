import { isThrottledCode, type DeliveryCode } from '@orqestra/contracts';
import type { AttemptRecord } from '@orqestra/db';
import type { Outcome } from '@orqestra/providers';
import { nextRetry, type RetryDecision, type RetrySchedule } from '../retry/retry-policy.js';
import type { BreakerVerdict } from './breakers.js';

/**
 * The gateway's decisions, as pure functions of what happened (SPEC §3 step 3): which providers
 * to try and in what order, what a call's outcome means for the attempt (done, or on to the next
 * provider), which code ends it, retry or fail, and what the outcome says about the vendor's
 * health. The dispatcher does the I/O (claim, calls, writes, publishes) and asks these. Unit
 * tests: decisions.spec.ts.
 */

/** What the decisions need to know of a provider. */
export interface Candidate {
  /** provider_configs.id, or null for built-in providers (push, capture). */
  configId: string | null;
  provider: string;
  /** The vendor deduplicates on our idempotency key: retrying an ambiguous send cannot duplicate it. */
  idempotent: boolean;
}

/** What ended an attempt, in the log's terms. */
export type Ending<P extends Candidate = Candidate> =
  | { kind: 'sent'; provider: P; vendorMessageId?: string }
  | { kind: 'retry'; code: string; message: string; vendorDelayMs?: number; throttled: boolean; tried: string[] }
  | { kind: 'fail'; code: string; message: string; provider?: P };

export type RetryEnding = Extract<Ending, { kind: 'retry' }>;
export type FailEnding<P extends Candidate = Candidate> = Extract<Ending<P>, { kind: 'fail' }>;

/** The key of a provider's breaker, send-rate limit and `triedProviderIds` entry. */
export function providerKey(provider: Candidate): string {
  return provider.configId ?? provider.provider;
}

/**
 * Which providers to try, by priority. After a send that may have happened, the series stays with
 * that provider config: never fail over once a vendor may have the message. A config removed or
 * disabled meanwhile leaves nothing to stick to.
 */
export function candidatesFor<P extends Candidate>(providers: readonly P[], stickTo: string | undefined): P[] {
  const same = stickTo ? providers.filter((p) => p.configId === stickTo) : [];
  return same.length > 0 ? same : [...providers];
}

/** The walk over the candidates: who was called, and what ends the attempt if no one sends. */
export interface Walk<P extends Candidate = Candidate> {
  readonly tried: readonly string[];
  readonly last: Ending<P>;
  /** A provider that may work again later wins over a later provider that never will. */
  readonly retryLater?: Ending<P>;
}

export function startWalk<P extends Candidate>(channel: string): Walk<P> {
  const code: DeliveryCode = 'NO_PROVIDER';
  return { tried: [], last: { kind: 'fail', code, message: `no enabled provider for ${channel}` } };
}

/** A provider whose breaker let the call through is about to be called. */
export function calling<P extends Candidate>(walk: Walk<P>, provider: P): Walk<P> {
  return { ...walk, tried: [...walk.tried, providerKey(provider)] };
}

/**
 * What a call's outcome means: the attempt is done (`done`), or the next provider takes it
 * (`next`). Fails over only on clear failures, never after a send that may have happened.
 */
export function afterOutcome<P extends Candidate>(
  walk: Walk<P>,
  provider: P,
  outcome: Outcome,
  ambiguousPolicy: 'retry' | 'fail',
): { done: Ending<P> } | { next: Walk<P> } {
  switch (outcome.kind) {
    case 'sent':
      return { done: { kind: 'sent', provider, vendorMessageId: outcome.vendorMessageId } };
    case 'ambiguous': {
      // It may have been sent: never fail over. A vendor that deduplicates on our key makes a
      // retry on it safe; otherwise the tenant's policy decides (SPEC §3).
      const code: DeliveryCode = 'AMBIGUOUS_SEND';
      return ambiguousPolicy === 'fail' && !provider.idempotent
        ? { done: { kind: 'fail', code, message: outcome.message, provider } }
        : {
            done: { kind: 'retry', code, message: `${outcome.code}: ${outcome.message}`, throttled: false, tried: [providerKey(provider)] },
          };
    }
    case 'permanent': {
      const failed: Ending<P> = { kind: 'fail', code: outcome.code, message: outcome.message, provider };
      if (outcome.level === 'message') return { done: failed };
      return { next: { ...walk, last: failed } };
    }
    case 'retryable': {
      const retry: Ending<P> = {
        kind: 'retry',
        code: outcome.code,
        message: outcome.message,
        vendorDelayMs: outcome.retryAfterMs,
        throttled: outcome.throttled === true,
        tried: [...walk.tried],
      };
      if (!outcome.failover) return { done: retry };
      return { next: { ...walk, last: retry, retryLater: walk.retryLater ?? retry } };
    }
  }
}

/**
 * The attempt's ending once every candidate was considered. When every provider's breaker is
 * open, no vendor was called: the pause is recorded as an attempt (so it uses up a retry, and a
 * provider that stays down ends in the dead-letter queue, replayable, instead of deferring the
 * notification for ever), and the retry waits at least until one of them can let a trial call
 * through (`waitMs`), so each retry used up is a real chance for the provider.
 */
export function endOfWalk<P extends Candidate>(
  walk: Walk<P>,
  providers: readonly P[],
  waitMs: () => number,
  now: Date,
): { ending: Ending<P>; paused?: AttemptRecord } {
  const first = providers[0];
  if (first && walk.tried.length === 0) {
    const code: DeliveryCode = 'BREAKER_OPEN';
    return {
      ending: {
        kind: 'retry',
        code,
        message: 'every provider of the channel is paused after failures',
        vendorDelayMs: waitMs(),
        throttled: false,
        tried: [],
      },
      paused: {
        providerConfigId: first.configId,
        provider: first.provider,
        startedAt: now,
        durationMs: 0,
        outcome: 'retryable',
        errorCode: code,
        errorMessage: 'not called: every provider of the channel is paused after failures',
      },
    };
  }
  const ending = walk.last.kind === 'fail' && walk.retryLater ? walk.retryLater : walk.last;
  // A retry names every provider the attempt called.
  return { ending: ending.kind === 'retry' ? { ...ending, tried: [...walk.tried] } : ending };
}

/** One provider call as the attempt records it. */
export function attemptOf(provider: Candidate, startedAt: Date, durationMs: number, outcome: Outcome): AttemptRecord {
  return {
    providerConfigId: provider.configId,
    provider: provider.provider,
    startedAt,
    durationMs,
    outcome: outcome.kind,
    httpStatus: 'httpStatus' in outcome ? outcome.httpStatus : undefined,
    errorCode: outcome.kind === 'sent' ? undefined : outcome.code,
    errorMessage: outcome.kind === 'sent' ? undefined : outcome.message,
    vendorMessageId: outcome.kind === 'sent' ? outcome.vendorMessageId : undefined,
  };
}

/** What a call's outcome says about the vendor's health (the breaker's verdict). */
export function breakerVerdict(outcome: Outcome, trial: boolean): BreakerVerdict {
  switch (outcome.kind) {
    case 'sent':
      return 'success';
    case 'permanent':
      // A vendor that refuses one message (invalid recipient) is answering: it is healthy.
      return outcome.level === 'provider' ? 'fatal' : 'success';
    case 'ambiguous':
      // No answer in time (or the adapter failed). It decides a trial: a vendor still too slow to
      // answer is not back. Otherwise it says nothing sure about the vendor (a busy gateway also
      // times out), so it is not counted.
      return trial ? 'failure' : 'neutral';
    case 'retryable':
      return outcome.throttled ? 'neutral' : 'failure';
  }
}

/** The error a call's outcome reports to the breaker (none for a send). */
export function breakerError(outcome: Outcome | undefined): { code: string; message: string } | undefined {
  return outcome && outcome.kind !== 'sent' ? { code: outcome.code, message: outcome.message } : undefined;
}

/**
 * Retries already spent in the series, from its recorded attempts (this attempt's included):
 * each attempt number with a failed call counts once, waits for a rate limit or a cap do not,
 * and the attempt being decided does not count against itself unless it was only a wait.
 */
export function retriesUsed(
  attempts: readonly { outcome: string; error_code: string | null; attempt_number: number }[],
  throttled: boolean,
): number {
  const failed = new Set(attempts.filter((a) => a.outcome !== 'sent' && !isThrottledCode(a.error_code)).map((a) => a.attempt_number));
  return Math.max(0, failed.size - (throttled ? 0 : 1));
}

/** Retry after a delay, or fail with RETRIES_EXHAUSTED once the schedule is used up. */
export function retryOrGiveUp(
  schedule: RetrySchedule,
  attempts: Parameters<typeof retriesUsed>[0],
  ending: RetryEnding,
  random: () => number = Math.random,
): Extract<RetryDecision, { retry: true }> | { retry: false; failure: FailEnding } {
  const decision = nextRetry(
    schedule,
    { retriesUsed: retriesUsed(attempts, ending.throttled), vendorDelayMs: ending.vendorDelayMs, throttled: ending.throttled },
    random,
  );
  if (decision.retry) return decision;
  const code: DeliveryCode = 'RETRIES_EXHAUSTED';
  return { retry: false, failure: { kind: 'fail', code, message: `${ending.code}: ${ending.message}` } };
}

/**
 * A send may start only while enough of the claim's lease is left for it to end in time: its send
 * timeout, or half the lease where the lease is the shorter (a test's short lease). A message of a
 * batch that waited that long for a send slot (the tenant's in-flight cap, the process's
 * concurrency) is deferred instead.
 */
export function leaseTooShort(remainingMs: number, sendTimeoutMs: number, leaseMs: number): boolean {
  return remainingMs < Math.min(sendTimeoutMs, leaseMs / 2);
}

/** Deferred unsent after waiting too long for a send slot: a throttled retry (the schedule's first delay, not counted). */
export function deferred(): RetryEnding {
  const code: DeliveryCode = 'TENANT_INFLIGHT_CAP';
  return { kind: 'retry', code, message: 'deferred: waited too long for a send slot', throttled: true, tried: [] };
}

/**
 * The send could not be prepared (the provider configs or the send-rate limit were unreachable):
 * retried. No vendor call was made after the ones already recorded, so it uses up a retry only if
 * one of those failed.
 */
export function unprepared(tried: readonly string[]): RetryEnding {
  const code: DeliveryCode = 'GATEWAY_ERROR';
  return {
    kind: 'retry',
    code,
    message: 'the gateway could not prepare the send (database or Redis unreachable)',
    throttled: false,
    tried: [...tried],
  };
}

/** The provider config's shared send-rate limit asks for a wait that is too long: a throttled retry (not counted). */
export function sendRateWait(waitMs: number): Outcome {
  const code: DeliveryCode = 'SEND_RATE_LIMITED';
  return {
    kind: 'retryable',
    code,
    message: 'waiting for the provider send-rate limit',
    retryAfterMs: waitMs,
    throttled: true,
    failover: false,
  };
}

/** An adapter must classify expected failures; anything it throws is treated as unknown (it may have sent). */
export function adapterFailed(): Outcome {
  const code: DeliveryCode = 'ADAPTER_ERROR';
  return { kind: 'ambiguous', code, message: 'the provider adapter failed unexpectedly' };
}
