/** How the client retries a call the API could not take right now. */
export interface RetryOptions {
  /** Retries after the first attempt (default 5). 0 disables retrying. */
  maxRetries: number;
  /** The longest single wait; a Retry-After beyond it is not waited for (default 30 s). */
  maxDelayMs: number;
  /** First back-off without a Retry-After, doubled per attempt, with jitter (default 250 ms). */
  baseDelayMs: number;
}

export const defaultRetryOptions: RetryOptions = { maxRetries: 5, maxDelayMs: 30_000, baseDelayMs: 250 };

/** What came back from one attempt, as far as retrying is concerned. */
export type AttemptOutcome =
  { kind: 'response'; status: number; code: string | undefined; retryAfter: string | null } | { kind: 'network' };

/**
 * Pure: after attempt number `attempt` (1 = the first call) ended with `outcome`, wait this many
 * milliseconds and try again, or `undefined` to stop. Retried: 503 (UNAVAILABLE), 429
 * (RATE_LIMITED), 409 IDEMPOTENCY_IN_PROGRESS, and unreachable servers — all safe because the
 * same idempotency key goes with every attempt. Retry-After (seconds or an HTTP date) wins over
 * the back-off; one longer than `maxDelayMs` (a daily cap, say) ends the retries at once.
 */
export function retryDelay(
  outcome: AttemptOutcome,
  attempt: number,
  options: RetryOptions,
  now: number = Date.now(),
  random: () => number = Math.random,
): number | undefined {
  if (attempt > options.maxRetries) return undefined;
  if (outcome.kind === 'response') {
    const retryable =
      outcome.status === 503 || outcome.status === 429 || (outcome.status === 409 && outcome.code === 'IDEMPOTENCY_IN_PROGRESS');
    if (!retryable) return undefined;
    const after = parseRetryAfter(outcome.retryAfter, now);
    if (after !== undefined) return after > options.maxDelayMs ? undefined : after;
  }
  const backoff = options.baseDelayMs * 2 ** (attempt - 1);
  // "Equal jitter": half fixed, half random, so concurrent clients spread out.
  return Math.min(options.maxDelayMs, backoff / 2 + (random() * backoff) / 2);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
