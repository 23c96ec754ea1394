import { describe, expect, it } from 'vitest';
import { outcomeClassOf } from '@orqestra/contracts';
import type { Outcome } from '@orqestra/providers';
import {
  adapterFailed,
  afterOutcome,
  attemptOf,
  breakerVerdict,
  calling,
  candidatesFor,
  deferred,
  leaseTooShort,
  unprepared,
  endOfWalk,
  retriesUsed,
  retryOrGiveUp,
  sendRateWait,
  startWalk,
  type Candidate,
  type Ending,
  type Walk,
} from './decisions.js';

const resend: Candidate = { configId: 'cfg-resend', provider: 'resend', idempotent: true };
const sendgrid: Candidate = { configId: 'cfg-sendgrid', provider: 'sendgrid', idempotent: false };
const twilio: Candidate = { configId: 'cfg-twilio', provider: 'twilio', idempotent: false };

const sent: Outcome = { kind: 'sent', vendorMessageId: 'v-1' };
const down: Outcome = { kind: 'retryable', code: 'VENDOR_UNAVAILABLE', message: '503', failover: true, retryAfterMs: 2_000 };
const busy: Outcome = { kind: 'retryable', code: 'VENDOR_ERROR', message: 'no error body', failover: false };
const throttled: Outcome = {
  kind: 'retryable',
  code: 'VENDOR_RATE_LIMITED',
  message: '429',
  failover: true,
  throttled: true,
  retryAfterMs: 60_000,
};
const badKey: Outcome = { kind: 'permanent', level: 'provider', code: 'INVALID_CREDENTIALS', message: '401' };
const badAddress: Outcome = { kind: 'permanent', level: 'message', code: 'INVALID_RECIPIENT', message: 'rejected' };
const timeout: Outcome = { kind: 'ambiguous', code: 'TIMEOUT', message: 'no answer in 10 s' };

/** Calls the providers in order with the given outcomes, as the dispatcher does; returns the ending. */
function walkThrough(providers: Candidate[], outcomes: (Outcome | 'breaker open')[], policy: 'retry' | 'fail' = 'retry'): Ending {
  let walk: Walk = startWalk('EMAIL');
  for (const [index, provider] of providers.entries()) {
    const outcome = outcomes[index];
    if (!outcome || outcome === 'breaker open') continue;
    walk = calling(walk, provider);
    const step = afterOutcome(walk, provider, outcome, policy);
    if ('done' in step) return step.done;
    walk = step.next;
  }
  return endOfWalk(walk, providers, () => 5_000, new Date(0)).ending;
}

describe('which providers, in what order', () => {
  it('keeps the priority order, and after an ambiguous send only the provider that may have the message', () => {
    expect(candidatesFor([resend, sendgrid], undefined)).toEqual([resend, sendgrid]);
    expect(candidatesFor([resend, sendgrid], 'cfg-sendgrid')).toEqual([sendgrid]);
    // The config was removed or disabled meanwhile: nothing to stick to.
    expect(candidatesFor([resend, sendgrid], 'cfg-gone')).toEqual([resend, sendgrid]);
  });
});

