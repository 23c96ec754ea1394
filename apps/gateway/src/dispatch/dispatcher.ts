import type { Logger } from 'pino';
import type { BusProducer } from '@orqestra/bus';
import type { Dispatch, Retry } from '@orqestra/contracts';
import { withTenant, type Database, type TenantTx } from '@orqestra/db';
import type { Outcome } from '@orqestra/providers';
import {
  attemptsOf,
  claim,
  markFailed,
  markRetrying,
  lastAmbiguousProvider,
  markSent,
  recordAttempts,
  type AttemptRecord,
  storeCaptured,
  storeInApp,
  THROTTLE_CODES,
  type Claim,
} from '../delivery-log/delivery-log.repository.js';
import { deadLetterOf } from '../delivery-log/dead-letter.js';
import { nextRetry, type RetrySchedule } from '../retry/retry-policy.js';
import type { Breakers, BreakerVerdict } from './breakers.js';
import type { SendRateLimiter } from './send-rate.js';
import type { GatewayMetrics } from './metrics.js';
import type { ProviderDirectory, ResolvedProvider } from './provider-directory.js';

export type DispatchResult = 'sent' | 'retrying' | 'failed' | 'skipped' | 'deferred';

/** Code of the retry that follows an ambiguous send. */
const AMBIGUOUS_RETRY = 'AMBIGUOUS_SEND';

/** A claim with the time until which this gateway holds its lease (by its own clock). */
type Held = Claim & { heldUntil: number };

/** What ended an attempt, in the log's terms. */
type Ending =
  | { kind: 'sent'; provider: ResolvedProvider; vendorMessageId?: string }
  | { kind: 'retry'; code: string; message: string; vendorDelayMs?: number; throttled: boolean; tried: string[] }
  | { kind: 'fail'; code: string; message: string; provider?: ResolvedProvider };

/**
 * One notification attempt (SPEC §3 step 3): claim the row, pick providers, send with a timeout,
 * record every provider call as an attempt, then SENT, RETRYING (+ a retry message) or FAILED
 * (+ a dead letter). The gateway is the only writer of delivery status.
 */
export class Dispatcher {
  private readonly inflight = new Map<string, number>();

  constructor(
    private readonly deps: {
      database: Database;
      producer: BusProducer;
      providers: ProviderDirectory;
      breakers: Breakers;
      sendRate: SendRateLimiter;
      metrics: GatewayMetrics;
      logger: Logger;
      schedule: RetrySchedule;
      leaseMs: number;
      tenantInflightCap: number;
    },
  ) {}

  /** A message from notification.dispatch (attempt 1) or the retry topic (attempt n). */
  async dispatch(message: Dispatch | Retry): Promise<DispatchResult> {
    const attemptNumber = 'attempt' in message ? message.attempt : 1;
    const tenantLoad = this.inflight.get(message.tenantId) ?? 0;
    if (tenantLoad >= this.deps.tenantInflightCap) {
      // Defer rather than queue behind: one tenant's slow vendor must not stall the others.
      await this.publishRetry(message, attemptNumber, new Date(Date.now() + 200), { code: 'TENANT_INFLIGHT_CAP', message: 'deferred' }, triedOf(message));
      return 'deferred';
    }
    this.inflight.set(message.tenantId, tenantLoad + 1);
    try {
      return await this.attempt(message, attemptNumber);
    } finally {
      const left = (this.inflight.get(message.tenantId) ?? 1) - 1;
      if (left <= 0) this.inflight.delete(message.tenantId);
      else this.inflight.set(message.tenantId, left);
    }
  }

