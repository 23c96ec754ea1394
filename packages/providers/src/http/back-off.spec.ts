import { describe, expect, it } from 'vitest';
import { MAX_BACK_OFF_MS, parseEpochReset, parseRetryAfter } from './back-off.js';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('vendor back-off headers', () => {
  it('Retry-After: delay-seconds or an HTTP date; nothing for garbage', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });

  it('X-RateLimit-Reset: epoch seconds → time until then; small numbers are seconds to wait', () => {
    expect(parseEpochReset(String(now / 1000 + 7), now)).toBe(7_000);
    expect(parseEpochReset(String(now / 1000 - 7), now)).toBe(0);
    expect(parseEpochReset('30', now)).toBe(30_000);
    expect(parseEpochReset('x', now)).toBeUndefined();
  });

  it('caps absurd back-offs', () => {
    expect(parseRetryAfter('99999999', now)).toBe(MAX_BACK_OFF_MS);
  });
});