describe('what a call outcome means for the attempt', () => {
  it('ends with SENT at the first provider that sends', () => {
    expect(walkThrough([resend, sendgrid], [sent])).toEqual({ kind: 'sent', provider: resend, vendorMessageId: 'v-1' });
    expect(walkThrough([resend, sendgrid], [down, sent])).toMatchObject({ kind: 'sent', provider: sendgrid });
  });

  it('fails over on a clear failure of the provider (5xx with an error body, bad credentials, open breaker)', () => {
    expect(walkThrough([resend, sendgrid], [badKey, sent])).toMatchObject({ kind: 'sent', provider: sendgrid });
    expect(walkThrough([resend, sendgrid], ['breaker open', sent])).toMatchObject({ kind: 'sent', provider: sendgrid });
  });

  it('fails the message at once when the vendor refuses the message itself', () => {
    expect(walkThrough([resend, sendgrid], [badAddress, sent])).toEqual({
      kind: 'fail',
      code: 'INVALID_RECIPIENT',
      message: 'rejected',
      provider: resend,
    });
  });

  it('retries without failover when the request may have got through (5xx without an error body)', () => {
    expect(walkThrough([resend, sendgrid], [busy, sent])).toEqual({
      kind: 'retry',
      code: 'VENDOR_ERROR',
      message: 'no error body',
      vendorDelayMs: undefined,
      throttled: false,
      tried: ['cfg-resend'],
    });
  });

  it('prefers a provider that may work later over a later one that never will, naming every provider tried', () => {
    expect(walkThrough([resend, sendgrid], [down, badKey])).toEqual({
      kind: 'retry',
      code: 'VENDOR_UNAVAILABLE',
      message: '503',
      vendorDelayMs: 2_000,
      throttled: false,
      tried: ['cfg-resend', 'cfg-sendgrid'],
    });
    expect(walkThrough([resend, sendgrid], [throttled, down])).toMatchObject({
      kind: 'retry',
      code: 'VENDOR_UNAVAILABLE',
      tried: ['cfg-resend', 'cfg-sendgrid'],
    });
    expect(walkThrough([resend, sendgrid], [badKey, badKey])).toMatchObject({
      kind: 'fail',
      code: 'INVALID_CREDENTIALS',
      provider: sendgrid,
    });
  });

  it('never fails over after an ambiguous send: retried on the same provider, or failed under the tenant policy `fail`', () => {
    const retried = {
      kind: 'retry',
      code: 'AMBIGUOUS_SEND',
      message: 'TIMEOUT: no answer in 10 s',
      throttled: false,
      tried: ['cfg-sendgrid'],
    };
    expect(walkThrough([sendgrid, twilio], [timeout, sent])).toEqual(retried);
    expect(walkThrough([sendgrid, twilio], [timeout, sent], 'fail')).toEqual({
      kind: 'fail',
      code: 'AMBIGUOUS_SEND',
      message: 'no answer in 10 s',
      provider: sendgrid,
    });
    // A vendor that deduplicates on our key makes the retry safe whatever the policy.
    expect(walkThrough([resend], [timeout], 'fail')).toMatchObject({ kind: 'retry', code: 'AMBIGUOUS_SEND', tried: ['cfg-resend'] });
  });

  it('fails with NO_PROVIDER when the channel has none', () => {
    expect(walkThrough([], [])).toEqual({ kind: 'fail', code: 'NO_PROVIDER', message: 'no enabled provider for EMAIL' });
  });

  it('records a pause when every breaker is open, and waits until one may let a trial call through', () => {
    const { ending, paused } = endOfWalk(startWalk('EMAIL'), [resend, sendgrid], () => 7_500, new Date(1_000));
    expect(ending).toEqual({
      kind: 'retry',
      code: 'BREAKER_OPEN',
      message: 'every provider of the channel is paused after failures',
      vendorDelayMs: 7_500,
      throttled: false,
      tried: [],
    });
    expect(paused).toEqual({
      providerConfigId: 'cfg-resend',
      provider: 'resend',
      startedAt: new Date(1_000),
      durationMs: 0,
      outcome: 'retryable',
      errorCode: 'BREAKER_OPEN',
      errorMessage: 'not called: every provider of the channel is paused after failures',
    });
  });
});

describe('retry or fail', () => {
  const schedule = { delaysMs: [100, 200, 300], jitter: 0 };
  const failedAt = (n: number, code = 'VENDOR_UNAVAILABLE') => ({ outcome: 'retryable', error_code: code, attempt_number: n });

  it('counts each failed attempt once, not the one being decided, and never waits for a rate limit', () => {
    expect(retriesUsed([failedAt(1)], false)).toBe(0);
    // Two providers failed in attempt 2: one retry used by attempt 1, none yet by attempt 2.
    expect(retriesUsed([failedAt(1), failedAt(2), failedAt(2, 'INVALID_CREDENTIALS')], false)).toBe(1);
    expect(retriesUsed([failedAt(1, 'RATE_LIMITED'), failedAt(2, 'SEND_RATE_LIMITED'), failedAt(3)], false)).toBe(0);
    // An attempt that only waited for a rate limit does not count against itself.
    expect(retriesUsed([failedAt(1), failedAt(2, 'QUOTA_EXCEEDED')], true)).toBe(1);
    expect(retriesUsed([{ outcome: 'sent', error_code: null, attempt_number: 1 }], false)).toBe(0);
  });

  it("reads a vendor's rate limit as a wait under its name and under the name rows written before decision 0004 carry", () => {
    expect(retriesUsed([failedAt(1, 'VENDOR_RATE_LIMITED'), failedAt(2, 'RATE_LIMITED'), failedAt(3)], false)).toBe(0);
    expect(retriesUsed([failedAt(1, 'VENDOR_RATE_LIMITED'), failedAt(2, 'RATE_LIMITED'), failedAt(3), failedAt(4)], false)).toBe(1);
  });

  it('follows the schedule, then fails with RETRIES_EXHAUSTED carrying the last error', () => {
    const retry = { kind: 'retry' as const, code: 'VENDOR_UNAVAILABLE', message: '503', throttled: false, tried: [] };
    expect(retryOrGiveUp(schedule, [failedAt(1)], retry)).toEqual({ retry: true, delayMs: 100 });
    expect(retryOrGiveUp(schedule, [failedAt(1), failedAt(2), failedAt(3)], retry)).toEqual({ retry: true, delayMs: 300 });
    expect(retryOrGiveUp(schedule, [failedAt(1), failedAt(2), failedAt(3), failedAt(4)], retry)).toEqual({
      retry: false,
      failure: { kind: 'fail', code: 'RETRIES_EXHAUSTED', message: 'VENDOR_UNAVAILABLE: 503' },
    });
    // A throttled wait is retried even when every retry was used, after the vendor's back-off.
    const waited = { ...retry, code: 'RATE_LIMITED', throttled: true, vendorDelayMs: 60_000 };
    expect(retryOrGiveUp(schedule, [failedAt(1), failedAt(2), failedAt(3), failedAt(4), failedAt(5, 'RATE_LIMITED')], waited)).toEqual({
      retry: true,
      delayMs: 60_000,
    });
  });
});

