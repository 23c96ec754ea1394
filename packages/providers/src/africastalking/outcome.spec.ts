import { describe, expect, it } from 'vitest';
import { vendorResponse } from '../http/response.spec-kit.js';
import { africasTalkingBaseUrl, AT_BASE_URL, AT_SANDBOX_BASE_URL } from './adapter.js';
import { AT_RECIPIENT_STATUS, africasTalkingSendOutcome, africasTalkingTestResult } from './outcome.js';

const recipient = (statusCode: number, status = AT_RECIPIENT_STATUS[statusCode]?.name ?? 'X') =>
  africasTalkingSendOutcome(
    vendorResponse(201, {
      SMSMessageData: {
        Message: 'Sent to 1/1',
        Recipients: [{ statusCode, number: '+254711000111', status, cost: 'KES 0.8000', messageId: 'ATXid_1' }],
      },
    }),
    ['key', '+254711000111'],
  );

describe("Africa's Talking POST /version1/messaging → outcome", () => {
  it.each([
    [100, { kind: 'sent', vendorMessageId: 'ATXid_1' }],
    [101, { kind: 'sent', vendorMessageId: 'ATXid_1' }],
    [102, { kind: 'sent', vendorMessageId: 'ATXid_1' }],
    [401, { kind: 'permanent', level: 'provider', code: 'ACCOUNT_SUSPENDED' }],
    [402, { kind: 'permanent', level: 'provider', code: 'SENDER_REJECTED' }],
    [403, { kind: 'permanent', level: 'message', code: 'INVALID_RECIPIENT' }],
    [404, { kind: 'permanent', level: 'message', code: 'UNSUPPORTED_RECIPIENT' }],
    [405, { kind: 'permanent', level: 'provider', code: 'INSUFFICIENT_BALANCE' }],
    [406, { kind: 'permanent', level: 'message', code: 'RECIPIENT_UNSUBSCRIBED' }],
    [407, { kind: 'permanent', level: 'message', code: 'UNREACHABLE_RECIPIENT' }],
    [409, { kind: 'permanent', level: 'message', code: 'RECIPIENT_UNSUBSCRIBED' }],
    [500, { kind: 'retryable', code: 'VENDOR_ERROR', failover: true }],
    [501, { kind: 'retryable', code: 'VENDOR_UNAVAILABLE', failover: true }],
    [502, { kind: 'permanent', level: 'message', code: 'REQUEST_REJECTED' }],
    [777, { kind: 'retryable', code: 'VENDOR_ERROR', failover: false }],
  ])('recipient statusCode %i → %o', (statusCode, expected) => {
    expect(recipient(statusCode)).toMatchObject(expected);
  });

  it('no number in the message, even for an unknown status', () => {
    expect(JSON.stringify(recipient(777, 'Weird +254711000111'))).not.toContain('254711000111');
  });

  it('no recipients: the Message names the reason', () => {
    const outcome = africasTalkingSendOutcome(vendorResponse(201, { SMSMessageData: { Message: 'InvalidSenderId', Recipients: [] } }), []);
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'provider', code: 'SENDER_REJECTED' });
    expect(africasTalkingSendOutcome(vendorResponse(201, { SMSMessageData: { Message: 'Something', Recipients: [] } }), [])).toMatchObject({
      kind: 'permanent',
      level: 'message',
    });
  });

  it('HTTP level: 401 text → provider; 400 text → message; 5xx text → retryable without failover; 429 → throttled', () => {
    expect(africasTalkingSendOutcome(vendorResponse(401, 'The supplied authentication is invalid'), [])).toMatchObject({
      level: 'provider',
      code: 'INVALID_CREDENTIALS',
    });
    expect(africasTalkingSendOutcome(vendorResponse(400, "Request is missing required form field 'to'"), [])).toMatchObject({
      level: 'message',
    });
    expect(africasTalkingSendOutcome(vendorResponse(500, 'Internal Server Error'), [])).toMatchObject({
      kind: 'retryable',
      failover: false,
    });
    expect(africasTalkingSendOutcome(vendorResponse(429, 'Too Many Requests', { 'retry-after': '5' }), [])).toMatchObject({
      throttled: true,
      retryAfterMs: 5_000,
    });
  });

  it('testConnection: UserData → ok, 401 → INVALID_CREDENTIALS', () => {
    expect(africasTalkingTestResult(vendorResponse(200, { UserData: { balance: 'KES 1.00' } }))).toEqual({ ok: true });
    expect(africasTalkingTestResult(vendorResponse(401, 'The supplied authentication is invalid'))).toEqual({
      ok: false,
      code: 'INVALID_CREDENTIALS',
    });
  });
});

describe("Africa's Talking base URL", () => {
  it('the sandbox flag picks the sandbox; an operator override wins', () => {
    expect(africasTalkingBaseUrl({ sandbox: false })).toBe(AT_BASE_URL);
    expect(africasTalkingBaseUrl({ sandbox: true })).toBe(AT_SANDBOX_BASE_URL);
    expect(africasTalkingBaseUrl({ sandbox: true }, AT_BASE_URL)).toBe(AT_SANDBOX_BASE_URL);
    expect(africasTalkingBaseUrl({ sandbox: true }, 'https://proxy.example/at')).toBe('https://proxy.example/at');
  });
});
