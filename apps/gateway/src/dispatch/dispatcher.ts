import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { BusProducer, Outgoing } from '@orqestra/bus';
import { isDeadLetteredCode, type DeadLetter, type Dispatch, type Retry } from '@orqestra/contracts';
import {
  deliveryState,
  isDataRejection,
  withTenant,
  type AttemptRecord,
  type Claim,
  type Database,
  type Failure,
  type TenantTx,
} from '@orqestra/db';
import type { Outcome } from '@orqestra/providers';
import { context, type Context } from '@orqestra/telemetry';
import type { RetrySchedule } from '../retry/retry-policy.js';
import { runByKey } from '../consume/keyed-runner.js';
import type { Breakers } from './breakers.js';
import {
  adapterFailed,
  afterOutcome,
  attemptOf,
  breakerError,
  breakerVerdict,
  calling,
  candidatesFor,
  endOfWalk,
  deferred,
  leaseTooShort,
  providerKey,
  retryOrGiveUp,
  sendRateWait,
  startWalk,
  unprepared,
  type Ending,
  type FailEnding,
} from './decisions.js';
import type { SendRateLimiter } from './send-rate.store.js';
import type { GatewayMetrics } from './metrics.js';
import type { ProviderDirectory, ResolvedProvider } from './provider-directory.js';
import { KeyedSlots, Slots } from './slots.js';

export type DispatchResult = 'sent' | 'retrying' | 'failed' | 'skipped';

/** One message of a batch: from notification.dispatch (attempt 1) or the retry topic (attempt n). */
export interface DispatchItem {
  message: Dispatch | Retry;
  /** Messages with the same key (tenant:user) are sent one after another, in batch order. */
  key: string;
  /** Runs this message's send inside its trace span (tracing on); the publishes it causes join that span. */
  traced?: <T>(send: () => Promise<T>) => Promise<T>;
}

/** A claimed notification of the batch, on its way from claim to outcome. */
interface Work {
  item: DispatchItem;
  claim: Claim;
  /** The provider config a send that may have happened stays with (from the recorded attempts). */
  stickTo: string | undefined;
  /** Every provider call, recorded with the outcome in one transaction. */
  calls: AttemptRecord[];
  ending: Ending<ResolvedProvider>;
  /** The trace context the message's retry or dead letter is published in. */
  context: Context | undefined;
}

/** What a tenant's outcome transaction leaves to publish. */
interface Recorded {
  results: Map<Work, DispatchResult>;
  retries: Outgoing<'retry'>[];
  letters: { letter: DeadLetter; work: Work }[];
}

/**
 * Delivers notifications one fetched batch at a time (SPEC §3 step 3; issue 10). Per tenant of the
 * batch: ONE transaction claims every message (PENDING/RETRYING → SENDING, with the PUSH inbox
 * rows); the sends run concurrently (one key's messages in order; at most CONCURRENCY vendor calls
 * in the process and TENANT_INFLIGHT_CAP per tenant), each recording every provider call; then ONE
 * transaction records every call and outcome (SENT, RETRYING, FAILED with its dead letter). The
 * batch's retries and dead letters then go out in one produce request per topic. The decisions are
 * pure functions (decisions.ts); every write goes through @orqestra/db's deliveryState, the one
 * owner of delivery status. A gateway that dies between claim and outcome leaves SENDING rows,
 * which the sweeper records as ambiguous attempts once their lease expires.
 */
