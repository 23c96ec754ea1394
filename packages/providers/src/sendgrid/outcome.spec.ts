import { describe, expect, it } from 'vitest';
import { vendorResponse } from '../http/response.spec-kit.js';
import { sendGridSendOutcome, sendGridTestResult } from './outcome.js';

const errors = (status: number, list: { message: string; field?: string | null }[], headers: Record<string, string> = {}) =>
  sendGridSendOutcome(
    vendorResponse(status, { errors: list.map((e) => ({ field: null, help: null, ...e })) }, headers),
    ['SG.secret', 'ada@example.com'],
    1_700_000_000_000,
  );

describe('SendGrid POST /v3/mail/send → outcome', () => {
  it('202 + X-Message-Id → sent', () => {
    expect(sendGridSendOutcome(vendorResponse(202, undefined, { 'x-message-id': 'abc' }), [])).toEqual({
      kind: 'sent',
      vendorMessageId: 'abc',
      httpStatus: 202,
    });
  });

  it('400 by field: recipient → message, from → provider, content → message', () => {
    expect(errors(400, [{ message: 'Does not contain a valid address.', field: 'personalizations.0.to.0.email' }])).toMatchObject({
      level: 'message',
      code: 'INVALID_RECIPIENT',
    });
    expect(errors(400, [{ message: 'bad', field: 'from.email' }])).toMatchObject({ level: 'provider', code: 'SENDER_REJECTED' });
    expect(errors(400, [{ message: 'bad', field: 'content' }])).toMatchObject({ level: 'message', code: 'CONTENT_REJECTED' });
    expect(errors(400, [{ message: 'bad' }])).toMatchObject({ level: 'message', code: 'REQUEST_REJECTED' });
  });

  it('401 → invalid credentials; 403 → sender identity or permission, provider level; 413 → content', () => {
    expect(errors(401, [{ message: 'The provided authorization grant is invalid, expired, or revoked' }])).toMatchObject({
      level: 'provider',
      code: 'INVALID_CREDENTIALS',
    });
    expect(errors(403, [{ message: 'The from address does not match a verified Sender Identity.' }])).toMatchObject({
      level: 'provider',
      code: 'SENDER_REJECTED',
    });
    expect(errors(403, [{ message: 'access forbidden' }])).toMatchObject({ level: 'provider', code: 'PERMISSION_DENIED' });
    expect(errors(413, [{ message: 'too large' }])).toMatchObject({ level: 'message', code: 'CONTENT_REJECTED' });
  });

  it('429 → throttled, back-off until X-RateLimit-Reset', () => {
    expect(errors(429, [{ message: 'too many requests' }], { 'x-ratelimit-reset': '1700000012' })).toMatchObject({
      kind: 'retryable',
      throttled: true,
      failover: true,
      retryAfterMs: 12_000,
    });
  });

  it('no recipient address in messages', () => {
    expect(JSON.stringify(errors(400, [{ message: 'ada@example.com is invalid', field: 'personalizations.0.to.0.email' }]))).not.toContain(
      'ada@',
    );
  });

  it('5xx: JSON errors → failover; no body → no failover', () => {
    expect(errors(500, [{ message: 'internal' }])).toMatchObject({ kind: 'retryable', failover: true });
    expect(sendGridSendOutcome(vendorResponse(503), [])).toMatchObject({ kind: 'retryable', failover: false });
  });
});

describe('SendGrid GET /v3/scopes → testConnection', () => {
  it('needs mail.send', () => {
    expect(sendGridTestResult(vendorResponse(200, { scopes: ['mail.send'] }))).toEqual({ ok: true });
    expect(sendGridTestResult(vendorResponse(200, { scopes: ['alerts.read'] }))).toEqual({ ok: false, code: 'INSUFFICIENT_PERMISSIONS' });
    expect(sendGridTestResult(vendorResponse(401, { errors: [] }))).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
  });
});
