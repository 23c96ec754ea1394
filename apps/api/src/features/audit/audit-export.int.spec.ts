import { describe, expect, it } from 'vitest';
import { auditEntries, tenantWithAdmins, type AdminResponse } from '../../../test/admin-fixtures.js';

/** Parses RFC 4180 CSV (quoted fields with commas, quotes and line breaks) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else {
      field += c;
    }
  }
  return rows;
}

/** The CSV as objects keyed by its header line. */
const records = (answer: AdminResponse) => {
  const [header, ...rows] = parseCsv(answer.text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
};

describe('audit log CSV export', () => {
  it('downloads the filtered trail with before/after for admins and without them for viewers, and audits each export', async () => {
    const { tenant, admin, viewer, stranger } = await tenantWithAdmins();
    // Something audited with before/after values: a provider created and changed by the admin.
    const created = await admin.call('POST', '/api/v1/tenant/providers', {
      channel: 'EMAIL',
      provider: 'resend',
      credentials: { apiKey: 're_export_key_1234', fromAddress: 'a@shop.example' },
    });
    expect(created.status).toBe(201);
    expect((await admin.call('PATCH', `/api/v1/tenant/providers/${created.body.data.id}`, { priority: 2 })).status).toBe(200);

    const full = await admin.call('GET', '/api/v1/tenant/audit/export?resourceType=provider_config');
    expect(full.status).toBe(200);
    expect(full.headers.get('content-disposition')).toMatch(/^attachment; filename="orqestra-audit-\d{8}T\d{6}Z\.csv"$/);
    expect(full.text.split('\r\n')[0]).toBe(
      'created_at,entry_id,actor_type,actor_id,action,resource_type,resource_id,ip,user_agent,trace_id,values_hidden,before,after',
    );
    const rows = records(full);
    expect(rows.map((r) => r.action)).toEqual(['provider.update', 'provider.create']);
    expect(rows[0]).toMatchObject({
      actor_type: 'tenant_admin',
      actor_id: admin.subjectId,
      resource_id: created.body.data.id,
      values_hidden: 'false',
      user_agent: 'orqestra-tests/1',
    });
    expect(JSON.parse(rows[0]!.after!)).toMatchObject({ priority: 2 });
    expect(JSON.parse(rows[0]!.before!).priority).not.toBe(2);
    // Secrets are never in the trail, so never in its export.
    expect(full.text).not.toContain('re_export_key_1234');

    // A viewer sees what its list shows: the entries, no before/after values.
    const redacted = records(await viewer.call('GET', '/api/v1/tenant/audit/export?resourceType=provider_config'));
    expect(redacted.map((r) => [r.action, r.values_hidden, r.before, r.after])).toEqual([
      ['provider.update', 'true', '', ''],
      ['provider.create', 'true', '', ''],
    ]);

    // Each export is itself in the trail (who, filters, rows), and shows up in the next one.
    const entries = await auditEntries({ tenantId: tenant.tenantId, action: 'audit.export' });
    expect(entries.map((e) => [e.actor_id, e.resource_type, e.after])).toEqual([
      [
        admin.subjectId,
        'audit_logs',
        { format: 'csv', filters: { resourceType: 'provider_config' }, limit: 10_000, rows: 2, truncated: false },
      ],
      [
        viewer.subjectId,
        'audit_logs',
        { format: 'csv', filters: { resourceType: 'provider_config' }, limit: 10_000, rows: 2, truncated: false },
      ],
    ]);
    const exports = records(await admin.call('GET', '/api/v1/tenant/audit/export?action=audit.export&limit=1'));
    expect(exports.map((r) => [r.action, r.actor_id])).toEqual([['audit.export', viewer.subjectId]]);

    // Another tenant's admin reads only its own trail.
    const foreign = await stranger.call('GET', '/api/v1/tenant/audit/export?resourceType=provider_config');
    expect([foreign.status, records(foreign)]).toEqual([200, []]);
    expect((await viewer.call('GET', '/api/v1/tenant/audit/export?limit=10001')).status).toBe(422);
  });

  it('gives operators the platform and tenant entries with a tenant column, and records its own export', async () => {
    const { tenant, admin, operator } = await tenantWithAdmins();
    expect(
      (
        await admin.call('POST', '/api/v1/tenant/providers', {
          channel: 'EMAIL',
          provider: 'resend',
          credentials: { apiKey: 're_export_key_5678', fromAddress: 'a@shop.example' },
        })
      ).status,
    ).toBe(201);
    const answer = await operator.call('GET', `/api/v1/admin/audit/export?tenantId=${tenant.tenantId}&action=provider.create`);
    expect(answer.status).toBe(200);
    const rows = records(answer);
    expect(rows.map((r) => [r.tenant_id, r.action, r.actor_id, r.values_hidden])).toEqual([
      [tenant.tenantId, 'provider.create', admin.subjectId, 'false'],
    ]);
    const platform = await operator.call('GET', `/api/v1/admin/audit/export?scope=platform&actorId=${operator.subjectId}`);
    expect(records(platform)).toEqual([]);
    expect((await auditEntries({ action: 'audit.export', actorId: operator.subjectId })).map((e) => [e.tenant_id, e.after])).toEqual([
      [
        tenant.tenantId,
        {
          format: 'csv',
          filters: { tenantId: tenant.tenantId, action: 'provider.create', scope: 'all' },
          limit: 10_000,
          rows: 1,
          truncated: false,
        },
      ],
      [null, { format: 'csv', filters: { actorId: operator.subjectId, scope: 'platform' }, limit: 10_000, rows: 0, truncated: false }],
    ]);
    expect((await admin.call('GET', '/api/v1/admin/audit/export')).status).toBe(403);
  });
});
