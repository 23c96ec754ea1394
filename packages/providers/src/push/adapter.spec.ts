import { describe, expect, it } from 'vitest';
import { vendorResponse } from '../http/response.spec-kit.js';
import type { SendRequest } from '../types.js';
import { pushPublication, pushPublishOutcome } from './adapter.js';

const request: SendRequest = {
  notificationId: '6f1c2a64-8d2e-4c79-9b55-0b5a8c1f2e11',
  attemptSeries: 1,
  idempotencyKey: '6f1c2a64-8d2e-4c79-9b55-0b5a8c1f2e11:1',
  tenantId: '0c7a1e52-1f43-4b0e-8a57-8e9d0f4c3b21',
  mode: 'live',
  channel: 'PUSH',
  recipient: { userId: 'u-1' },
  content: { title: 'T', body: 'B', category: 'warning', data: { a: 1 } },
  eventType: 'global.warning',
  receivedAt: '2026-01-01T00:00:00.000Z',
};

describe('push publication (SPEC §2.6)', () => {
  it('carries id, title, body, category, eventType, createdAt and data', () => {
    expect(pushPublication(request)).toEqual({
      id: request.notificationId,
      title: 'T',
      body: 'B',
      category: 'warning',
      eventType: 'global.warning',
      createdAt: '2026-01-01T00:00:00.000Z',
      data: { a: 1 },
    });
  });

  it('defaults: category info; optional fields left out', () => {
    const { eventType: _e, receivedAt: _r, ...bare } = request;
    expect(pushPublication({ ...bare, content: { title: 'T', body: 'B' } })).toEqual({
      id: request.notificationId,
      title: 'T',
      body: 'B',
      category: 'info',
    });
  });
});

describe('Centrifugo publish → outcome', () => {
  it('result → sent with epoch:offset; an empty result → sent without id', () => {
    expect(pushPublishOutcome(vendorResponse(200, { result: { offset: 3, epoch: 'abc' } }))).toEqual({
      kind: 'sent',
      vendorMessageId: 'abc:3',
      httpStatus: 200,
    });
    expect(pushPublishOutcome(vendorResponse(200, { result: {} }))).toEqual({ kind: 'sent', httpStatus: 200 });
  });

  it.each([
    [100, { kind: 'retryable', code: 'VENDOR_ERROR' }],
    [111, { kind: 'retryable', code: 'VENDOR_RATE_LIMITED', throttled: true }],
    [107, { kind: 'permanent', level: 'message' }],
    [102, { kind: 'permanent', level: 'provider', code: 'PROVIDER_MISCONFIGURED' }],
    [103, { kind: 'permanent', level: 'provider' }],
  ])('200 with error %i → %o', (code, expected) => {
    expect(pushPublishOutcome(vendorResponse(200, { error: { code, message: 'm' } }))).toMatchObject(expected);
  });

  it('401 (wrong API key) → provider level; 503 → retryable', () => {
    expect(pushPublishOutcome(vendorResponse(401))).toMatchObject({ kind: 'permanent', level: 'provider', code: 'INVALID_CREDENTIALS' });
    expect(pushPublishOutcome(vendorResponse(503))).toMatchObject({ kind: 'retryable' });
  });
});
