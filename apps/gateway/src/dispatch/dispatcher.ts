import type { Logger } from 'pino';
import type { BusProducer } from '@orqestra/bus';
import type { Dispatch, Retry } from '@orqestra/contracts';
import { deliveryState, withTenant, type AttemptRecord, type Claim, type Database, type TenantTx } from '@orqestra/db';
import type { Outcome } from '@orqestra/providers';
import type { RetrySchedule } from '../retry/retry-policy.js';
import type { Breakers } from './breakers.js';
import {
  adapterFailed,
  afterOutcome,
  attemptOf,
  breakerError,
  breakerVerdict,
  calling,
  candidatesFor,
  deferral,
  endOfWalk,
  providerKey,
  retryOrGiveUp,
  sendRateWait,
  startWalk,
  type Ending,
  type FailEnding,
} from './decisions.js';
import type { SendRateLimiter } from './send-rate.js';
import type { GatewayMetrics } from './metrics.js';
import type { ProviderDirectory, ResolvedProvider } from './provider-directory.js';

export type DispatchResult = 'sent' | 'retrying' | 'failed' | 'skipped' | 'deferred';

/** A claim with the time until which this gateway holds its lease (by its own clock). */
type Held = Claim & { heldUntil: number };

/**
 * One notification attempt (SPEC §3 step 3): claim the row, pick providers, send with a timeout,
 * record every provider call as an attempt, then SENT, RETRYING (+ a retry message) or FAILED
 * (+ a dead letter). The decisions are pure functions (decisions.ts); every write goes through
 * @orqestra/db's deliveryState, the one owner of delivery status.
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
      const deferred = deferral(Date.now());
      await this.publishRetry(message, attemptNumber, deferred.dueAt, deferred.lastError, triedOf(message));
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
      const row = await deliveryState.claim(tx, { notificationId: message.notificationId, attemptSeries: message.attemptSeries, attemptNumber, leaseMs: this.deps.leaseMs });
      // The inbox row exists before the push is published (SPEC §2.5).
      if (row && message.channel === 'PUSH' && message.mode === 'live') await deliveryState.storeInApp(tx, message);
      // After a send that may have happened, the series stays with that provider config: never
      // fail over once a vendor may have the message (and one that deduplicates on our key then
      // recognises it). Read from the recorded attempts, so it survives any republication.
      const stickTo = row && attemptNumber > 1 ? await deliveryState.lastAmbiguousProvider(tx, message.notificationId, message.attemptSeries) : undefined;
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
    return candidatesFor(await this.deps.providers.forChannel(message.tenantId, message.channel), stickTo);
  }

  /** Tries providers in priority order, each call decided by afterOutcome (decisions.ts). */
  private async send(message: Dispatch | Retry, claimed: Claim, providers: ResolvedProvider[], calls: AttemptRecord[]): Promise<Ending<ResolvedProvider>> {
    let walk = startWalk<ResolvedProvider>(message.channel);
    for (const provider of providers) {
      // An open breaker is a clear failure: the next provider takes the attempt.
      const permit = this.deps.breakers.acquire(providerKey(provider));
      if (!permit) continue;
      walk = calling(walk, provider);
      const startedAt = new Date();
      let outcome: Outcome | undefined;
      try {
        outcome = (await this.rateLimited(provider, message)) ?? (await this.call(provider, message, claimed));
      } finally {
        // Every permit is settled, whatever happened: an unsettled trial keeps a breaker half-open.
        this.deps.breakers.settle(permit, outcome ? breakerVerdict(outcome, permit.trial) : 'neutral', breakerError(outcome));
      }
      const durationMs = Date.now() - startedAt.getTime();
      this.deps.metrics.observe(message.channel, provider.provider, outcome, durationMs);
      calls.push(attemptOf(provider, startedAt, durationMs, outcome));
      const step = afterOutcome(walk, provider, outcome, claimed.ambiguousPolicy);
      if ('done' in step) return step.done;
      walk = step.next;
    }
    const { ending, paused } = endOfWalk(walk, providers, () => Math.min(...providers.map((p) => this.deps.breakers.waitMs(providerKey(p)))), new Date());
    if (paused) calls.push(paused);
    return ending;
  }

  /** The provider config's shared send-rate limit: a wait that is too long becomes a throttled retry (not counted). */
  private async rateLimited(provider: ResolvedProvider, message: Dispatch | Retry): Promise<Outcome | undefined> {
    if (!provider.configId || !provider.sendRatePerSecond) return undefined;
    const slot = await this.deps.sendRate.acquire(message.tenantId, provider.configId, provider.sendRatePerSecond);
    if (slot.go) return undefined;
    return sendRateWait(slot.waitMs);
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
      return adapterFailed();
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

  private async finish(message: Dispatch | Retry, claimed: Held, ending: Ending<ResolvedProvider>, calls: AttemptRecord[]): Promise<DispatchResult> {
    if (ending.kind === 'sent') {
      const ok = await this.whileLeased(claimed, () =>
        this.inTenant(message.tenantId, async (tx) => {
          await deliveryState.recordAttempts(tx, claimed, calls);
          if (message.mode === 'sandbox') await deliveryState.storeCaptured(tx, message, claimed.sandboxSessionId);
          return deliveryState.markSent(tx, claimed, { providerConfigId: ending.provider.configId, provider: ending.provider.provider, vendorMessageId: ending.vendorMessageId });
        }),
      );
      return ok ? 'sent' : 'skipped';
    }
    if (ending.kind === 'retry') {
      const scheduled = await this.whileLeased(claimed, () => this.inTenant(message.tenantId, async (tx) => {
        await deliveryState.recordAttempts(tx, claimed, calls);
        const used = await deliveryState.attemptsOf(tx, message.notificationId, message.attemptSeries);
        const decision = retryOrGiveUp(this.deps.schedule, used, ending);
        if (!decision.retry) return decision.failure;
        return { dueAt: await deliveryState.markRetrying(tx, claimed, { delayMs: decision.delayMs, errorCode: ending.code, errorMessage: ending.message }) };
      }));
      if ('kind' in scheduled) return this.fail(message, claimed, scheduled, []);
      if (!scheduled.dueAt) return 'skipped';
      await this.publishRetry(message, claimed.attemptNumber + 1, scheduled.dueAt, { code: ending.code, message: ending.message }, ending.tried);
      return 'retrying';
    }
    return this.fail(message, claimed, ending, calls);
  }

  private async fail(message: Dispatch | Retry, claimed: Held, ending: FailEnding, calls: AttemptRecord[]): Promise<DispatchResult> {
    const letter = await this.whileLeased(claimed, () => this.inTenant(message.tenantId, async (tx) => {
      await deliveryState.recordAttempts(tx, claimed, calls);
      return deliveryState.markFailed(tx, claimed, dispatchOf(message), { errorCode: ending.code, errorMessage: ending.message, provider: ending.provider?.provider, providerConfigId: ending.provider?.configId });
    }));
    if (!letter) return 'skipped';
    await this.deps.producer.publish('dlq', [{ message: letter, traceId: message.traceId }]);
    this.deps.metrics.deadLetters.inc({ channel: message.channel, code: ending.code });
    return 'failed';
  }

  private async publishRetry(message: Dispatch | Retry, attempt: number, dueAt: Date, lastError: { code: string; message: string }, tried: string[]): Promise<void> {
    const retry: Retry = { ...dispatchOf(message), attempt, dueAt: dueAt.toISOString(), lastError, triedProviderIds: tried };
    await this.deps.producer.publish('retry', [{ message: retry, traceId: message.traceId }]);
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
