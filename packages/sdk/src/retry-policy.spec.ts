import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay, type AttemptOutcome, type RetryOptions } from './retry-policy.js';

const options: RetryOptions = { maxRetries: 3, maxDelayMs: 30_000, baseDelayMs: 200 };
const response = (status: number, retryAfter: string | null = null, code?: string): AttemptOutcome => ({
  kind: 'response',
  status,
  code,
  retryAfter,
});
const now = Date.UTC(2026, 11, 3, 12, 0, 0);

describe('retryDelay', () => {
  it('waits what Retry-After says on 503 and 429', () => {
    expect(retryDelay(response(503, '1'), 1, options, now)).toBe(1000);
    expect(retryDelay(response(429, '7'), 2, options, now)).toBe(7000);
    expect(retryDelay(response(429, new Date(now + 4000).toUTCString()), 1, options, now)).toBe(4000);
  });

  it('retries 409 IDEMPOTENCY_IN_PROGRESS but not a reused key or any other client error', () => {
    expect(retryDelay(response(409, '1', 'IDEMPOTENCY_IN_PROGRESS'), 1, options, now)).toBe(1000);
    expect(retryDelay(response(409, null, 'IDEMPOTENCY_KEY_REUSED'), 1, options, now)).toBeUndefined();
    for (const status of [400, 401, 403, 404, 413, 415, 422, 500]) expect(retryDelay(response(status), 1, options, now)).toBeUndefined();
  });

  it('stops after maxRetries retries', () => {
    expect(retryDelay(response(503, '1'), 3, options, now)).toBe(1000);
    expect(retryDelay(response(503, '1'), 4, options, now)).toBeUndefined();
    expect(retryDelay({ kind: 'network' }, 1, { ...options, maxRetries: 0 }, now)).toBeUndefined();
  });

  it('does not wait out a Retry-After longer than maxDelayMs (a daily cap), it gives up at once', () => {
    expect(retryDelay(response(429, '3600'), 1, options, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped, when there is no Retry-After or the server was unreachable', () => {
    const low = () => 0;
    const high = () => 1;
    expect(retryDelay({ kind: 'network' }, 1, options, now, low)).toBe(100);
    expect(retryDelay({ kind: 'network' }, 1, options, now, high)).toBe(200);
    expect(retryDelay(response(503), 3, options, now, high)).toBe(800);
    expect(retryDelay({ kind: 'network' }, 3, { ...options, maxDelayMs: 500 }, now, high)).toBe(500);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(new Date(now - 5000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