describe("the breaker's verdict", () => {
  it.each<[string, Outcome, boolean, string]>([
    ['a send', sent, false, 'success'],
    ['a refused message (the vendor answers)', badAddress, false, 'success'],
    ['refused credentials', badKey, false, 'fatal'],
    ['a 5xx', down, false, 'failure'],
    ['a rate limit', throttled, false, 'neutral'],
    ['a timeout outside a trial', timeout, false, 'neutral'],
    ['a timeout of a trial', timeout, true, 'failure'],
  ])('%s → %s', (_what, outcome, trial, verdict) => {
    expect(breakerVerdict(outcome, trial)).toBe(verdict);
  });
});

describe('outcomes the gateway makes itself', () => {
  it('carry codes of the catalog with the class they act as', () => {
    expect(sendRateWait(1_500)).toEqual({
      kind: 'retryable',
      code: 'SEND_RATE_LIMITED',
      message: 'waiting for the provider send-rate limit',
      retryAfterMs: 1_500,
      throttled: true,
      failover: false,
    });
    const wait = sendRateWait(1);
    expect(wait.kind !== 'sent' && outcomeClassOf(wait.code)).toBe('throttled');
    const failed = adapterFailed();
    expect(failed).toMatchObject({ kind: 'ambiguous', code: 'ADAPTER_ERROR' });
    expect(failed.kind !== 'sent' && outcomeClassOf(failed.code)).toBe('ambiguous');
    expect(deferred()).toMatchObject({ kind: 'retry', code: 'TENANT_INFLIGHT_CAP', throttled: true, tried: [] });
    expect(outcomeClassOf(deferred().code)).toBe('throttled');
    expect(unprepared(['cfg-resend'])).toMatchObject({ kind: 'retry', code: 'GATEWAY_ERROR', throttled: false, tried: ['cfg-resend'] });
    expect(outcomeClassOf(unprepared([]).code)).toBe('retryable');
  });

  it('defers a send that waited so long for a slot that it could outlive its lease', () => {
    // Default settings: a 60 s lease and a 10 s send timeout leave 50 s to wait.
    expect(leaseTooShort(10_001, 10_000, 60_000)).toBe(false);
    expect(leaseTooShort(9_999, 10_000, 60_000)).toBe(true);
    // A lease shorter than the timeout (tests): a send starts within the first half of it.
    expect(leaseTooShort(1_000, 10_000, 2_000)).toBe(false);
    expect(leaseTooShort(999, 10_000, 2_000)).toBe(true);
  });

  it('counts a deferral as a wait and an unprepared send as no failure of its own', () => {
    const schedule = { delaysMs: [1_000, 5_000], jitter: 0 };
    const failedCall = { outcome: 'retryable', error_code: 'VENDOR_ERROR', attempt_number: 1 };
    // One failed attempt before: a deferral (throttled) waits the first delay and keeps both retries.
    expect(retryOrGiveUp(schedule, [failedCall], deferred())).toEqual({ retry: true, delayMs: 1_000 });
    // An unprepared send records no call: it is not a failed try of its own, so the first delay comes again.
    expect(retryOrGiveUp(schedule, [failedCall], unprepared([]))).toEqual({ retry: true, delayMs: 1_000 });
  });

  it('records a call with what the outcome says', () => {
    expect(
      attemptOf(resend, new Date(5), 12, { kind: 'retryable', code: 'VENDOR_ERROR', message: 'x', httpStatus: 500, failover: true }),
    ).toEqual({
      providerConfigId: 'cfg-resend',
      provider: 'resend',
      startedAt: new Date(5),
      durationMs: 12,
      outcome: 'retryable',
      httpStatus: 500,
      errorCode: 'VENDOR_ERROR',
      errorMessage: 'x',
      vendorMessageId: undefined,
    });
    expect(attemptOf(resend, new Date(5), 3, sent)).toMatchObject({ outcome: 'sent', errorCode: undefined, vendorMessageId: 'v-1' });
  });
});
