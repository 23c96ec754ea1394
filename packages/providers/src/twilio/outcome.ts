import { parseRetryAfter } from '../http/back-off.js';
import { byStatus, permanent, retryable, sent, type OutcomeCode } from '../http/outcomes.js';
import { redactVendorText } from '../http/redact.js';
import { field, stringField, type VendorResponse } from '../http/vendor-call.js';
import type { Outcome, TestConnectionResult } from '../types.js';

const VENDOR = 'Twilio';

type Rule =
  | { kind: 'message' | 'provider'; code: OutcomeCode; text: string }
  | { kind: 'retry'; code: OutcomeCode; text: string; failover: boolean; throttled?: boolean };

const message = (code: OutcomeCode, text: string): Rule => ({ kind: 'message', code, text });
const provider = (code: OutcomeCode, text: string): Rule => ({ kind: 'provider', code, text });
const retry = (code: OutcomeCode, text: string, failover: boolean, throttled = false): Rule => ({
  kind: 'retry',
  code,
  text,
  failover,
  throttled,
});

/**
 * Twilio error codes (https://www.twilio.com/docs/api/errors) → outcome. The text is ours: Twilio's
 * own messages often quote the recipient's number. 30xxx codes normally arrive in status
 * callbacks, but a create can answer with them too.
 */
export const TWILIO_ERROR_RULES: Readonly<Record<number, Rule>> = {
  // the recipient or the content: dead-letter this message
  21211: message('INVALID_RECIPIENT', "invalid 'To' phone number"),
  21214: message('UNREACHABLE_RECIPIENT', "'To' phone number cannot be reached"),
  21217: message('INVALID_RECIPIENT', 'phone number does not appear to be valid'),
  21407: message('UNSUPPORTED_RECIPIENT', 'this phone number type does not support SMS'),
  21408: message('UNSUPPORTED_RECIPIENT', "SMS to the 'To' number's region is not enabled on the account"),
  21602: message('CONTENT_REJECTED', 'message body is required'),
  21604: message('INVALID_RECIPIENT', "a 'To' phone number is required"),
  21608: message('UNSUPPORTED_RECIPIENT', "trial account: the 'To' number is not verified"),
  21610: message('RECIPIENT_UNSUBSCRIBED', 'the recipient unsubscribed (STOP) from this sender'),
  21612: message('UNREACHABLE_RECIPIENT', "'To' number is not currently reachable via SMS"),
  21614: message('UNSUPPORTED_RECIPIENT', "'To' number is not a valid mobile number"),
  21617: message('CONTENT_REJECTED', 'message body exceeds the 1600 character limit'),
  21635: message('UNSUPPORTED_RECIPIENT', "'To' number cannot be a landline"),
  30003: message('UNREACHABLE_RECIPIENT', 'unreachable destination handset'),
  30004: message('RECIPIENT_UNSUBSCRIBED', 'message blocked by the recipient or carrier'),
  30005: message('INVALID_RECIPIENT', 'unknown destination handset'),
  30006: message('UNSUPPORTED_RECIPIENT', 'landline or unreachable carrier'),
  30007: message('CONTENT_REJECTED', 'message filtered by the carrier'),
  // the account or its sender: open the breaker, use the next provider
  10001: provider('ACCOUNT_SUSPENDED', 'account is not active'),
  20003: provider('INVALID_CREDENTIALS', 'authentication failed (Account SID / Auth Token)'),
  20005: provider('ACCOUNT_SUSPENDED', 'account is not active'),
  20008: provider('INVALID_CREDENTIALS', 'test credentials cannot send messages'),
  20404: provider('PROVIDER_MISCONFIGURED', 'resource not found (Account SID or base URL)'),
  21212: provider('SENDER_REJECTED', "invalid 'From' number"),
  21603: provider('PROVIDER_MISCONFIGURED', "a 'From' number or Messaging Service is required"),
  21606: provider('SENDER_REJECTED', "the 'From' number is not a message-capable Twilio number"),
  21659: provider('SENDER_REJECTED', "the 'From' number is not a Twilio number, or a short code of another country"),
  21660: provider('SENDER_REJECTED', "the 'From' number does not belong to the account"),
  30002: provider('ACCOUNT_SUSPENDED', 'account suspended'),
  30034: provider('SENDER_REJECTED', 'sender not registered for A2P 10DLC'),
  // transient
  14107: retry('VENDOR_RATE_LIMITED', 'SMS send rate limit exceeded', true, true),
  20429: retry('VENDOR_RATE_LIMITED', 'too many requests', true, true),
  20500: retry('VENDOR_ERROR', 'internal server error', true),
  20503: retry('VENDOR_UNAVAILABLE', 'service unavailable', true),
  30001: retry('VENDOR_RATE_LIMITED', 'message queue overflow', true, true),
  30008: retry('VENDOR_ERROR', 'unknown delivery error', false),
};

