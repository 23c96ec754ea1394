import { parseEpochReset, parseRetryAfter } from '../http/back-off.js';
import { byStatus, permanent, retryable, sent } from '../http/outcomes.js';
import { redactVendorText } from '../http/redact.js';
import { field, stringField, type VendorResponse } from '../http/vendor-call.js';
import type { Outcome, TestConnectionResult } from '../types.js';

const VENDOR = 'SendGrid';

interface SendGridError {
  message: string;
  field: string | undefined;
}

/** SendGrid v3 error body: `{ "errors": [{ "message", "field", "help" }] }`. */
export function sendGridErrors(json: unknown): SendGridError[] | undefined {
  const errors = field(json, 'errors');
  if (!Array.isArray(errors)) return undefined;
  return errors.map((entry) => ({ message: stringField(entry, 'message') ?? '', field: stringField(entry, 'field') }));
}

function describe(errors: SendGridError[] | undefined, sensitive: readonly (string | undefined)[]): string {
  if (!errors || errors.length === 0) return '';
  return redactVendorText(
    errors
      .slice(0, 2)
      .map((error) => (error.field ? `${error.field}: ${error.message}` : error.message))
      .join('; '),
    sensitive,
  );
}

function backOff(response: VendorResponse, now: number): number | undefined {
  return parseEpochReset(response.headers.get('x-ratelimit-reset'), now) ?? parseRetryAfter(response.headers.get('retry-after'), now);
}

/** Maps an answer of `POST /v3/mail/send` (see the table in the package README). */
export function sendGridSendOutcome(
  response: VendorResponse,
  sensitive: readonly (string | undefined)[],
  now: number = Date.now(),
): Outcome {
  const { status } = response;
  if (status >= 200 && status < 300) return sent(response.headers.get('x-message-id') ?? undefined, status);
  const errors = sendGridErrors(response.json);
  const text = describe(errors, sensitive);
  const detail = `SendGrid ${status}${text ? ` ${text}` : ''}`;
  const httpStatus = status;
  const fields = (errors ?? []).map((error) => error.field ?? '');
  switch (status) {
    case 400:
      if (fields.some((name) => name.startsWith('from'))) return permanent('provider', 'SENDER_REJECTED', detail, { httpStatus });
      if (fields.some((name) => name.startsWith('personalizations')))
        return permanent('message', 'INVALID_RECIPIENT', detail, { httpStatus });
      if (fields.some((name) => name.startsWith('content') || name === 'subject'))
        return permanent('message', 'CONTENT_REJECTED', detail, { httpStatus });
      return permanent('message', 'REQUEST_REJECTED', detail, { httpStatus });
    case 401:
      return permanent('provider', 'INVALID_CREDENTIALS', detail, { httpStatus });
    case 403:
      // An unverified Sender Identity, a key without the mail.send scope, or a temporary block
      // after too many bad requests: the same for every message of this config.
      if (/sender identity|from address/i.test(text)) return permanent('provider', 'SENDER_REJECTED', detail, { httpStatus });
      return permanent('provider', 'PERMISSION_DENIED', detail, { httpStatus });
    case 413:
      return permanent('message', 'CONTENT_REJECTED', detail, { httpStatus });
    case 429:
      return retryable('VENDOR_RATE_LIMITED', detail, {
        httpStatus,
        failover: true,
        throttled: true,
        retryAfterMs: backOff(response, now),
      });
    default:
      return byStatus(VENDOR, status, {
        parsedBody: errors !== undefined,
        retryAfterMs: backOff(response, now),
        detail: text || undefined,
      });
  }
}

/** `GET /v3/scopes`: the key is valid; it must also hold `mail.send`. */
export function sendGridTestResult(response: VendorResponse): TestConnectionResult {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const scopes = field(response.json, 'scopes');
    if (Array.isArray(scopes) && !scopes.includes('mail.send')) return { ok: false, code: 'INSUFFICIENT_PERMISSIONS' };
    return { ok: true };
  }
  if (status === 401 || status === 403) return { ok: false, code: 'INVALID_CREDENTIALS' };
  if (status === 429) return { ok: false, code: 'VENDOR_RATE_LIMITED' };
  return { ok: false, code: 'VENDOR_ERROR' };
}
