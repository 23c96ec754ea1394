import type { DeliveryCode } from '@orqestra/contracts';
import type { Outcome } from '../types.js';

/**
 * Outcome codes shared by every adapter. `code` is ours (stable, vendor-neutral, what the
 * dead-letter filter and dashboards group by); the vendor's own code goes into `message`. Each is
 * a delivery entry of the one code catalog (CODES in @orqestra/contracts, decision 0004), which
 * says what it means (its class, whether it is dead-lettered). A vendor's rate limit is
 * `VENDOR_RATE_LIMITED`: `RATE_LIMITED` is our API's own limit.
 */
export const OUTCOME_CODES = {
  // transport
  CONNECTION_REFUSED: 'CONNECTION_REFUSED',
  CONNECTION_FAILED: 'CONNECTION_FAILED',
  CONNECTION_LOST: 'CONNECTION_LOST',
  TIMEOUT: 'TIMEOUT',
  ABORTED: 'ABORTED',
  // vendor side, transient
  VENDOR_RATE_LIMITED: 'VENDOR_RATE_LIMITED',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  VENDOR_UNAVAILABLE: 'VENDOR_UNAVAILABLE',
  VENDOR_ERROR: 'VENDOR_ERROR',
  IDEMPOTENCY_IN_PROGRESS: 'IDEMPOTENCY_IN_PROGRESS',
  // message level
  MISSING_RECIPIENT: 'MISSING_RECIPIENT',
  INVALID_RECIPIENT: 'INVALID_RECIPIENT',
  UNSUPPORTED_RECIPIENT: 'UNSUPPORTED_RECIPIENT',
  UNREACHABLE_RECIPIENT: 'UNREACHABLE_RECIPIENT',
  RECIPIENT_UNSUBSCRIBED: 'RECIPIENT_UNSUBSCRIBED',
  CONTENT_REJECTED: 'CONTENT_REJECTED',
  REQUEST_REJECTED: 'REQUEST_REJECTED',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  // provider level
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  SENDER_REJECTED: 'SENDER_REJECTED',
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  ACCOUNT_SUSPENDED: 'ACCOUNT_SUSPENDED',
  PROVIDER_MISCONFIGURED: 'PROVIDER_MISCONFIGURED',
} as const satisfies { readonly [K in DeliveryCode]?: K };
export type OutcomeCode = keyof typeof OUTCOME_CODES;

type Extra = { httpStatus?: number | undefined };

export function sent(vendorMessageId: string | undefined, httpStatus?: number): Outcome {
  return { kind: 'sent', ...(vendorMessageId ? { vendorMessageId } : {}), ...(httpStatus ? { httpStatus } : {}) };
}

export function retryable(
  code: OutcomeCode,
  message: string,
  options: Extra & { failover: boolean; throttled?: boolean; retryAfterMs?: number | undefined },
): Outcome {
  const outcome: Outcome = { kind: 'retryable', code, message, failover: options.failover };
  if (options.httpStatus !== undefined) outcome.httpStatus = options.httpStatus;
  if (options.throttled) outcome.throttled = true;
  if (options.retryAfterMs !== undefined) outcome.retryAfterMs = options.retryAfterMs;
  return outcome;
}

export function permanent(level: 'message' | 'provider', code: OutcomeCode, message: string, options: Extra = {}): Outcome {
  const outcome: Outcome = { kind: 'permanent', level, code, message };
  if (options.httpStatus !== undefined) outcome.httpStatus = options.httpStatus;
  return outcome;
}

export function ambiguous(code: OutcomeCode, message: string): Outcome {
  return { kind: 'ambiguous', code, message };
}

/**
 * The general rules of SPEC §3 for an HTTP answer no vendor-specific rule claimed:
 * 429 → throttled (failover allowed, back-off honoured); 401/403 → provider-level; other 4xx →
 * message-level; 5xx with a parsable error body → retryable with failover; 5xx without one (a
 * proxy's page, an empty body) → retryable without failover, the request may have got through.
 */
export function byStatus(
  vendor: string,
  status: number,
  options: { parsedBody: boolean; retryAfterMs?: number | undefined; detail?: string | undefined },
): Outcome {
  const detail = options.detail ? `: ${options.detail}` : '';
  if (status === 429) {
    return retryable('VENDOR_RATE_LIMITED', `${vendor} rate limit (429)${detail}`, {
      httpStatus: status,
      failover: true,
      throttled: true,
      retryAfterMs: options.retryAfterMs,
    });
  }
  if (status === 401 || status === 403) {
    return permanent('provider', 'INVALID_CREDENTIALS', `${vendor} refused the credentials (${status})${detail}`, { httpStatus: status });
  }
  if (status === 404 || status === 405) {
    return permanent('provider', 'PROVIDER_MISCONFIGURED', `${vendor} has no such endpoint (${status}); check the base URL${detail}`, {
      httpStatus: status,
    });
  }
  if (status >= 500) {
    const code = status === 502 || status === 503 || status === 504 ? 'VENDOR_UNAVAILABLE' : 'VENDOR_ERROR';
    return retryable(code, `${vendor} server error (${status})${detail}`, {
      httpStatus: status,
      failover: options.parsedBody,
      retryAfterMs: options.retryAfterMs,
    });
  }
  if (status >= 400) {
    return permanent('message', 'REQUEST_REJECTED', `${vendor} rejected the request (${status})${detail}`, { httpStatus: status });
  }
  if (status >= 300 && status < 400) {
    // Redirects are not followed (the caller checked the base URL's address, not where it points to).
    return permanent('provider', 'PROVIDER_MISCONFIGURED', `${vendor} answered with a redirect (${status}); check the base URL`, {
      httpStatus: status,
    });
  }
  // An unexpected 1xx/2xx: the vendor did something we do not understand; it may have sent.
  return ambiguous('VENDOR_ERROR', `${vendor} answered with unexpected status ${status}`);
}
