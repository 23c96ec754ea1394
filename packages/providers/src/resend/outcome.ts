import { parseRetryAfter } from '../http/back-off.js';
import { byStatus, permanent, retryable, sent } from '../http/outcomes.js';
import { redactVendorText } from '../http/redact.js';
import { stringField, type VendorResponse } from '../http/vendor-call.js';
import type { Outcome, TestConnectionResult } from '../types.js';

const VENDOR = 'Resend';

/** Resend's error body: `{ "statusCode": 422, "name": "validation_error", "message": "..." }`. */
function errorOf(response: VendorResponse, sensitive: readonly (string | undefined)[]): { name: string | undefined; text: string } {
  const name = stringField(response.json, 'name');
  const message = redactVendorText(stringField(response.json, 'message'), sensitive);
  return { name, text: name ? `${name}${message ? `: ${message}` : ''}` : message };
}

function backOff(response: VendorResponse, now: number): number | undefined {
  return parseRetryAfter(response.headers.get('retry-after'), now) ?? parseRetryAfter(response.headers.get('ratelimit-reset'), now);
}

/**
 * Maps an answer of `POST /emails` to an outcome (see the table in the package README).
 * `sensitive` holds values that must not reach the message (API key, recipient).
 */
export function resendSendOutcome(response: VendorResponse, sensitive: readonly (string | undefined)[], now: number = Date.now()): Outcome {
  const { status } = response;
  if (status >= 200 && status < 300) return sent(stringField(response.json, 'id'), status);
  const { name, text } = errorOf(response, sensitive);
  const httpStatus = status;
  const detail = `Resend ${status} ${text}`.trim();
  switch (status) {
    case 400:
      if (/api key/i.test(text)) return permanent('provider', 'INVALID_CREDENTIALS', detail, { httpStatus });
      return permanent('message', 'REQUEST_REJECTED', detail, { httpStatus });
    case 401:
      return permanent('provider', 'INVALID_CREDENTIALS', detail, { httpStatus });
    case 403:
      // invalid_api_key, or validation_error for an unverified sending domain / the testing domain:
      // every message of this config would fail the same way.
      if (name === 'invalid_api_key' || /api key/i.test(text)) return permanent('provider', 'INVALID_CREDENTIALS', detail, { httpStatus });
      return permanent('provider', 'SENDER_REJECTED', detail, { httpStatus });
    case 409:
      if (name === 'concurrent_idempotent_requests') {
        // The first request with this key is still running and may send: never fail over.
        return retryable('IDEMPOTENCY_IN_PROGRESS', detail, { httpStatus, failover: false, retryAfterMs: backOff(response, now) ?? 1000 });
      }
      return permanent('message', 'IDEMPOTENCY_CONFLICT', detail, { httpStatus });
    case 422:
      if (name === 'invalid_from_address') return permanent('provider', 'SENDER_REJECTED', detail, { httpStatus });
      if (/`to`|\bto field|recipient/i.test(text)) return permanent('message', 'INVALID_RECIPIENT', detail, { httpStatus });
      return permanent('message', 'REQUEST_REJECTED', detail, { httpStatus });
    case 429:
      if (name === 'daily_quota_exceeded' || name === 'monthly_quota_exceeded') {
        return retryable('QUOTA_EXCEEDED', detail, { httpStatus, failover: true, throttled: true, retryAfterMs: backOff(response, now) });
      }
      return retryable('VENDOR_RATE_LIMITED', detail, {
        httpStatus,
        failover: true,
        throttled: true,
        retryAfterMs: backOff(response, now),
      });
    case 451:
      return permanent('message', 'CONTENT_REJECTED', detail, { httpStatus });
    default:
      return byStatus(VENDOR, status, { parsedBody: name !== undefined, retryAfterMs: backOff(response, now), detail: text || undefined });
  }
}

/**
 * `GET /domains` as a credential check. A sending-only key answers 401 `restricted_api_key`: the
 * key exists and may send, which is all a provider config needs.
 */
export function resendTestResult(response: VendorResponse): TestConnectionResult {
  const { status } = response;
  if (status >= 200 && status < 300) return { ok: true };
  const name = stringField(response.json, 'name');
  if (status === 401 && name === 'restricted_api_key') return { ok: true };
  if (status === 400 && /api key/i.test(stringField(response.json, 'message') ?? '')) return { ok: false, code: 'INVALID_CREDENTIALS' };
  if (status === 401 || status === 403) return { ok: false, code: 'INVALID_CREDENTIALS' };
  if (status === 429) return { ok: false, code: 'VENDOR_RATE_LIMITED' };
  return { ok: false, code: 'VENDOR_ERROR' };
}
