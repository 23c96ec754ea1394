import { describe, expect, it } from 'vitest';
import type { BreakerSnapshot } from '@orqestra/contracts';
import { Breakers, type BreakerPermit } from './breakers.js';

function setup(settings: Partial<{ threshold: number; cooldownMs: number; trialTimeoutMs: number }> = {}) {
  const clock = { now: 0 };
  const changes: { key: string; snapshot: BreakerSnapshot }[] = [];
  const breakers = new Breakers(
    { threshold: 3, cooldownMs: 1_000, trialTimeoutMs: 5_000, ...settings },
    () => clock.now,
    (key, snapshot) => changes.push({ key, snapshot }),
  );
  const call = (key = 'p'): BreakerPermit => {
    const permit = breakers.acquire(key);
    if (!permit) throw new Error(`${key} refused a call`);
    return permit;
  };
  return { clock, changes, breakers, call };
}

describe('provider circuit breakers', () => {
  it('open after consecutive failures, stay open for the cool-down, then let one trial through; its success closes', () => {
    const { clock, breakers, call } = setup();
    for (let i = 0; i < 2; i++) breakers.settle(call(), 'failure');
    expect(breakers.state('p')).toBe('closed');
    breakers.settle(call(), 'failure');
    expect(breakers.state('p')).toBe('open');
    expect(breakers.acquire('p')).toBeUndefined();
    clock.now = 1_000;
    const trial = call();
    expect(trial.trial).toBe(true);
    expect(breakers.acquire('p')).toBeUndefined();
    breakers.settle(trial, 'success');
    expect(breakers.state('p')).toBe('closed');
    expect(breakers.acquire('p')).toBeDefined();
  });

  it('re-open when the trial fails; a success between failures resets the count; other providers are unaffected', () => {
    const { clock, breakers, call } = setup({ threshold: 2, cooldownMs: 100 });
    breakers.settle(call(), 'failure');
    breakers.settle(call(), 'success');
    breakers.settle(call(), 'failure');
    expect(breakers.state('p')).toBe('closed');
    breakers.settle(call(), 'fatal');
    expect(breakers.state('p')).toBe('open');
    clock.now = 100;
    breakers.settle(call(), 'failure');
    expect(breakers.state('p')).toBe('open');
    expect(breakers.acquire('q')).toBeDefined();
  });

  it('a trial that ends without a verdict (throttled, or no call made) lets the next call be the trial instead of staying half-open', () => {
    const { clock, breakers, call } = setup();
    breakers.settle(call(), 'fatal');
    clock.now = 1_000;
    breakers.settle(call(), 'neutral');
    expect(breakers.state('p')).toBe('half-open');
    const next = call();
    expect(next.trial).toBe(true);
    breakers.settle(next, 'success');
    expect(breakers.state('p')).toBe('closed');
  });

  it('a trial that never reports back counts as failed at its deadline; after the next cool-down a new trial goes through', () => {
    const { clock, breakers, call } = setup({ trialTimeoutMs: 2_000 });
    breakers.settle(call(), 'fatal');
    clock.now = 1_000;
    call(); // the trial is lost: never settled
    clock.now = 2_999;
    expect(breakers.acquire('p')).toBeUndefined();
    clock.now = 3_000;
    expect(breakers.acquire('p')).toBeUndefined();
    expect(breakers.state('p')).toBe('open');
    clock.now = 4_000;
    const retrial = call();
    expect(retrial.trial).toBe(true);
    breakers.settle(retrial, 'success');
    expect(breakers.state('p')).toBe('closed');
  });

  it('a late failure of a call that started before the breaker opened does not close it again', () => {
    const { breakers, call } = setup();
    const slow = call();
    for (let i = 0; i < 3; i++) breakers.settle(call(), 'failure');
    expect(breakers.state('p')).toBe('open');
    breakers.settle(slow, 'failure', { code: 'PROVIDER_UNAVAILABLE', message: '503' });
    expect(breakers.state('p')).toBe('open');
    breakers.settle(slow, 'success');
    expect(breakers.state('p')).toBe('open');
    expect(breakers.acquire('p')).toBeUndefined();
  });

  it('say how long until a paused provider can take a call: the rest of the cool-down, or while a trial runs', () => {
    const { clock, breakers, call } = setup({ cooldownMs: 1_000 });
    expect(breakers.waitMs('p')).toBe(0);
    breakers.settle(call(), 'fatal');
    clock.now = 400;
    expect(breakers.waitMs('p')).toBe(600);
    clock.now = 1_000;
    const trial = call();
    expect(breakers.waitMs('p')).toBe(1_000);
    breakers.settle(trial, 'success');
    expect(breakers.waitMs('p')).toBe(0);
  });

  it('reports every state change and the last error, for metrics and the admin API', () => {
    const { clock, breakers, call, changes } = setup({ threshold: 1 });
    clock.now = Date.parse('2026-01-01T00:00:00Z');
    breakers.settle(call(), 'failure', { code: 'PROVIDER_UNAVAILABLE', message: 'HTTP 503' });
    const last = changes.at(-1);
    expect(last?.key).toBe('p');
    expect(last?.snapshot).toMatchObject({
      state: 'open',
      since: '2026-01-01T00:00:00.000Z',
      openUntil: '2026-01-01T00:00:01.000Z',
      lastError: { code: 'PROVIDER_UNAVAILABLE', message: 'HTTP 503', at: '2026-01-01T00:00:00.000Z' },
    });
    clock.now += 1_000;
    breakers.settle(call(), 'success');
    expect(changes.map((c) => c.snapshot.state)).toEqual(['open', 'half-open', 'closed']);
    expect(breakers.snapshot('p').lastError?.code).toBe('PROVIDER_UNAVAILABLE');
  });
});
