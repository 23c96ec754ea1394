/** Longest back-off we pass on; a vendor asking for more is capped (the gateway re-checks anyway). */
export const MAX_BACK_OFF_MS = 24 * 60 * 60 * 1000;

function clamp(ms: number): number {
  return Math.min(Math.max(0, Math.round(ms)), MAX_BACK_OFF_MS);
}

/**
 * `Retry-After` (RFC 9110): delay-seconds or an HTTP date. Returns milliseconds from `now`, or
 * undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return clamp(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return clamp(date - now);
}

/**
 * A reset header holding the epoch second at which the window reopens (SendGrid's
 * `X-RateLimit-Reset`). Small values are read as a number of seconds to wait, which some proxies send.
 */
export function parseEpochReset(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const seconds = Number(text);
  // Anything below ~2001-09-09 is not an epoch: treat it as delta-seconds.
  if (seconds < 1_000_000_000) return clamp(seconds * 1000);
  return clamp(seconds * 1000 - now);
}