function ruleFor(code: number): Rule | undefined {
  const rule = TWILIO_ERROR_RULES[code];
  if (rule) return rule;
  // 217xx: Messaging Service problems (missing, empty, no usable sender) — configuration.
  if (code >= 21700 && code < 21800) return provider('PROVIDER_MISCONFIGURED', 'Messaging Service cannot send');
  return undefined;
}

function numericCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function fromRule(rule: Rule, code: number, httpStatus: number | undefined, retryAfterMs: number | undefined): Outcome {
  const text = `Twilio ${code}: ${rule.text}`;
  const extra = httpStatus === undefined ? {} : { httpStatus };
  if (rule.kind === 'retry')
    return retryable(rule.code, text, { ...extra, failover: rule.failover, throttled: rule.throttled ?? false, retryAfterMs });
  return permanent(rule.kind, rule.code, text, extra);
}

/**
 * Maps an answer of `POST /2010-04-01/Accounts/{sid}/Messages.json`: 201 with the Message (its
 * `sid` is the vendor id) or a JSON error `{ code, message, more_info, status }`.
 */
export function twilioSendOutcome(response: VendorResponse, sensitive: readonly (string | undefined)[], now: number = Date.now()): Outcome {
  const { status } = response;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  if (status >= 200 && status < 300) {
    const messageStatus = stringField(response.json, 'status');
    const errorCode = numericCode(field(response.json, 'error_code'));
    if ((messageStatus === 'failed' || messageStatus === 'undelivered') && errorCode !== undefined) {
      const rule = ruleFor(errorCode);
      if (rule) return fromRule(rule, errorCode, status, retryAfterMs);
      return permanent('message', 'REQUEST_REJECTED', `Twilio ${errorCode}: message ${messageStatus}`, { httpStatus: status });
    }
    return sent(stringField(response.json, 'sid'), status);
  }
  const code = numericCode(field(response.json, 'code'));
  if (code !== undefined) {
    const rule = ruleFor(code);
    if (rule) return fromRule(rule, code, status, retryAfterMs);
  }
  const vendorText = redactVendorText(stringField(response.json, 'message'), sensitive);
  const detail = [code, vendorText].filter(Boolean).join(': ') || undefined;
  return byStatus(VENDOR, status, { parsedBody: code !== undefined, retryAfterMs, detail });
}

/** `GET /2010-04-01/Accounts/{sid}.json`: valid credentials and an active account. */
export function twilioTestResult(response: VendorResponse): TestConnectionResult {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const accountStatus = stringField(response.json, 'status');
    return accountStatus === undefined || accountStatus === 'active' ? { ok: true } : { ok: false, code: 'ACCOUNT_INACTIVE' };
  }
  if (status === 401 || status === 403 || status === 404) return { ok: false, code: 'INVALID_CREDENTIALS' };
  if (status === 429) return { ok: false, code: 'VENDOR_RATE_LIMITED' };
  return { ok: false, code: 'VENDOR_ERROR' };
}
