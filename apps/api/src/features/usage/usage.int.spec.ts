import { describe, expect, it } from 'vitest';
import { newTenant, trigger } from '../../../test/fixtures.js';
import { type Body, caller, seedLog, tenantWithAdmins } from '../../../test/admin-fixtures.js';

describe('usage, rate-limit usage and the audit trail', () => {
  it('counts notifications per hour by channel and status, only the tenant’s own', async () => {
    const { tenant, viewer, stranger, operator } = await tenantWithAdmins();
    await seedLog(tenant.tenantId, { status: 'SENT', channel: 'EMAIL' });
    await seedLog(tenant.tenantId, { status: 'SENT', channel: 'EMAIL' });
    await seedLog(tenant.tenantId, { status: 'FAILED', channel: 'SMS' });
    const stats = await viewer.call('GET', '/api/v1/tenant/usage?granularity=hour');
    expect(stats.status).toBe(200);
    expect(stats.body.data.totals).toEqual({ byStatus: { SENT: 2, FAILED: 1 }, byChannel: { EMAIL: 2, SMS: 1 } });
    expect(stats.body.data.buckets.map((b: Body) => [b.channel, b.status, b.count])).toEqual([
      ['EMAIL', 'SENT', 2],
      ['SMS', 'FAILED', 1],
    ]);
    for (const bucket of stats.body.data.buckets as { start: string }[]) {
      expect(bucket.start).toMatch(/T\d\d:00:00Z$/);
      expect(Date.now() - Date.parse(bucket.start)).toBeLessThan(2 * 3_600_000);
    }
    expect((await viewer.call('GET', '/api/v1/tenant/usage?granularity=day')).body.data.buckets).toHaveLength(2);
    expect((await stranger.call('GET', '/api/v1/tenant/usage')).body.data.totals).toEqual({ byStatus: {}, byChannel: {} });
    const tooLong = await viewer.call('GET', '/api/v1/tenant/usage?granularity=hour&from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z');
    expect(tooLong.status).toBe(422);

    const platform = await operator.call('GET', '/api/v1/admin/stats');
    expect(platform.status).toBe(200);
    expect(platform.body.data.totals.byStatus.SENT).toBeGreaterThanOrEqual(2);
    expect(platform.body.data.tenants.active).toBeGreaterThanOrEqual(2);
    expect((await viewer.call('GET', '/api/v1/admin/stats')).status).toBe(403);
  });

  it('reports the rate-limit bucket and the daily cap as the trigger path uses them', async () => {
    const tenant = await newTenant({ rateLimitPerMinute: 60, burst: 5, dailyCap: 100 });
    const viewer = await caller({ role: 'viewer', tenantId: tenant.tenantId });
    const before = await viewer.call('GET', '/api/v1/tenant/usage/rate-limit');
    expect(before.body.data).toMatchObject({
      perMinute: { limit: 60, burst: 5, remaining: 5, resetSeconds: 0 },
      daily: { cap: 100, used: 0, remaining: 100 },
    });
    for (let i = 0; i < 3; i += 1)
      expect(
        (await trigger(tenant.apiKey, { eventType: 'global.info', payload: { userId: 'u-1' }, variables: { title: 'a', message: 'b' } }))
          .status,
      ).toBe(200);
    const after = await viewer.call('GET', '/api/v1/tenant/usage/rate-limit');
    // One token per second refills: 5 - 3 (+1 if a second passed during the calls).
    expect(after.body.data.perMinute.remaining).toBeGreaterThanOrEqual(2);
    expect(after.body.data.perMinute.remaining).toBeLessThanOrEqual(3);
    expect(after.body.data.daily).toMatchObject({ used: 3, remaining: 97 });
  });

  it('shows the tenant its audit trail; viewers without before/after; operators see every tenant and the platform', async () => {
    const { tenant, admin, viewer, stranger, operator } = await tenantWithAdmins();
    await admin.call('POST', '/api/v1/tenant/templates', { eventType: 'a.b', channel: 'SMS', body: 'Hi {{name}}' });
    const asAdmin = await admin.call('GET', '/api/v1/tenant/audit');
    expect(asAdmin.body.pagination.total).toBe(1);
    expect(asAdmin.body.data[0]).toMatchObject({
      action: 'template.version.create',
      actorType: 'tenant_admin',
      actorId: admin.subjectId,
      valuesHidden: false,
      after: { eventType: 'a.b', version: 1 },
    });
    const asViewer = await viewer.call('GET', '/api/v1/tenant/audit?action=template.version.create');
    expect(asViewer.body.data[0]).toMatchObject({ action: 'template.version.create', before: null, after: null, valuesHidden: true });
    expect(asViewer.text).not.toContain('a.b');
    expect((await stranger.call('GET', '/api/v1/tenant/audit')).body.data).toEqual([]);
    const viaOperator = await operator.call('GET', `/api/v1/admin/audit?tenantId=${tenant.tenantId}`);
    expect(viaOperator.body.data.map((e: Body) => [e.tenantId, e.action])).toEqual([[tenant.tenantId, 'template.version.create']]);
    expect(
      (await operator.call('GET', '/api/v1/admin/audit?scope=platform&limit=5')).body.data.every((e: Body) => e.tenantId === null),
    ).toBe(true);
    expect((await admin.call('GET', '/api/v1/admin/audit')).status).toBe(403);
  });
});
