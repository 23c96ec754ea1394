import { parseRetryAfter } from '../http/back-off.js';
import { byStatus, permanent, retryable, sent, type OutcomeCode } from '../http/outcomes.js';
import { redactVendorText } from '../http/redact.js';
import { field, stringField, type VendorResponse } from '../http/vendor-call.js';
import type { Outcome, TestConnectionResult } from '../types.js';

const VENDOR = "Africa's Talking";

type Rule = { kind: 'sent' } | { kind: 'message' | 'provider'; code: OutcomeCode } | { kind: 'retry'; code: OutcomeCode };

/**
 * Per-recipient `statusCode` of `SMSMessageData.Recipients[]`
 * (https://developers.africastalking.com/docs/sms/sending) → outcome.
 */
export const AT_RECIPIENT_STATUS: Readonly<Record<number, { name: string; rule: Rule }>> = {
  100: { name: 'Processed', rule: { kind: 'sent' } },
  101: { name: 'Sent', rule: { kind: 'sent' } },
  102: { name: 'Queued', rule: { kind: 'sent' } },
  // Held by Africa's Talking's risk review: the account, not this recipient.
  401: { name: 'RiskHold', rule: { kind: 'provider', code: 'ACCOUNT_SUSPENDED' } },
  402: { name: 'InvalidSenderId', rule: { kind: 'provider', code: 'SENDER_REJECTED' } },
  403: { name: 'InvalidPhoneNumber', rule: { kind: 'message', code: 'INVALID_RECIPIENT' } },
  404: { name: 'UnsupportedNumberType', rule: { kind: 'message', code: 'UNSUPPORTED_RECIPIENT' } },
  405: { name: 'InsufficientBalance', rule: { kind: 'provider', code: 'INSUFFICIENT_BALANCE' } },
  406: { name: 'UserInBlacklist', rule: { kind: 'message', code: 'RECIPIENT_UNSUBSCRIBED' } },
  407: { name: 'CouldNotRoute', rule: { kind: 'message', code: 'UNREACHABLE_RECIPIENT' } },
  409: { name: 'DoNotDisturbRejection', rule: { kind: 'message', code: 'RECIPIENT_UNSUBSCRIBED' } },
  500: { name: 'InternalServerError', rule: { kind: 'retry', code: 'VENDOR_ERROR' } },
  501: { name: 'GatewayError', rule: { kind: 'retry', code: 'VENDOR_UNAVAILABLE' } },
  502: { name: 'RejectedByGateway', rule: { kind: 'message', code: 'REQUEST_REJECTED' } },
};

const NAME_TO_CODE = new Map(Object.entries(AT_RECIPIENT_STATUS).map(([code, entry]) => [entry.name, Number(code)]));

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function recipientOutcome(statusCode: number, entry: unknown, httpStatus: number): Outcome {
  const known = AT_RECIPIENT_STATUS[statusCode];
  const text = `Africa's Talking ${statusCode} ${known?.name ?? (redactVendorText(stringField(entry, 'status')) || 'unknown status')}`;
  if (!known) {
    // An unknown per-recipient status: the request reached the vendor, which did not send. Retry here.
    return retryable('VENDOR_ERROR', text, { httpStatus, failover: false });
  }
  const { rule } = known;
  switch (rule.kind) {
    case 'sent':
      return sent(stringField(entry, 'messageId'), httpStatus);
    case 'retry':
      return retryable(rule.code, text, { httpStatus, failover: true });
    default:
      return permanent(rule.kind, rule.code, text, { httpStatus });
  }
}

/**
 * Maps an answer of `POST /version1/messaging` for one recipient: HTTP 201 with
 * `{ SMSMessageData: { Message, Recipients: [{ statusCode, number, status, cost, messageId }] } }`.
 * Without recipients, `Message` names the reason (e.g. `InvalidSenderId`).
 */
export function africasTalkingSendOutcome(
  response: VendorResponse,
  sensitive: readonly (string | undefined)[],
  now: number = Date.now(),
): Outcome {
  const { status } = response;
  const data = field(response.json, 'SMSMessageData');
  if (status >= 200 && status < 300 && data !== undefined) {
    const recipients = field(data, 'Recipients');
    const first: unknown = Array.isArray(recipients) ? recipients[0] : undefined;
    const statusCode = numeric(field(first, 'statusCode'));
    if (first !== undefined && statusCode !== undefined) return recipientOutcome(statusCode, first, status);
    const message = redactVendorText(stringField(data, 'Message'), sensitive);
    const named = [...NAME_TO_CODE.entries()].find(([name]) => message.includes(name));
    if (named) return recipientOutcome(named[1], { status: named[0] }, status);
    return permanent('message', 'REQUEST_REJECTED', `Africa's Talking sent to no recipient${message ? `: ${message}` : ''}`, {
      httpStatus: status,
    });
  }
  if (status === 401)
    return permanent('provider', 'INVALID_CREDENTIALS', "Africa's Talking refused the credentials (401)", { httpStatus: status });
  // Africa's Talking answers most request errors in plain text ("Request is missing required form field 'to'").
  const detail = redactVendorText(response.json === undefined ? response.text : (stringField(response.json, 'message') ?? ''), sensitive);
  return byStatus(VENDOR, status, {
    parsedBody: response.json !== undefined,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
    detail: detail || undefined,
  });
}

/** `GET /version1/user?username=…` (application data: the balance) as a credential check. */
export function africasTalkingTestResult(response: VendorResponse): TestConnectionResult {
  const { status } = response;
  if (status >= 200 && status < 300)
    return field(response.json, 'UserData') === undefined ? { ok: false, code: 'VENDOR_ERROR' } : { ok: true };
  if (status === 401 || status === 403) return { ok: false, code: 'INVALID_CREDENTIALS' };
  if (status === 429) return { ok: false, code: 'VENDOR_RATE_LIMITED' };
  return { ok: false, code: 'VENDOR_ERROR' };
}
