import { describe, expect, it } from 'vitest';
import { captureDispatches } from '../../../test/fixtures.js';
import { auditEntries, type Body, seedLog, tenantWithAdmins } from '../../../test/admin-fixtures.js';
import { pollUntil } from '@orqestra/testing';

// Dead letters over the admin API. Delivery after a replay through the real gateway is in
// dlq-admin-replay.serial.spec.ts; here the replay is observed on the dispatch topic.
const letter = (tenantId: string, extra: Parameters<typeof seedLog>[1] = {}) =>
  seedLog(tenantId, { status: 'FAILED', provider: 'resend', errorCode: 'RECIPIENT_INVALID', deadLetter: true, ...extra });

describe('tenant dead letters', () => {
  it('lists and inspects; viewers never see the payload', async () => {
    const { tenant, admin, viewer } = await tenantWithAdmins();
    const { id } = await letter(tenant.tenantId);
    const listed = await viewer.call('GET', '/api/v1/tenant/dlq');
    expect(listed.body.pagination.total).toBe(1);
    expect(listed.body.data[0]).toMatchObject({
      notificationId: id,
      status: 'dead',
      channel: 'EMAIL',
      provider: 'resend',
      errorCode: 'RECIPIENT_INVALID',
    });
    expect(listed.text).not.toContain('ada@example.com');

    const asViewer = await viewer.call('GET', `/api/v1/tenant/dlq/${id}`);
    expect(asViewer.body.data).toMatchObject({
      notificationId: id,
      payload: null,
      payloadHidden: true,
      lastError: { code: 'RECIPIENT_INVALID' },
    });
    expect(asViewer.text).not.toContain('ada@example.com');
    expect(asViewer.text).not.toContain('<p>Hi</p>');
    const asAdmin = await admin.call('GET', `/api/v1/tenant/dlq/${id}`);
    expect(asAdmin.body.data).toMatchObject({
      payloadHidden: false,
      payload: { notificationId: id, recipient: { email: 'ada@example.com' } },
    });
  });

  it('replays one with a reason: the log goes back to PENDING under a new attempt series and is dispatched, audited', async () => {
    const { tenant, admin, viewer } = await tenantWithAdmins();
    const { id } = await letter(tenant.tenantId);
    const capture = await captureDispatches();
    try {
      const noReason = await admin.call('POST', `/api/v1/tenant/dlq/${id}/replay`, { reason: '  ' });
      expect(noReason.status).toBe(422);
      expect(noReason.body.error.details[0].path).toBe('reason');
      expect((await viewer.call('POST', `/api/v1/tenant/dlq/${id}/replay`, { reason: 'viewer try' })).status).toBe(403);

      const replayed = await admin.call('POST', `/api/v1/tenant/dlq/${id}/replay`, { reason: 'recipient fixed the address' });
      expect(replayed.status).toBe(200);
      expect(replayed.body.data).toEqual({ notificationId: id, attemptSeries: 2 });
      const dispatched = await pollUntil(() => capture.forTenant(tenant.tenantId).find((m) => m.notificationId === id), {
        what: 'the replayed dispatch',
      });
      expect(dispatched?.attemptSeries).toBe(2);
      expect((await admin.call('GET', `/api/v1/tenant/logs/${id}`)).body.data).toMatchObject({ status: 'PENDING', attemptSeries: 2 });
      expect((await admin.call('GET', `/api/v1/tenant/dlq/${id}`)).body.data).toMatchObject({
        status: 'replayed',
        replayCount: 1,
        replayReason: 'recipient fixed the address',
      });
      // A second replay finds no dead letter.
      expect((await admin.call('POST', `/api/v1/tenant/dlq/${id}/replay`, { reason: 'again' })).status).toBe(404);
      const audit = (await auditEntries({ tenantId: tenant.tenantId })).filter((a) => a.action === 'dlq.replay');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor_type: 'tenant_admin',
        actor_id: admin.subjectId,
        resource_id: id,
        user_agent: 'orqestra-tests/1',
      });
      expect(audit[0]!.after).toMatchObject({ attemptSeries: 2, reason: 'recipient fixed the address' });
    } finally {
      await capture.close();
    }
  });

  it('bulk replay: a dry run counts, a real run is capped and needs a reason; discard needs a reason', async () => {
    const { tenant, admin } = await tenantWithAdmins();
    for (let i = 0; i < 3; i += 1) await letter(tenant.tenantId, { provider: 'sendgrid', errorCode: 'CONTENT_REJECTED' });
    const other = await letter(tenant.tenantId, { provider: 'resend' });
    const filter = { provider: 'sendgrid' };
    const dry = await admin.call('POST', '/api/v1/tenant/dlq/replay', { filter, dryRun: true, limit: 2 });
    expect(dry.body.data).toMatchObject({
      dryRun: true,
      matched: 3,
      replayed: 0,
      limit: 2,
      exceedsLimit: true,
      byErrorCode: [{ errorCode: 'CONTENT_REJECTED', count: 3 }],
      byProvider: [{ provider: 'sendgrid', count: 3 }],
    });
    expect(dry.body.data.sample.map((l: Body) => [l.status, l.provider, l.tenantId])).toEqual([
      ['dead', 'sendgrid', undefined],
      ['dead', 'sendgrid', undefined],
      ['dead', 'sendgrid', undefined],
    ]);
    expect(dry.text).not.toContain('ada@example.com');
    expect((await admin.call('GET', '/api/v1/tenant/dlq?provider=sendgrid')).body.pagination.total).toBe(3);
    const noReason = await admin.call('POST', '/api/v1/tenant/dlq/replay', { filter });
    expect(noReason.status).toBe(422);
    expect((await admin.call('POST', '/api/v1/tenant/dlq/replay', { filter, limit: 2, reason: 'vendor outage over' })).body.data).toEqual({
      dryRun: false,
      matched: 3,
      replayed: 2,
    });
    expect((await admin.call('POST', '/api/v1/tenant/dlq/replay', { filter, dryRun: true })).body.data.matched).toBe(1);

    expect((await admin.call('POST', `/api/v1/tenant/dlq/${other.id}/discard`, {})).status).toBe(422);
    const discarded = await admin.call('POST', `/api/v1/tenant/dlq/${other.id}/discard`, { reason: 'customer left' });
    expect(discarded.body.data).toEqual({ notificationId: other.id, status: 'discarded' });
    expect((await admin.call('GET', '/api/v1/tenant/dlq?status=discarded')).body.data.map((l: Body) => l.notificationId)).toEqual([
      other.id,
    ]);
    const actions = (await auditEntries({ tenantId: tenant.tenantId })).map((a) => a.action);
    expect(actions.filter((a) => a === 'dlq.replay')).toHaveLength(2);
    expect(actions).toContain('dlq.discard');
  });

  it("another tenant's admin can neither see nor touch a dead letter; operators can", async () => {
    const { tenant, stranger, operator, viewer } = await tenantWithAdmins();
    const { id } = await letter(tenant.tenantId);
    for (const [method, path, body] of [
      ['GET', `/api/v1/tenant/dlq/${id}`, undefined],
      ['POST', `/api/v1/tenant/dlq/${id}/replay`, { reason: 'not mine' }],
      ['POST', `/api/v1/tenant/dlq/${id}/discard`, { reason: 'not mine' }],
    ] as const) {
      const answer = await stranger.call(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.text).not.toContain('ada@example.com');
    }
    expect((await stranger.call('GET', '/api/v1/tenant/dlq')).body.data).toEqual([]);
    expect((await stranger.call('POST', '/api/v1/tenant/dlq/replay', { filter: {}, dryRun: true })).body.data.matched).toBe(0);

    expect((await viewer.call('GET', '/api/v1/admin/dlq')).status).toBe(403);
    const listed = await operator.call('GET', `/api/v1/admin/dlq?tenantId=${tenant.tenantId}`);
    expect(listed.body.data.map((l: Body) => [l.notificationId, l.tenantId])).toEqual([[id, tenant.tenantId]]);
    expect((await operator.call('GET', `/api/v1/admin/dlq/${id}`)).body.data.payload.recipient.email).toBe('ada@example.com');
    const replayed = await operator.call('POST', `/api/v1/admin/dlq/${id}/replay`, { reason: 'operator on call' });
    expect(replayed.body.data).toEqual({ notificationId: id, attemptSeries: 2 });
    const audit = (await auditEntries({ tenantId: tenant.tenantId })).find((a) => a.action === 'dlq.replay');
    expect(audit).toMatchObject({ actor_type: 'operator', actor_id: operator.subjectId });
  });
});
