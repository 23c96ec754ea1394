/**
 * When to try again (SPEC §3): exponential back-off with jitter over a configurable schedule
 * (default 30 s, 2 m, 10 m, 30 m, 60 m); a vendor's Retry-After / reset header wins when it asks
 * for longer. Pure: the decision is a function of the outcome and how many retries were used.
 */
export interface RetrySchedule {
  /** Delay before retry n (index n-1), in milliseconds. Its length is the number of retries. */
  delaysMs: readonly number[];
  /** ± fraction of random spread, e.g. 0.2 → 80%..120% of the delay. */
  jitter: number;
}

export const DEFAULT_SCHEDULE: RetrySchedule = { delaysMs: [30_000, 120_000, 600_000, 1_800_000, 3_600_000], jitter: 0.2 };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * @param retriesUsed retries already spent in this series (throttling waits do not count)
 * @param vendorDelayMs back-off the vendor asked for, if any
 * @param throttled a 429 or a send-rate wait: retried without using up a retry
 */
export function nextRetry(
  schedule: RetrySchedule,
  input: { retriesUsed: number; vendorDelayMs?: number; throttled?: boolean },
  random: () => number = Math.random,
): RetryDecision {
  const base = input.throttled ? (schedule.delaysMs[0] ?? 1_000) : schedule.delaysMs[input.retriesUsed];
  if (base === undefined) return { retry: false };
  const spread = base * schedule.jitter * (2 * random() - 1);
  const delayMs = Math.max(0, Math.round(base + spread));
  return { retry: true, delayMs: Math.max(delayMs, input.vendorDelayMs ?? 0) };
}

/** Parses a schedule like "30s,2m,10m,30m,60m" or "50,100,200" (milliseconds). */
export function parseSchedule(text: string): number[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(part);
    if (!match) throw new Error(`"${part}" is not a delay (e.g. 500ms, 30s, 2m, 1h)`);
    const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
    return Math.round(Number(match[1]) * unit);
  });
}
