import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, nextRetry, parseSchedule } from './retry-policy.js';

describe('retry policy', () => {
  it('follows the default schedule of SPEC §3 (30 s, 2 m, 10 m, 30 m, 60 m), then gives up', () => {
    const noJitter = { ...DEFAULT_SCHEDULE, jitter: 0 };
    const delays = [0, 1, 2, 3, 4].map((used) => nextRetry(noJitter, { retriesUsed: used }));
    expect(delays).toEqual([30_000, 120_000, 600_000, 1_800_000, 3_600_000].map((delayMs) => ({ retry: true, delayMs })));
    expect(nextRetry(noJitter, { retriesUsed: 5 })).toEqual({ retry: false });
  });

  it('spreads delays by the jitter fraction', () => {
    expect(nextRetry(DEFAULT_SCHEDULE, { retriesUsed: 0 }, () => 0)).toEqual({ retry: true, delayMs: 24_000 });
    expect(nextRetry(DEFAULT_SCHEDULE, { retriesUsed: 0 }, () => 1)).toEqual({ retry: true, delayMs: 36_000 });
  });

  it("honours a vendor's back-off when it asks for longer, and never shortens it", () => {
    const s = { delaysMs: [100], jitter: 0 };
    expect(nextRetry(s, { retriesUsed: 0, vendorDelayMs: 5_000 })).toEqual({ retry: true, delayMs: 5_000 });
    expect(nextRetry(s, { retriesUsed: 0, vendorDelayMs: 10 })).toEqual({ retry: true, delayMs: 100 });
  });

  it('retries a throttled send even after every retry was used (waiting for a rate limit is not a retry)', () => {
    const s = { delaysMs: [100, 200], jitter: 0 };
    expect(nextRetry(s, { retriesUsed: 2, throttled: true, vendorDelayMs: 1_000 })).toEqual({ retry: true, delayMs: 1_000 });
  });

  it('parses schedules with units', () => {
    expect(parseSchedule('30s,2m,10m,1h')).toEqual([30_000, 120_000, 600_000, 3_600_000]);
    expect(parseSchedule('50, 100,250ms')).toEqual([50, 100, 250]);
    expect(() => parseSchedule('soon')).toThrow(/not a delay/);
  });
});