export class Dispatcher {
  private readonly calls: Slots;
  private readonly tenantCalls: KeyedSlots;

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
      sendTimeoutMs: number;
      concurrency: number;
      tenantInflightCap: number;
    },
  ) {
    this.calls = new Slots(deps.concurrency);
    this.tenantCalls = new KeyedSlots(deps.tenantInflightCap);
  }

  /**
   * Delivers a batch; resolves with each message's result, in order. Rejects when a claim or an
   * outcome could not be written (database down past the lease): the consumer then retries the
   * batch, whose claims were either not made or are left to the sweeper. Whatever other tenants of
   * the batch recorded is published first.
   */
  async dispatchBatch(items: readonly DispatchItem[]): Promise<DispatchResult[]> {
    const byTenant = groupBy(items, (item) => item.message.tenantId);
    const settled = await Promise.allSettled([...byTenant].map(([tenantId, list]) => this.tenantBatch(tenantId, list)));
    const recorded = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    await this.publish(recorded);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    const results = new Map<DispatchItem, DispatchResult>();
    for (const r of recorded) for (const [work, result] of r.results) results.set(work.item, result);
    return items.map((item) => results.get(item) ?? 'skipped');
  }

  private inTenant<T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return withTenant(this.deps.database, { tenantId, actorType: 'system_tenant', actorId: 'gateway' }, fn);
  }

  private async tenantBatch(tenantId: string, items: readonly DispatchItem[]): Promise<Recorded> {
    // The lease starts at the database's clock when the claim runs, so no earlier than this.
    const heldUntil = Date.now() + this.deps.leaseMs;
    const work = await this.claim(tenantId, items);
    if (work.length < items.length) {
      const claimed = new Set(work.map((w) => w.item));
      for (const item of items)
        if (!claimed.has(item))
          this.deps.metrics.outcomes.inc({ channel: item.message.channel, provider: 'none', outcome: 'duplicate_skipped' });
    }
    if (work.length === 0) return { results: new Map(), retries: [], letters: [] };
    // One signal for the batch's calls: none outlives the lease (after it, the sweeper may already count it ambiguous).
    const lease = AbortSignal.timeout(Math.max(1, heldUntil - Date.now()));
    setMaxListeners(0, lease);
    await runByKey(
      work,
      (w) => w.item.key,
      this.deps.concurrency,
      (w) => this.sendOne(w, heldUntil, lease),
    );
    return this.whileLeased(heldUntil, tenantId, () => this.inTenant(tenantId, (tx) => this.record(tx, work)));
  }

  /** One statement claims every message of the tenant; a message whose row is not at its attempt (duplicate, already handled) is left out. */
  private async claim(tenantId: string, items: readonly DispatchItem[]): Promise<Work[]> {
    return this.inTenant(tenantId, async (tx) => {
      const claims = await deliveryState.claim(
        tx,
        items.map(({ message }) => ({
          notificationId: message.notificationId,
          attemptSeries: message.attemptSeries,
          attemptNumber: attemptOfMessage(message),
        })),
        this.deps.leaseMs,
      );
      const open = new Map(claims.map((c) => [c.notificationId, c]));
      const work: Work[] = [];
      for (const item of items) {
        const claim = open.get(item.message.notificationId);
        // A notification named twice in the batch is sent once, by the first message that asked for this attempt.
        if (!claim || claim.attemptSeries !== item.message.attemptSeries || claim.attemptNumber !== attemptOfMessage(item.message))
          continue;
        open.delete(claim.notificationId);
        work.push({
          item,
          claim,
          stickTo: undefined,
          calls: [],
          ending: startWalk<ResolvedProvider>(item.message.channel).last,
          context: undefined,
        });
      }
      // The inbox rows exist before the pushes are published (SPEC §2.5).
      await deliveryState.storeInApp(
        tx,
        work.filter((w) => w.item.message.channel === 'PUSH' && w.item.message.mode === 'live').map((w) => w.item.message),
      );
      // After a send that may have happened, the series stays with that provider config: never
      // fail over once a vendor may have the message (and one that deduplicates on our key then
      // recognises it). Read from the recorded attempts, so it survives any republication.
      const again = work.filter((w) => w.claim.attemptNumber > 1);
      const stick = await deliveryState.lastAmbiguousProviders(
        tx,
        again.map((w) => w.claim),
      );
      for (const w of again) w.stickTo = stick.get(w.claim.notificationId);
      return work;
    });
  }

  /** One message's send: waits for a slot, then walks its providers (unless too little of the lease is left). */
  private async sendOne(work: Work, heldUntil: number, lease: AbortSignal): Promise<void> {
    const { message } = work.item;
    const send = async () => {
      work.context = context.active();
      const releaseTenant = await this.tenantCalls.acquire(message.tenantId);
      const release = await this.calls.acquire();
      try {
        // A send must end within the lease: one that waited too long for a slot is deferred unsent.
        if (leaseTooShort(heldUntil - Date.now(), this.deps.sendTimeoutMs, this.deps.leaseMs)) {
          work.ending = deferred();
          return;
        }
        work.ending = await this.send(message, work, await this.candidates(message, work.stickTo), lease);
      } catch (error) {
        // Its providers could not be looked up, or Redis (send-rate limit) was unreachable: no
        // vendor call was made after the last recorded one, so the attempt is retried.
        this.deps.logger.warn({ err: error, notificationId: message.notificationId }, 'could not prepare the send; it is retried');
        work.ending = unprepared(work.calls.map((c) => c.providerConfigId ?? c.provider));
      } finally {
        release();
        releaseTenant();
      }
    };
    await (work.item.traced ? work.item.traced(send) : send());
  }

  private async candidates(message: Dispatch | Retry, stickTo: string | undefined): Promise<ResolvedProvider[]> {
    if (message.mode === 'sandbox') return [this.deps.providers.builtIn('capture', message.channel)];
    if (message.channel === 'PUSH') return [this.deps.providers.builtIn('push', message.channel)];
    return candidatesFor(await this.deps.providers.forChannel(message.tenantId, message.channel), stickTo);
  }

  /** Tries providers in priority order, each call decided by afterOutcome (decisions.ts). */
  private async send(
    message: Dispatch | Retry,
    work: Work,
    providers: ResolvedProvider[],
    lease: AbortSignal,
  ): Promise<Ending<ResolvedProvider>> {
    let walk = startWalk<ResolvedProvider>(message.channel);
    for (const provider of providers) {
      // An open breaker is a clear failure: the next provider takes the attempt.
      const permit = this.deps.breakers.acquire(providerKey(provider));
      if (!permit) continue;
      walk = calling(walk, provider);
      const startedAt = new Date();
      let outcome: Outcome | undefined;
      try {
        outcome = (await this.rateLimited(provider, message)) ?? (await this.call(provider, message, lease));
      } finally {
        // Every permit is settled, whatever happened: an unsettled trial keeps a breaker half-open.
        this.deps.breakers.settle(permit, outcome ? breakerVerdict(outcome, permit.trial) : 'neutral', breakerError(outcome));
      }
      const durationMs = Date.now() - startedAt.getTime();
      this.deps.metrics.observe(message.channel, provider.provider, outcome, durationMs);
      work.calls.push(attemptOf(provider, startedAt, durationMs, outcome));
      const step = afterOutcome(walk, provider, outcome, work.claim.ambiguousPolicy);
      if ('done' in step) return step.done;
      walk = step.next;
    }
    const { ending, paused } = endOfWalk(
      walk,
      providers,
      () => Math.min(...providers.map((p) => this.deps.breakers.waitMs(providerKey(p)))),
      new Date(),
    );
    if (paused) work.calls.push(paused);
    return ending;
  }

  /** The provider config's shared send-rate limit: a wait that is too long becomes a throttled retry (not counted). */
  private async rateLimited(provider: ResolvedProvider, message: Dispatch | Retry): Promise<Outcome | undefined> {
    if (!provider.configId || !provider.sendRatePerSecond) return undefined;
    const slot = await this.deps.sendRate.acquire(message.tenantId, provider.configId, provider.sendRatePerSecond);
    if (slot.go) return undefined;
    return sendRateWait(slot.waitMs);
  }

  private async call(provider: ResolvedProvider, message: Dispatch | Retry, lease: AbortSignal): Promise<Outcome> {
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
        lease,
      );
    } catch (error) {
      // An adapter must classify expected failures; anything thrown is treated as unknown.
      this.deps.logger.error({ err: error, notificationId: message.notificationId, provider: provider.provider }, 'adapter threw');
      return adapterFailed();
    }
  }

  /**
   * Writes the outcomes, retrying while this gateway still holds the leases (a PostgreSQL restart
   * fails a write or two). Giving up early would drop the knowledge that the vendor accepted the
   * messages, and the sweeper would then send them again. Errors that a retry cannot fix (data,
   * integrity: classes 22 and 23) are not retried.
   */
  private async whileLeased<T>(heldUntil: number, tenantId: string, write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        const delayMs = Math.min(50 * 2 ** attempt, 1_000);
        if (isDataRejection(error) || Date.now() + delayMs >= heldUntil) throw error;
        this.deps.logger.warn({ err: error, tenantId, attempt }, 'recording the outcomes failed; retrying while the leases are held');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** The tenant's one outcome transaction: every call recorded, then SENT / RETRYING / FAILED for each claim. */
  private async record(tx: TenantTx, work: readonly Work[]): Promise<Recorded> {
    await deliveryState.recordAttempts(
      tx,
      work.flatMap((w) => w.calls.map((attempt) => ({ claim: w.claim, attempt }))),
    );
    const results = new Map<Work, DispatchResult>();
    const sent = work.filter((w): w is Work & { ending: { kind: 'sent' } } => w.ending.kind === 'sent');
    for (const w of sent)
      if (w.item.message.mode === 'sandbox') await deliveryState.storeCaptured(tx, w.item.message, w.claim.sandboxSessionId);
    const marked = await deliveryState.markSent(
      tx,
      sent.map((w) => ({
        claim: w.claim,
        providerConfigId: w.ending.provider.configId,
        provider: w.ending.provider.provider,
        vendorMessageId: w.ending.vendorMessageId,
      })),
    );
    for (const w of sent) results.set(w, marked.has(w.claim.notificationId) ? 'sent' : 'skipped');

    const failures: (Failure & { work: Work })[] = [];
    const failureOf = (w: Work, ending: FailEnding) => ({
      work: w,
      claim: w.claim,
      dispatch: dispatchPart(w.item.message),
      errorCode: ending.code,
      errorMessage: ending.message,
      provider: ending.provider?.provider,
      providerConfigId: ending.provider?.configId,
    });
    const retrying = work.filter((w): w is Work & { ending: { kind: 'retry' } } => w.ending.kind === 'retry');
    const history = await deliveryState.attemptsOf(
      tx,
      retrying.map((w) => w.claim),
    );
    const retries: { work: Work & { ending: { kind: 'retry' } }; delayMs: number }[] = [];
    for (const w of retrying) {
      const decision = retryOrGiveUp(this.deps.schedule, history.get(w.claim.notificationId) ?? [], w.ending);
      if (decision.retry) retries.push({ work: w, delayMs: decision.delayMs });
      else failures.push(failureOf(w, decision.failure));
    }
    const due = await deliveryState.markRetrying(
      tx,
      retries.map((r) => ({ claim: r.work.claim, delayMs: r.delayMs, errorCode: r.work.ending.code, errorMessage: r.work.ending.message })),
    );
    const outgoing: Outgoing<'retry'>[] = [];
    for (const { work: w } of retries) {
      const dueAt = due.get(w.claim.notificationId);
      results.set(w, dueAt ? 'retrying' : 'skipped');
      if (!dueAt) continue;
      const message: Retry = {
        ...dispatchPart(w.item.message),
        attempt: w.claim.attemptNumber + 1,
        dueAt: dueAt.toISOString(),
        lastError: { code: w.ending.code, message: w.ending.message },
        triedProviderIds: w.ending.tried,
      };
      outgoing.push({ message, traceId: w.item.message.traceId, context: w.context });
    }

    for (const w of work) if (w.ending.kind === 'fail') failures.push(failureOf(w, w.ending));
    const letters = await deliveryState.markFailed(tx, failures);
    const byId = new Map(failures.map((f) => [f.claim.notificationId, f.work]));
    for (const f of failures) results.set(f.work, 'skipped');
    for (const letter of letters) results.set(byId.get(letter.notificationId)!, 'failed');
    // A failure with nothing to replay (the catalog says which, e.g. an adapter's MISSING_RECIPIENT) has no dead letter, as the sweeper does.
    const lettered = letters
      .filter((letter) => isDeadLetteredCode(letter.lastError.code))
      .map((letter) => ({ letter, work: byId.get(letter.notificationId)! }));
    return { results, retries: outgoing, letters: lettered };
  }

  /** The batch's retries and dead letters: one produce request per topic. */
  private async publish(recorded: readonly Recorded[]): Promise<void> {
    const retries = recorded.flatMap((r) => r.retries);
    const letters = recorded.flatMap((r) => r.letters);
    await Promise.all([
      retries.length > 0 ? this.deps.producer.publish('retry', retries) : undefined,
      letters.length > 0
        ? this.deps.producer.publish(
            'dlq',
            letters.map(({ letter, work }) => ({ message: letter, traceId: work.item.message.traceId, context: work.context })),
          )
        : undefined,
    ]);
    for (const { letter, work } of letters)
      this.deps.metrics.deadLetters.inc({ channel: work.item.message.channel, code: letter.lastError.code });
  }
}

function attemptOfMessage(message: Dispatch | Retry): number {
  return 'attempt' in message ? message.attempt : 1;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The dispatch part of a retry or dead letter (extra fields dropped). */
function dispatchPart(message: Dispatch | Retry): Dispatch {
  const { v, notificationId, attemptSeries, tenantId, mode, isTest, eventId, eventType, channel, recipient, content, traceId, receivedAt } =
    message;
  return { v, notificationId, attemptSeries, tenantId, mode, isTest, eventId, eventType, channel, recipient, content, traceId, receivedAt };
}
