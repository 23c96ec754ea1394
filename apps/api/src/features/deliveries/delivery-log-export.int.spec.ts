import { describe, expect, it } from 'vitest';
import { auditEntries, seedLog, tenantWithAdmins, type AdminResponse } from '../../../test/admin-fixtures.js';

/** CSV lines without the final CRLF (fields here hold no line breaks). */
const lines = (answer: AdminResponse) => answer.text.replace(/\r\n$/, '').split('\r\n');
const column = (answer: AdminResponse, name: string) => {
  const [header, ...rows] = lines(answer);
  const index = header!.split(',').indexOf(name);
  return rows.map((row) => row.split(',')[index]);
};

describe('logs CSV export', () => {
  it('downloads the filtered logs newest first as formula-safe CSV, bounded by limit, and audits who exported what', async () => {
    const { tenant, viewer, stranger } = await tenantWithAdmins();
    const sent = [];
    for (let i = 0; i < 3; i += 1) sent.push(await seedLog(tenant.tenantId, { status: 'SENT', recipient: `user${i}@example.com` }));
    // A tenant's backend chooses event types and user ids: one that a spreadsheet would run as a formula.
    const hostile = await seedLog(tenant.tenantId, {
      status: 'FAILED',
      eventType: '=HYPERLINK("http://evil.example")',
      errorCode: 'RECIPIENT_INVALID',
    });
    const hostileOther = await seedLog(tenant.tenantId, { status: 'FAILED', eventType: '@SUM(1+1)' });

    const all = await viewer.call('GET', '/api/v1/tenant/logs/export');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(all.headers.get('content-disposition')).toMatch(/^attachment; filename="orqestra-logs-\d{8}T\d{6}Z\.csv"$/);
    expect(all.headers.get('cache-control')).toBe('no-store');
    expect([all.headers.get('x-orqestra-export-rows'), all.headers.get('x-orqestra-export-truncated')]).toEqual(['5', 'false']);
    expect(lines(all)[0]).toBe(
      'created_at,notification_id,event_id,event_type,channel,mode,test,user_id,recipient,status,attempt_series,attempt_number,provider,vendor_message_id,last_error_code,last_error_message,trace_id,received_at,sent_at',
    );
    expect(column(all, 'notification_id')).toEqual([hostileOther.id, hostile.id, ...sent.map((s) => s.id).reverse()]);
    expect(all.text).toContain(`,"'=HYPERLINK(""http://evil.example"")",`);
    expect(all.text).toContain(",'@SUM(1+1),");
    expect(all.text).not.toMatch(/,[=+@-]/);
    // Lists carry no message content, for any role: the rendered email is in no export.
    expect(all.text).not.toContain('<p>Hi</p>');

    // The list's filters, and a cap that says more matched.
    const failed = await viewer.call('GET', '/api/v1/tenant/logs/export?status=FAILED&limit=1');
    expect(column(failed, 'notification_id')).toEqual([hostileOther.id]);
    expect([failed.headers.get('x-orqestra-export-rows'), failed.headers.get('x-orqestra-export-truncated')]).toEqual(['1', 'true']);
    expect(column(await viewer.call('GET', '/api/v1/tenant/logs/export?recipient=user1%40example.com'), 'notification_id')).toEqual([
      sent[1]!.id,
    ]);

    // One audit entry per export, in the tenant's trail: who, the filters, the rows.
    const entries = await auditEntries({ tenantId: tenant.tenantId, action: 'logs.export', actorId: viewer.subjectId });
    expect(entries.map((e) => [e.actor_type, e.resource_type, e.after])).toEqual([
      ['tenant_admin', 'notification_logs', { format: 'csv', filters: {}, limit: 10_000, rows: 5, truncated: false }],
      ['tenant_admin', 'notification_logs', { format: 'csv', filters: { status: 'FAILED' }, limit: 1, rows: 1, truncated: true }],
      [
        'tenant_admin',
        'notification_logs',
        { format: 'csv', filters: { recipient: 'user1@example.com' }, limit: 10_000, rows: 1, truncated: false },
      ],
    ]);
    expect(entries[0]).toMatchObject({ trace_id: all.traceId, user_agent: 'orqestra-tests/1' });

    // Another tenant's admin exports its own (empty) logs, never these.
    const foreign = await stranger.call('GET', '/api/v1/tenant/logs/export');
    expect([foreign.status, lines(foreign).length, foreign.text.includes(tenant.tenantId)]).toEqual([200, 1, false]);

    // Bounded: at most 10,000 rows; a bad filter is refused before anything is read or audited.
    for (const query of ['limit=10001', 'limit=0', 'status=LOST', 'from=yesterday']) {
      const bad = await viewer.call('GET', `/api/v1/tenant/logs/export?${query}`);
      expect([query, bad.status, bad.body.error?.code]).toEqual([query, 422, 'VALIDATION_FAILED']);
    }
    expect(await auditEntries({ tenantId: tenant.tenantId, action: 'logs.export', actorId: viewer.subjectId })).toHaveLength(3);
  });

  it("gives operators every tenant's logs with a tenant column; a tenant filter puts the audit entry in that tenant's trail", async () => {
    const { tenant, other, operator, admin } = await tenantWithAdmins();
    const mine = await seedLog(tenant.tenantId, { status: 'SENT' });
    const theirs = await seedLog(other.tenantId, { status: 'SENT' });

    const one = await operator.call('GET', `/api/v1/admin/logs/export?tenantId=${tenant.tenantId}`);
    expect(one.status).toBe(200);
    expect(lines(one)[0]).toMatch(/^created_at,tenant_id,notification_id,/);
    expect(column(one, 'notification_id')).toEqual([mine.id]);
    expect(column(one, 'tenant_id')).toEqual([tenant.tenantId]);
    const across = await operator.call('GET', `/api/v1/admin/logs/export?traceId=${theirs.traceId}`);
    expect(column(across, 'tenant_id')).toEqual([other.tenantId]);

    const entries = await auditEntries({ action: 'logs.export', actorId: operator.subjectId });
    expect(entries.map((e) => [e.tenant_id, e.actor_type, e.after])).toEqual([
      [tenant.tenantId, 'operator', { format: 'csv', filters: { tenantId: tenant.tenantId }, limit: 10_000, rows: 1, truncated: false }],
      [null, 'operator', { format: 'csv', filters: { traceId: theirs.traceId }, limit: 10_000, rows: 1, truncated: false }],
    ]);
    // The tenant sees in its own trail that an operator exported its logs.
    const trail = await admin.call('GET', '/api/v1/tenant/audit?action=logs.export');
    expect(trail.body.data.map((e: { actorId: string }) => e.actorId)).toEqual([operator.subjectId]);

    expect((await admin.call('GET', '/api/v1/admin/logs/export')).status).toBe(403);
  });
});
