import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { trigger } from '../../../test/fixtures.js';
import { type Body, seedLog, tenantWithAdmins } from '../../../test/admin-fixtures.js';

describe('tenant logs', () => {
  it('filters by status, channel, event type, recipient, trace id and time, and pages with a cursor', async () => {
    const { tenant, viewer } = await tenantWithAdmins();
    const start = new Date(Date.now() - 1000).toISOString();
    const sent = [];
    for (let i = 0; i < 5; i += 1)
      sent.push(await seedLog(tenant.tenantId, { status: 'SENT', channel: 'EMAIL', recipient: `user${i}@example.com` }));
    const failed = await seedLog(tenant.tenantId, {
      status: 'FAILED',
      channel: 'SMS',
      eventType: 'otp.requested',
      errorCode: 'RECIPIENT_INVALID',
    });
    const ids = (body: Body) => body.data.map((l: { id: string }) => l.id);

    const all = await viewer.call('GET', '/api/v1/tenant/logs');
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual([failed.id, ...sent.map((s) => s.id).reverse()]);
    expect(all.body.pagination).toEqual({ nextCursor: null, limit: 50 });

    expect(ids((await viewer.call('GET', '/api/v1/tenant/logs?status=FAILED')).body)).toEqual([failed.id]);
    expect(ids((await viewer.call('GET', '/api/v1/tenant/logs?channel=SMS')).body)).toEqual([failed.id]);
    expect(ids((await viewer.call('GET', '/api/v1/tenant/logs?eventType=otp.requested')).body)).toEqual([failed.id]);
    expect(ids((await viewer.call('GET', '/api/v1/tenant/logs?recipient=user3%40example.com')).body)).toEqual([sent[3]!.id]);
    expect(ids((await viewer.call('GET', `/api/v1/tenant/logs?traceId=${sent[1]!.traceId}`)).body)).toEqual([sent[1]!.id]);
    expect(ids((await viewer.call('GET', `/api/v1/tenant/logs?from=${encodeURIComponent(start)}&status=SENT`)).body)).toHaveLength(5);
    expect(ids((await viewer.call('GET', `/api/v1/tenant/logs?to=${encodeURIComponent(start)}`)).body)).toEqual([]);

    // Pages of 2: every row once, newest first, then no cursor.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await viewer.call('GET', `/api/v1/tenant/logs?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(answer.body));
      cursor = answer.body.pagination.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids(all.body));

    const bad = await viewer.call('GET', '/api/v1/tenant/logs?status=LOST&cursor=nonsense');
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('shows one log with its attempt timeline; another tenant finds nothing', async () => {
    const { tenant, admin, viewer, stranger, operator } = await tenantWithAdmins();
    const log = await seedLog(tenant.tenantId, {
      status: 'SENT',
      provider: 'resend',
      attempts: [
        { outcome: 'retryable', errorCode: 'VENDOR_5XX', httpStatus: 503 },
        { outcome: 'sent', httpStatus: 200 },
      ],
    });
    const full = await admin.call('GET', `/api/v1/tenant/logs/${log.id}`);
    expect(full.body.data).toMatchObject({
      id: log.id,
      status: 'SENT',
      isTest: false,
      content: { subject: 'Hi', html: '<p>Hi</p>' },
      contentHidden: false,
    });
    // Viewers see the delivery, never the message itself (the same rule as dead-letter payloads).
    const one = await viewer.call('GET', `/api/v1/tenant/logs/${log.id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({
      id: log.id,
      status: 'SENT',
      isTest: false,
      recipient: 'ada@example.com',
      content: null,
      contentHidden: true,
    });
    expect(one.text).not.toContain('<p>Hi</p>');
    expect(one.body.data.attempts.map((a: Body) => [a.attemptNumber, a.outcome, a.httpStatus, a.errorCode])).toEqual([
      [1, 'retryable', 503, 'VENDOR_5XX'],
      [2, 'sent', 200, null],
    ]);
    const foreign = await stranger.call('GET', `/api/v1/tenant/logs/${log.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain('ada@example.com');
    expect((await stranger.call('GET', `/api/v1/tenant/logs?traceId=${log.traceId}`)).body.data).toEqual([]);

    // The operator sees it across tenants, and filters by tenant.
    const viaOperator = await operator.call('GET', `/api/v1/admin/logs/${log.id}`);
    expect(viaOperator.body.data).toMatchObject({ id: log.id, tenantId: tenant.tenantId });
    expect((await operator.call('GET', `/api/v1/admin/logs?tenantId=${tenant.tenantId}`)).body.data.map((l: Body) => l.id)).toEqual([
      log.id,
    ]);
    expect((await viewer.call('GET', '/api/v1/admin/logs')).status).toBe(403);
  });

  it('lists events with their outcome per channel, from a real trigger through the worker', async () => {
    const { tenant, viewer, stranger } = await tenantWithAdmins();
    const eventId = `evt-${randomUUID()}`;
    const accepted = await trigger(tenant.apiKey, {
      eventType: 'global.info',
      eventId,
      channels: ['PUSH', 'EMAIL'],
      payload: { userId: 'u-9', recipientEmail: 'u9@example.com' },
      variables: { title: 'Hi', message: 'There' },
    });
    expect(accepted.status).toBe(200);
    const event = await pollUntil(
      async () => {
        const answer = await viewer.call('GET', `/api/v1/tenant/events/${eventId}`);
        return answer.status === 200 ? answer.body.data : undefined;
      },
      { what: 'the processed event' },
    );
    expect(event).toMatchObject({
      eventId,
      eventType: 'global.info',
      status: 'PROCESSED',
      channels: { PUSH: { status: 'PENDING' }, EMAIL: { status: 'PENDING' } },
    });
    const listed = await viewer.call('GET', '/api/v1/tenant/events?eventType=global.info');
    expect(listed.body.pagination.total).toBe(1);
    expect(listed.body.data[0].channels.PUSH.notificationId).toBe(event.channels.PUSH.notificationId);
    expect((await stranger.call('GET', `/api/v1/tenant/events/${eventId}`)).status).toBe(404);
    expect((await stranger.call('GET', '/api/v1/tenant/events')).body.data).toEqual([]);
  });
});
