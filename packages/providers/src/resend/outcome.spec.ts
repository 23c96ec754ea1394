import { describe, expect, it } from 'vitest';
import { vendorResponse } from '../http/response.spec-kit.js';
import { resendSendOutcome, resendTestResult } from './outcome.js';

const err = (status: number, name: string, message = 'x', headers: Record<string, string> = {}) =>
  resendSendOutcome(vendorResponse(status, { statusCode: status, name, message }, headers), ['re_secret', 'ada@example.com']);

describe('Resend POST /emails → outcome', () => {
  it('200 {id} → sent', () => {
    expect(resendSendOutcome(vendorResponse(200, { id: 'e-1' }), [])).toEqual({ kind: 'sent', vendorMessageId: 'e-1', httpStatus: 200 });
  });

  it.each([
    [400, 'validation_error', 'message', 'REQUEST_REJECTED'],
    [400, 'invalid_idempotency_key', 'message', 'REQUEST_REJECTED'],
    [401, 'missing_api_key', 'provider', 'INVALID_CREDENTIALS'],
    [401, 'restricted_api_key', 'provider', 'INVALID_CREDENTIALS'],
    [403, 'invalid_api_key', 'provider', 'INVALID_CREDENTIALS'],
    [403, 'validation_error', 'provider', 'SENDER_REJECTED'],
    [404, 'not_found', 'provider', 'PROVIDER_MISCONFIGURED'],
    [409, 'invalid_idempotent_request', 'message', 'IDEMPOTENCY_CONFLICT'],
    [422, 'invalid_from_address', 'provider', 'SENDER_REJECTED'],
    [422, 'missing_required_field', 'message', 'REQUEST_REJECTED'],
    [451, 'security_error', 'message', 'CONTENT_REJECTED'],
  ])('%i %s → permanent %s %s', (status, name, level, code) => {
    expect(err(status, name)).toMatchObject({ kind: 'permanent', level, code, httpStatus: status });
  });

  it('a 400 or 401 validation_error saying the API key is invalid → provider level', () => {
    expect(err(400, 'validation_error', 'API key is invalid')).toMatchObject({ level: 'provider', code: 'INVALID_CREDENTIALS' });
  });

  it('a 422 about the `to` field → INVALID_RECIPIENT, without the address', () => {
    const outcome = err(422, 'validation_error', 'Invalid `to` field: ada@example.com');
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'message', code: 'INVALID_RECIPIENT' });
    expect(JSON.stringify(outcome)).not.toContain('ada@example.com');
  });

  it('409 concurrent_idempotent_requests → retryable, never failover (the first request may still send)', () => {
    expect(err(409, 'concurrent_idempotent_requests')).toMatchObject({
      kind: 'retryable',
      code: 'IDEMPOTENCY_IN_PROGRESS',
      failover: false,
    });
  });

  it('429 → throttled with failover, back-off from retry-after; quotas too', () => {
    expect(err(429, 'rate_limit_exceeded', 'x', { 'retry-after': '2' })).toMatchObject({
      kind: 'retryable',
      code: 'VENDOR_RATE_LIMITED',
      throttled: true,
      failover: true,
      retryAfterMs: 2_000,
    });
    expect(err(429, 'daily_quota_exceeded', 'x', { 'ratelimit-reset': '60' })).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      retryAfterMs: 60_000,
    });
  });

  it('5xx with an error body → failover; a bare 502 → no failover', () => {
    expect(err(500, 'application_error')).toMatchObject({ kind: 'retryable', code: 'VENDOR_ERROR', failover: true });
    expect(resendSendOutcome(vendorResponse(502, '<html>Bad Gateway</html>'), [])).toMatchObject({
      kind: 'retryable',
      code: 'VENDOR_UNAVAILABLE',
      failover: false,
    });
  });
});

describe('Resend GET /domains → testConnection', () => {
  it('ok, or ok for a sending-only key; coded failures otherwise', () => {
    expect(resendTestResult(vendorResponse(200, { data: [] }))).toEqual({ ok: true });
    expect(resendTestResult(vendorResponse(401, { name: 'restricted_api_key' }))).toEqual({ ok: true });
    expect(resendTestResult(vendorResponse(403, { name: 'invalid_api_key' }))).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(resendTestResult(vendorResponse(400, { name: 'validation_error', message: 'API key is invalid' }))).toEqual({
      ok: false,
      code: 'INVALID_CREDENTIALS',
    });
    expect(resendTestResult(vendorResponse(429, {}))).toEqual({ ok: false, code: 'VENDOR_RATE_LIMITED' });
    expect(resendTestResult(vendorResponse(503, 'down'))).toEqual({ ok: false, code: 'VENDOR_ERROR' });
  });
});
