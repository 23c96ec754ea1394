import { describe, expect, it } from 'vitest';
import { vendorResponse } from '../http/response.spec-kit.js';
import { TWILIO_ERROR_RULES, twilioSendOutcome, twilioTestResult } from './outcome.js';

const error = (status: number, code: number, message = 'x', headers: Record<string, string> = {}) =>
  twilioSendOutcome(vendorResponse(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers), [
    'tok',
    '+15550100',
  ]);

describe('Twilio Messages create → outcome', () => {
  it('201 → sent with the Message sid', () => {
    expect(twilioSendOutcome(vendorResponse(201, { sid: 'SM1', status: 'queued' }), [])).toEqual({
      kind: 'sent',
      vendorMessageId: 'SM1',
      httpStatus: 201,
    });
  });

  it.each([
    [400, 21211, 'message', 'INVALID_RECIPIENT'],
    [400, 21610, 'message', 'RECIPIENT_UNSUBSCRIBED'],
    [400, 21614, 'message', 'UNSUPPORTED_RECIPIENT'],
    [400, 21408, 'message', 'UNSUPPORTED_RECIPIENT'],
    [400, 21617, 'message', 'CONTENT_REJECTED'],
    [401, 20003, 'provider', 'INVALID_CREDENTIALS'],
    [401, 20005, 'provider', 'ACCOUNT_SUSPENDED'],
    [400, 21606, 'provider', 'SENDER_REJECTED'],
    [400, 21703, 'provider', 'PROVIDER_MISCONFIGURED'],
    [404, 20404, 'provider', 'PROVIDER_MISCONFIGURED'],
  ])('%i code %i → permanent %s %s', (status, code, level, expected) => {
    expect(error(status, code)).toMatchObject({ kind: 'permanent', level, code: expected, httpStatus: status });
  });

  it('20429 → throttled with Retry-After; 20500 → retryable with failover; 30008 → retryable without', () => {
    expect(error(429, 20429, 'Too Many Requests', { 'retry-after': '4' })).toMatchObject({
      kind: 'retryable',
      throttled: true,
      failover: true,
      retryAfterMs: 4_000,
    });
    expect(error(500, 20500)).toMatchObject({ kind: 'retryable', failover: true });
    expect(error(400, 30008)).toMatchObject({ kind: 'retryable', failover: false });
  });

  it('an unknown 4xx code → message level with the code and a redacted vendor text; unknown 5xx → retryable', () => {
    const outcome = error(400, 29999, "The 'To' number +15550100 is odd");
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'message', code: 'REQUEST_REJECTED' });
    expect(JSON.stringify(outcome)).toContain('29999');
    expect(JSON.stringify(outcome)).not.toContain('+15550100');
    expect(error(503, 29998)).toMatchObject({ kind: 'retryable', failover: true });
  });

  it('a 201 Message already failed with an error code maps like the error', () => {
    expect(twilioSendOutcome(vendorResponse(201, { sid: 'SM1', status: 'failed', error_code: 30007 }), [])).toMatchObject({
      kind: 'permanent',
      level: 'message',
      code: 'CONTENT_REJECTED',
    });
  });

  it('every rule has a text free of placeholders', () => {
    for (const rule of Object.values(TWILIO_ERROR_RULES)) expect(rule.text.length).toBeGreaterThan(5);
  });
});

describe('Twilio GET Account → testConnection', () => {
  it('active → ok; suspended → ACCOUNT_INACTIVE; 401/404 → INVALID_CREDENTIALS', () => {
    expect(twilioTestResult(vendorResponse(200, { status: 'active' }))).toEqual({ ok: true });
    expect(twilioTestResult(vendorResponse(200, { status: 'closed' }))).toEqual({ ok: false, code: 'ACCOUNT_INACTIVE' });
    expect(twilioTestResult(vendorResponse(401, { code: 20003 }))).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(twilioTestResult(vendorResponse(404, { code: 20404 }))).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
  });
});
