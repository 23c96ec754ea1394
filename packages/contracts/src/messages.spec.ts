import { describe, expect, it } from 'vitest';
import { allTopicNames, dispatchSchema, eventReceivedSchema, MAX_RENDERED_BYTES, TOPICS } from './index.js';

const dispatch = {
  v: 1,
  notificationId: '0b8f6a3e-6a4c-4c3e-9f57-2b7c8c1d2e3f',
  attemptSeries: 1,
  tenantId: '3f1e2d4c-0000-4000-8000-000000000001',
  mode: 'live',
  isTest: false,
  eventId: 'evt-1',
  eventType: 'order.confirmed',
  channel: 'SMS',
  recipient: { userId: 'u1', phone: '+254700000000' },
  content: { body: 'Hello' },
  traceId: 't-1',
  receivedAt: '2026-11-28T10:00:00.000Z',
};

describe('message schemas (SPEC §1.1)', () => {
  it('accept a valid dispatch and ignore unknown fields, so producers can add optional ones', () => {
    const parsed = dispatchSchema.parse({ ...dispatch, addedLater: true });
    expect(parsed).toEqual(dispatch);
  });

  it('reject a wrong version, channel, or mode with the path of each problem', () => {
    const result = dispatchSchema.safeParse({ ...dispatch, v: 2, channel: 'FAX', mode: 'test' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['channel', 'mode', 'v']);
  });

  it('cap rendered content at 256 KiB', () => {
    const big = { ...dispatch, channel: 'EMAIL', content: { html: 'x'.repeat(MAX_RENDERED_BYTES) } };
    expect(dispatchSchema.safeParse(big).success).toBe(false);
  });

  it('count the cap in UTF-8 bytes, not characters (é is two bytes)', () => {
    const withText = (text: string) => ({ ...dispatch, channel: 'EMAIL', content: { text } });
    expect(dispatchSchema.safeParse(withText('é'.repeat(MAX_RENDERED_BYTES / 2 - 100))).success).toBe(true);
    expect(dispatchSchema.safeParse(withText('é'.repeat(MAX_RENDERED_BYTES / 2 + 100))).success).toBe(false);
  });

  it('keep payload fields other than userId on an event (older clients put template data there)', () => {
    const event = eventReceivedSchema.parse({
      v: 1,
      tenantId: dispatch.tenantId,
      mode: 'sandbox',
      eventId: 'e',
      eventType: 'x',
      payload: { userId: 'u', orderNo: 7 },
      variables: {},
      traceId: 't',
      receivedAt: dispatch.receivedAt,
    });
    expect(event.payload).toEqual({ userId: 'u', orderNo: 7 });
  });

  it('key messages by tenant and recipient, and pair each topic with a parking topic', () => {
    expect(TOPICS.dispatch.key(dispatchSchema.parse(dispatch))).toBe(`${dispatch.tenantId}:u1`);
    expect(allTopicNames()).toEqual([
      'tenant.event.received',
      'tenant.event.received.invalid',
      'notification.dispatch',
      'notification.dispatch.invalid',
      'notification.retry',
      'notification.retry.invalid',
      'notification.dlq',
      'notification.dlq.invalid',
    ]);
  });
});
