import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { captureDispatches, newTenant } from '../../../test/fixtures.js';
import { auditEntries, type Body, caller, seedLog } from '../../../test/admin-fixtures.js';

// The operator's bulk actions across tenants. Every filter here names an event type of this test
// only: an "all tenants" action must never reach the dead letters of tests running beside it.
describe('operator bulk dead-letter actions', () => {
  it('a dry run counts across tenants and changes nothing; acting on every tenant needs the typed confirmation; replay and discard are capped and audited', async () => {
    const eventType = `bulk.${randomUUID().slice(0, 8)}`;
    const first = await newTenant();
    const second = await newTenant();
    const operator = await caller({ role: 'platform_operator' });
    const tenantAdmin = await caller({ role: 'admin', tenantId: first.tenantId });
    const a1 = await seedLog(first.tenantId, {
      status: 'FAILED',
      eventType,
      provider: 'sendgrid',
      errorCode: 'CONTENT_REJECTED',
      deadLetter: true,
    });
    const a2 = await seedLog(first.tenantId, {
      status: 'FAILED',
      eventType,
      provider: 'sendgrid',
      errorCode: 'CONTENT_REJECTED',
      deadLetter: true,
    });
    const b1 = await seedLog(second.tenantId, {
      status: 'FAILED',
      eventType,
      provider: 'resend',
      errorCode: 'RECIPIENT_INVALID',
      deadLetter: true,
    });
    const untouched = await seedLog(first.tenantId, {
      status: 'FAILED',
      eventType: `${eventType}.other`,
      provider: 'sendgrid',
      deadLetter: true,
    });
    // A suspended and a deleted tenant's letters are left out of an all-tenants action.
    const suspended = await newTenant();
    const deleted = await newTenant();
    const held = await seedLog(suspended.tenantId, { status: 'FAILED', eventType, provider: 'sendgrid', deadLetter: true });
    await seedLog(deleted.tenantId, { status: 'FAILED', eventType, provider: 'sendgrid', deadLetter: true });
    expect((await operator.call('POST', `/api/v1/admin/tenants/${suspended.tenantId}/suspend`)).status).toBe(200);
    expect((await operator.call('DELETE', `/api/v1/admin/tenants/${deleted.tenantId}`)).status).toBe(200);

    const dry = await operator.call('POST', '/api/v1/admin/dlq/replay', { filter: { eventType }, dryRun: true, limit: 2 });
    expect(dry.status).toBe(200);
    expect(dry.body.data).toMatchObject({
      dryRun: true,
      matched: 3,
      limit: 2,
      exceedsLimit: true,
      byTenant: [
        { tenantId: first.tenantId, count: 2 },
        { tenantId: second.tenantId, count: 1 },
      ],
      byErrorCode: [
        { errorCode: 'CONTENT_REJECTED', count: 2 },
        { errorCode: 'RECIPIENT_INVALID', count: 1 },
      ],
      byProvider: [
        { provider: 'sendgrid', count: 2 },
        { provider: 'resend', count: 1 },
      ],
    });
    expect(dry.body.data.sample.map((l: Body) => [l.notificationId, l.tenantId, l.status])).toEqual([
      [a1.id, first.tenantId, 'dead'],
      [a2.id, first.tenantId, 'dead'],
      [b1.id, second.tenantId, 'dead'],
    ]);
    expect(dry.text).not.toContain('ada@example.com');

    for (const body of [
      { filter: { eventType }, reason: 'outage over' },
      { filter: { eventType }, reason: 'outage over', confirm: 'all tenant' },
      { filter: { eventType }, confirm: 'all tenants' },
    ]) {
      const refused = await operator.call('POST', '/api/v1/admin/dlq/replay', body);
      expect([refused.status, refused.body.error.code], JSON.stringify(body)).toEqual([422, 'VALIDATION_FAILED']);
    }
    expect((await tenantAdmin.call('POST', '/api/v1/admin/dlq/replay', { filter: { eventType }, dryRun: true })).status).toBe(403);
    // Nothing changed; the list shows every tenant's letters, the suspended and deleted tenants' too.
    expect((await operator.call('GET', `/api/v1/admin/dlq?eventType=${eventType}`)).body.pagination.total).toBe(5);

    const capture = await captureDispatches();
    try {
      const replayed = await operator.call('POST', '/api/v1/admin/dlq/replay', {
        filter: { eventType },
        limit: 2,
        reason: 'vendor outage over',
        confirm: 'all tenants',
      });
      expect(replayed.status).toBe(200);
      expect(replayed.body.data).toEqual({
        dryRun: false,
        action: 'replay',
        matched: 3,
        done: 2,
        remaining: 1,
        byTenant: [{ tenantId: first.tenantId, done: 2 }],
      });
      const dispatched = await pollUntil(() => capture.forTenant(first.tenantId).filter((m) => m.eventType === eventType), {
        until: (m) => m.length === 2,
        what: 'the two replayed dispatches',
      });
      expect(dispatched.map((m) => [m.notificationId, m.attemptSeries]).sort()).toEqual(
        [
          [a1.id, 2],
          [a2.id, 2],
        ].sort(),
      );
    } finally {
      await capture.close();
    }
    const perLetter = await auditEntries({ tenantId: first.tenantId, action: 'dlq.replay' });
    expect(perLetter.map((a) => a.resource_id).sort()).toEqual([a1.id, a2.id].sort());
    const summary = await auditEntries({ action: 'dlq.bulk_replay', actorId: operator.subjectId });
    expect(summary).toMatchObject([
      {
        tenant_id: null,
        actor_type: 'operator',
        after: { allTenants: true, reason: 'vendor outage over', matched: 3, done: 2, filter: { eventType } },
      },
    ]);

    // The rest, confined to one tenant: no confirmation needed.
    const discarded = await operator.call('POST', '/api/v1/admin/dlq/discard', {
      filter: { tenantId: second.tenantId, eventType },
      reason: 'customer left',
    });
    expect(discarded.body.data).toEqual({
      dryRun: false,
      action: 'discard',
      matched: 1,
      done: 1,
      remaining: 0,
      byTenant: [{ tenantId: second.tenantId, done: 1 }],
    });
    expect((await operator.call('GET', `/api/v1/admin/dlq/${b1.id}`)).body.data).toMatchObject({
      status: 'discarded',
      replayReason: 'customer left',
      resolvedBy: operator.subjectId,
    });
    expect(await auditEntries({ tenantId: second.tenantId, action: 'dlq.discard' })).toMatchObject([{ resource_id: b1.id }]);
    expect(await auditEntries({ action: 'dlq.bulk_discard', actorId: operator.subjectId })).toMatchObject([
      { tenant_id: second.tenantId, after: { allTenants: false } },
    ]);

    expect((await operator.call('POST', '/api/v1/admin/dlq/replay', { filter: { eventType }, dryRun: true })).body.data).toMatchObject({
      matched: 0,
      byTenant: [],
    });
    expect((await operator.call('GET', `/api/v1/admin/dlq/${untouched.id}`)).body.data.status).toBe('dead');
    expect((await operator.call('GET', `/api/v1/admin/dlq/${held.id}`)).body.data.status).toBe('dead');
    // Named explicitly, a suspended tenant's letters can be acted on; a deleted tenant's cannot.
    expect(
      (await operator.call('POST', '/api/v1/admin/dlq/discard', { filter: { tenantId: suspended.tenantId, eventType }, dryRun: true })).body
        .data.matched,
    ).toBe(1);
    expect(
      (await operator.call('POST', '/api/v1/admin/dlq/discard', { filter: { tenantId: deleted.tenantId, eventType }, dryRun: true })).body
        .data.matched,
    ).toBe(0);
  });
});