  private inTenant<T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return withTenant(this.deps.database, { tenantId, actorType: 'system_tenant', actorId: 'gateway' }, fn);
  }

  private async attempt(message: Dispatch | Retry, attemptNumber: number): Promise<DispatchResult> {
    // The lease starts at the database's clock when the claim runs, so no earlier than this.
    const heldUntil = Date.now() + this.deps.leaseMs;
    const claimed = await this.inTenant(message.tenantId, async (tx) => {
      const row = await claim(tx, { notificationId: message.notificationId, attemptSeries: message.attemptSeries, attemptNumber, leaseMs: this.deps.leaseMs });
      // The inbox row exists before the push is published (SPEC §2.5).
      if (row && message.channel === 'PUSH' && message.mode === 'live') await storeInApp(tx, message);
      // After a send that may have happened, the series stays with that provider config: never
      // fail over once a vendor may have the message (and one that deduplicates on our key then
      // recognises it). Read from the recorded attempts, so it survives any republication.
      const stickTo = row && attemptNumber > 1 ? await lastAmbiguousProvider(tx, message.notificationId, message.attemptSeries) : undefined;
      return row ? { ...row, stickTo, heldUntil } : undefined;
    });
    if (!claimed) {
      this.deps.metrics.outcomes.inc({ channel: message.channel, provider: 'none', outcome: 'duplicate_skipped' });
      return 'skipped';
    }
    const candidates = await this.candidates(message, claimed.stickTo);
    // The provider calls are recorded with the outcome, in one transaction: a gateway that dies
    // in between leaves a SENDING row, which the sweeper records as an ambiguous attempt.
    const calls: AttemptRecord[] = [];
    const ending = await this.send(message, claimed, candidates, calls);
    return this.finish(message, claimed, ending, calls);
  }

  private async candidates(message: Dispatch | Retry, stickTo: string | undefined): Promise<ResolvedProvider[]> {
    if (message.mode === 'sandbox') return [this.deps.providers.builtIn('capture', message.channel)];
    if (message.channel === 'PUSH') return [this.deps.providers.builtIn('push', message.channel)];
    const providers = await this.deps.providers.forChannel(message.tenantId, message.channel);
    const same = stickTo ? providers.filter((p) => p.configId === stickTo) : [];
    // The config was removed or disabled meanwhile: nothing to stick to.
    return same.length > 0 ? same : providers;
  }

  /** Tries providers in priority order; fails over only on clear failures, never after a timeout. */
  private async send(message: Dispatch | Retry, claimed: Claim, providers: ResolvedProvider[], calls: AttemptRecord[]): Promise<Ending> {
    const ambiguousPolicy = claimed.ambiguousPolicy;
    const tried: string[] = [];
    let last: Ending = { kind: 'fail', code: 'NO_PROVIDER', message: `no enabled provider for ${message.channel}` };
    // A provider that may work again later wins over a later provider that never will.
    let retryLater: Ending | undefined;
    for (const provider of providers) {
      const key = provider.configId ?? provider.provider;
      // An open breaker is a clear failure: the next provider takes the attempt.
      const permit = this.deps.breakers.acquire(key);
      if (!permit) continue;
      tried.push(key);
      const startedAt = new Date();
      let outcome: Outcome | undefined;
      try {
        outcome = (await this.rateLimited(provider, message)) ?? (await this.call(provider, message, claimed));
      } finally {
        // Every permit is settled, whatever happened: an unsettled trial keeps a breaker half-open.
        this.deps.breakers.settle(permit, outcome ? breakerVerdict(outcome, permit.trial) : 'neutral', outcome && outcome.kind !== 'sent' ? { code: outcome.code, message: outcome.message } : undefined);
      }
      const durationMs = Date.now() - startedAt.getTime();
      this.deps.metrics.observe(message.channel, provider.provider, outcome, durationMs);
      calls.push({
        providerConfigId: provider.configId,
        provider: provider.provider,
        startedAt,
        durationMs,
        outcome: outcome.kind,
        httpStatus: 'httpStatus' in outcome ? outcome.httpStatus : undefined,
        errorCode: outcome.kind === 'sent' ? undefined : outcome.code,
        errorMessage: outcome.kind === 'sent' ? undefined : outcome.message,
        vendorMessageId: outcome.kind === 'sent' ? outcome.vendorMessageId : undefined,
      });
      switch (outcome.kind) {
        case 'sent':
          return { kind: 'sent', provider, vendorMessageId: outcome.vendorMessageId };
        case 'ambiguous':
          // It may have been sent: never fail over. A vendor that deduplicates on our key makes a
          // retry on it safe; otherwise the tenant's policy decides (SPEC §3).
          return ambiguousPolicy === 'fail' && !provider.idempotent
            ? { kind: 'fail', code: 'AMBIGUOUS_SEND', message: outcome.message, provider }
            : { kind: 'retry', code: AMBIGUOUS_RETRY, message: `${outcome.code}: ${outcome.message}`, throttled: false, tried: [key] };
        case 'permanent':
          if (outcome.level === 'message') return { kind: 'fail', code: outcome.code, message: outcome.message, provider };
          last = { kind: 'fail', code: outcome.code, message: outcome.message, provider };
          continue;
        case 'retryable':
          last = { kind: 'retry', code: outcome.code, message: outcome.message, vendorDelayMs: outcome.retryAfterMs, throttled: outcome.throttled === true, tried };
          retryLater ??= last;
          if (outcome.failover) continue;
          return last;
      }
    }
    if (providers.length > 0 && tried.length === 0) {
      // Every provider's breaker is open. The pause is recorded as an attempt (no vendor was
      // called), so it uses up a retry: a provider that stays down ends in the dead-letter queue
      // (replayable) instead of deferring the notification for ever.
      // The retry waits at least until one of them can let a trial call through: each retry used
      // up is a real chance for the provider, not a lap around the cool-down.
      const first = providers[0] as ResolvedProvider;
      const waitMs = Math.min(...providers.map((p) => this.deps.breakers.waitMs(p.configId ?? p.provider)));
      calls.push({ providerConfigId: first.configId, provider: first.provider, startedAt: new Date(), durationMs: 0, outcome: 'retryable', errorCode: 'BREAKER_OPEN', errorMessage: 'not called: every provider of the channel is paused after failures' });
      return { kind: 'retry', code: 'BREAKER_OPEN', message: 'every provider of the channel is paused after failures', vendorDelayMs: waitMs, throttled: false, tried };
    }
    return last.kind === 'fail' && retryLater ? retryLater : last;
  }

  /** The provider config's shared send-rate limit: a wait that is too long becomes a throttled retry (not counted). */
  private async rateLimited(provider: ResolvedProvider, message: Dispatch | Retry): Promise<Outcome | undefined> {
    if (!provider.configId || !provider.sendRatePerSecond) return undefined;
    const slot = await this.deps.sendRate.acquire(message.tenantId, provider.configId, provider.sendRatePerSecond);
    if (slot.go) return undefined;
    return { kind: 'retryable', code: 'SEND_RATE_LIMITED', message: 'waiting for the provider send-rate limit', retryAfterMs: slot.waitMs, throttled: true, failover: false };
  }

  private async call(provider: ResolvedProvider, message: Dispatch | Retry, claimed: Claim): Promise<Outcome> {
    try {
      return await provider.adapter.send(
        {
          notificationId: message.notificationId,
          attemptSeries: message.attemptSeries,
          idempotencyKey: `${message.notificationId}:${message.attemptSeries}`,
          tenantId: message.tenantId,
          mode: message.mode,
          channel: message.channel,
          recipient: message.recipient,
          content: message.content,
          eventType: message.eventType,
          receivedAt: message.receivedAt,
        },
        AbortSignal.timeout(this.deps.leaseMs),
      );
    } catch (error) {
      // An adapter must classify expected failures; anything thrown is treated as unknown.
      this.deps.logger.error({ err: error, notificationId: claimed.notificationId, provider: provider.provider }, 'adapter threw');
      return { kind: 'ambiguous', code: 'ADAPTER_ERROR', message: 'the provider adapter failed unexpectedly' };
    }
  }

  /**
   * Writes an attempt's outcome, retrying while this gateway still holds the lease (a PostgreSQL
   * restart fails a write or two). Giving up early would drop the knowledge that the vendor
   * accepted the message, and the sweeper would then send it again. Errors that a retry cannot
   * fix (data, integrity: classes 22 and 23) are not retried.
   */
  private async whileLeased<T>(claimed: Held, write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        const delayMs = Math.min(50 * 2 ** attempt, 1_000);
        if ((typeof code === 'string' && /^2[23]/.test(code)) || Date.now() + delayMs >= claimed.heldUntil) throw error;
        this.deps.logger.warn({ err: error, notificationId: claimed.notificationId, attempt }, 'recording the outcome failed; retrying while the lease is held');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async finish(message: Dispatch | Retry, claimed: Held, ending: Ending, calls: AttemptRecord[]): Promise<DispatchResult> {
    if (ending.kind === 'sent') {
      const ok = await this.whileLeased(claimed, () =>
        this.inTenant(message.tenantId, async (tx) => {
          await recordAttempts(tx, claimed, calls);
          if (message.mode === 'sandbox') await storeCaptured(tx, message, claimed.sandboxSessionId);
          return markSent(tx, claimed, { providerConfigId: ending.provider.configId, provider: ending.provider.provider, vendorMessageId: ending.vendorMessageId });
        }),
      );
      return ok ? 'sent' : 'skipped';
    }
    if (ending.kind === 'retry') {
      const scheduled = await this.whileLeased(claimed, () => this.inTenant(message.tenantId, async (tx) => {
        await recordAttempts(tx, claimed, calls);
        const used = await attemptsOf(tx, message.notificationId, message.attemptSeries);
        const retriesUsed = new Set(used.filter((a) => a.outcome !== 'sent' && !(THROTTLE_CODES as readonly string[]).includes(a.error_code ?? '')).map((a) => a.attempt_number)).size - (ending.throttled ? 0 : 1);
        const decision = nextRetry(this.deps.schedule, { retriesUsed: Math.max(0, retriesUsed), vendorDelayMs: ending.vendorDelayMs, throttled: ending.throttled });
        if (!decision.retry) return 'exhausted' as const;
        return { dueAt: await markRetrying(tx, claimed, { delayMs: decision.delayMs, errorCode: ending.code, errorMessage: ending.message }) };
      }));
      if (scheduled === 'exhausted') return this.fail(message, claimed, { kind: 'fail', code: 'RETRIES_EXHAUSTED', message: `${ending.code}: ${ending.message}` }, []);
      if (!scheduled.dueAt) return 'skipped';
      await this.publishRetry(message, claimed.attemptNumber + 1, scheduled.dueAt, { code: ending.code, message: ending.message }, ending.tried);
      return 'retrying';
    }
    return this.fail(message, claimed, ending, calls);
  }

  private async fail(message: Dispatch | Retry, claimed: Held, ending: Extract<Ending, { kind: 'fail' }>, calls: AttemptRecord[]): Promise<DispatchResult> {
    const attempts = await this.whileLeased(claimed, () => this.inTenant(message.tenantId, async (tx) => {
      await recordAttempts(tx, claimed, calls);
      const ok = await markFailed(tx, claimed, { errorCode: ending.code, errorMessage: ending.message, provider: ending.provider?.provider, providerConfigId: ending.provider?.configId });
      return ok ? attemptsOf(tx, message.notificationId, message.attemptSeries) : undefined;
    }));
    if (!attempts) return 'skipped';
    const letter = deadLetterOf(dispatchOf(message), attempts, { code: ending.code, message: ending.message });
    await this.deps.producer.publish('dlq', [{ message: letter, traceId: message.traceId }]);
    this.deps.metrics.deadLetters.inc({ channel: message.channel, code: ending.code });
    return 'failed';
  }

  private async publishRetry(message: Dispatch | Retry, attempt: number, dueAt: Date, lastError: { code: string; message: string }, tried: string[]): Promise<void> {
    const retry: Retry = { ...dispatchOf(message), attempt, dueAt: dueAt.toISOString(), lastError, triedProviderIds: tried };
    await this.deps.producer.publish('retry', [{ message: retry, traceId: message.traceId }]);
  }
}

/** What a call's outcome says about the vendor's health (the breaker's verdict). */
function breakerVerdict(outcome: Outcome, trial: boolean): BreakerVerdict {
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

function triedOf(message: Dispatch | Retry): string[] {
  return 'triedProviderIds' in message ? message.triedProviderIds : [];
}

/** The dispatch part of a retry or dead letter (extra fields dropped). */
function dispatchOf(message: Dispatch | Retry): Dispatch {
  const { v, notificationId, attemptSeries, tenantId, mode, isTest, eventId, eventType, channel, recipient, content, traceId, receivedAt } = message;
  return { v, notificationId, attemptSeries, tenantId, mode, isTest, eventId, eventType, channel, recipient, content, traceId, receivedAt };
}
