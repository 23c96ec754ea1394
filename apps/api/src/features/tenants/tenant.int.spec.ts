import { createHash, randomUUID } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { afterAll, describe, expect, it } from 'vitest';
import { withOperator } from '@orqestra/db';
import { pollUntil } from '@orqestra/testing';
import { adminCall, adminRequest, auditEntries, newTenantAdmin, operatorToken, tenantAdminToken } from '../../../test/admin-fixtures.js';
import { event, newTenant, testDatabase, trigger } from '../../../test/fixtures.js';

// SPEC §6 operator routes against the running API (apps/api/test/global-setup.ts).
afterAll(() => testDatabase().close());

const send = (apiKey: string) => trigger(apiKey, event({ eventId: `evt-${randomUUID()}` }));

async function createTenant(body: Record<string, unknown> = {}) {
  const response = await adminCall(await operatorToken(), 'POST', '/api/v1/admin/tenants', { name: `t-${randomUUID()}`, ...body });
  expect(response.status).toBe(201);
  return response as typeof response & { body: { data: { tenant: { id: string }; apiKey: string; apiKeyPrefix: string } } };
}

describe('tenants', () => {
  it('creates a tenant whose key (shown once) triggers events; the audit entry names who, where and the trace, without the key', async () => {
    const created = await createTenant({
      dailyCap: 50,
      deliveryChannels: ['EMAIL', 'PUSH'],
      defaultLocale: 'pt-br',
      realtimeNamespaces: ['orders'],
    });
    const { tenant, apiKey, apiKeyPrefix } = created.body.data;
    expect(apiKey).toMatch(/^oq_live_/);
    expect(apiKey.startsWith(apiKeyPrefix)).toBe(true);
    expect(tenant).toMatchObject({
      status: 'active',
      dailyCap: 50,
      deliveryChannels: ['EMAIL', 'PUSH'],
      defaultLocale: 'pt-BR',
      realtimeNamespaces: ['orders'],
      webhookSecret: { set: false },
    });
    expect((await send(apiKey)).status).toBe(200);

    const token = await operatorToken();
    const got = await adminCall(token, 'GET', `/api/v1/admin/tenants/${tenant.id}`);
    expect(got.body.data).toEqual(tenant);
    expect(JSON.stringify(got.body)).not.toContain(apiKey);

    const [entry] = await auditEntries({ tenantId: tenant.id, newestFirst: true });
    expect(entry).toMatchObject({
      action: 'tenant.create',
      actor_type: 'operator',
      resource_id: tenant.id,
      trace_id: created.traceId,
      user_agent: 'orqestra-tests/1',
    });
    expect(entry?.ip).toBe('127.0.0.1');
    expect(JSON.stringify(entry)).not.toContain(apiKey);
  });

  it('lists tenants with SPEC pagination, deleted ones only on request', async () => {
    const token = await operatorToken();
    const a = (await createTenant()).body.data.tenant.id;
    const page = await adminCall(token, 'GET', '/api/v1/admin/tenants?page=1&limit=2');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(2);
    expect(page.body.pagination).toMatchObject({ page: 1, limit: 2 });
    expect(page.body.pagination.total).toBeGreaterThanOrEqual(2);
    expect((await adminCall(token, 'DELETE', `/api/v1/admin/tenants/${a}`)).status).toBe(200);
    const deleted = await adminCall(token, 'GET', '/api/v1/admin/tenants?status=deleted&limit=100');
    expect(deleted.body.data.map((t: { id: string }) => t.id)).toContain(a);
    expect((await adminCall(token, 'GET', '/api/v1/admin/tenants?limit=500')).status).toBe(422);
  });

  it('refuses bad settings with every problem listed', async () => {
    const token = await operatorToken();
    const { id } = (await createTenant()).body.data.tenant;
    const bad = await adminCall(token, 'PATCH', `/api/v1/admin/tenants/${id}`, {
      realtimeNamespaces: ['global_system', 'Bad-Name'],
      ambiguousSendPolicy: 'maybe',
      rateLimitPerMinute: 0,
      defaultLocale: 'not a locale!',
      deliveryChannels: ['EMAIL', 'EMAIL'],
    });
    expect(bad.status).toBe(422);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'realtimeNamespaces.0',
        'realtimeNamespaces.1',
        'ambiguousSendPolicy',
        'rateLimitPerMinute',
        'defaultLocale',
        'deliveryChannels',
      ]),
    );
    expect((await adminCall(token, 'PATCH', `/api/v1/admin/tenants/${id}`, {})).status).toBe(422);
    expect((await adminCall(token, 'GET', `/api/v1/admin/tenants/${randomUUID()}`)).status).toBe(404);
  });

  it('applies a new daily cap to the live key at once, and audits only what changed', async () => {
    const { tenant, apiKey } = (await createTenant()).body.data;
    expect((await send(apiKey)).status).toBe(200);
    const updated = await adminCall(await operatorToken(), 'PATCH', `/api/v1/admin/tenants/${tenant.id}`, { dailyCap: 1, name: 'renamed' });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ dailyCap: 1, name: 'renamed' });
    const refused = await pollUntil(() => send(apiKey), { until: (r) => r.status === 429, timeoutMs: 6_000, what: 'the new daily cap' });
    expect(refused.body.error?.code).toBe('RATE_LIMITED');
    const [entry] = await auditEntries({ tenantId: tenant.id, newestFirst: true });
    expect(entry).toMatchObject({
      action: 'tenant.update',
      before: { dailyCap: 100_000, name: tenant.name },
      after: { dailyCap: 1, name: 'renamed' },
      trace_id: updated.traceId,
    });
  });

  it('suspends (403 TENANT_SUSPENDED within 5 s), reactivates, and soft-deletes (key refused)', async () => {
    const token = await operatorToken();
    const { tenant, apiKey } = (await createTenant()).body.data;
    expect((await send(apiKey)).status).toBe(200);
    expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.id}/suspend`)).body.data.status).toBe('suspended');
    const suspended = await pollUntil(() => send(apiKey), { until: (r) => r.status === 403, timeoutMs: 5_000, what: 'suspension' });
    expect(suspended.body.error?.code).toBe('TENANT_SUSPENDED');
    expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.id}/suspend`)).status).toBe(409);

    expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.id}/reactivate`)).body.data.status).toBe('active');
    await pollUntil(() => send(apiKey), { until: (r) => r.status === 200, timeoutMs: 5_000, what: 'reactivation' });

    const deleted = await adminCall(token, 'DELETE', `/api/v1/admin/tenants/${tenant.id}`);
    expect(deleted.body.data).toMatchObject({ status: 'deleted' });
    expect(deleted.body.data.deletedAt).not.toBeNull();
    const refused = await pollUntil(() => send(apiKey), { until: (r) => r.status === 401, timeoutMs: 5_000, what: 'deletion' });
    expect(refused.body.error?.code).toBe('INVALID_API_KEY');
    expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.id}/reactivate`)).status).toBe(409);
    expect((await adminCall(token, 'PATCH', `/api/v1/admin/tenants/${tenant.id}`, { burst: 5 })).status).toBe(409);
    const actions = (await auditEntries({ tenantId: tenant.id, newestFirst: true })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['tenant.suspend', 'tenant.reactivate', 'tenant.delete']));
  });

  it("refuses a suspended tenant's admins with the access tokens they already hold (within 5 s), and ends their refresh tokens for good", async () => {
    const token = await operatorToken();
    const { tenant } = (await createTenant()).body.data;
    const person = await newTenantAdmin(tenant.id);
    const signedIn = await adminRequest('POST', '/api/v1/tenant/auth/login', { body: { email: person.login, password: person.password } });
    expect(signedIn.status).toBe(200);
    const access = String(signedIn.body.accessToken);
    const providers = () => adminCall(access, 'GET', '/api/v1/tenant/providers');
    const sandbox = () => adminCall(access, 'POST', '/api/v1/tenant/sandbox/sessions', {});
    expect((await providers()).status).toBe(200);

    expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.id}/suspend`)).status).toBe(200);
    const refused = await pollUntil(providers, {
      until: (r) => r.status === 403,
      timeoutMs: 5_000,
      what: 'the admin guard refusing a suspended tenant',
    });
    expect(refused.body.error?.code).toBe('TENANT_SUSPENDED');
    const started = await sandbox();
    expect([started.status, started.body.error?.code]).toEqual([403, 'TENANT_SUSPENDED']);

    // Reactivation does not bring the old session back: suspension revoked its refresh token.
    expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.id}/reactivate`)).status).toBe(200);
    const renewed = await adminRequest('POST', '/api/v1/tenant/auth/refresh', { cookie: signedIn.refreshCookie!, csrf: true });
    expect([renewed.status, renewed.body.error?.code]).toEqual([401, 'REFRESH_TOKEN_INVALID']);
    const sessions = await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.selectFrom('admin_sessions').select(['revoked_reason']).where('subject_id', '=', person.id).execute(),
    );
    expect(sessions).toEqual([{ revoked_reason: 'tenant_suspended' }]);
  });

  it("refuses a deleted tenant's admins with the access tokens they already hold (within 5 s)", async () => {
    const token = await operatorToken();
    const { tenant } = (await createTenant()).body.data;
    const access = await tenantAdminToken(tenant.id);
    expect((await adminCall(access, 'GET', '/api/v1/tenant/providers')).status).toBe(200);
    expect((await adminCall(token, 'DELETE', `/api/v1/admin/tenants/${tenant.id}`)).status).toBe(200);
    const refused = await pollUntil(() => adminCall(access, 'POST', '/api/v1/tenant/sandbox/sessions', {}), {
      until: (r) => r.status === 401,
      timeoutMs: 5_000,
      what: 'the admin guard refusing a deleted tenant',
    });
    expect(refused.body.error?.code).toBe('UNAUTHENTICATED');
    expect((await adminCall(access, 'GET', '/api/v1/tenant/providers')).status).toBe(401);
  });

  it('is for operators only', async () => {
    const tenant = await newTenant();
    for (const role of ['admin', 'viewer'] as const) {
      const token = await tenantAdminToken(tenant.tenantId, role);
      expect((await adminCall(token, 'GET', '/api/v1/admin/tenants')).status).toBe(403);
      expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.tenantId}/suspend`)).status).toBe(403);
    }
  });
});

describe('tenant admins', () => {
  it('creates an admin with a temporary password (shown once, hashed, change forced); emails are unique across tenants', async () => {
    const token = await operatorToken();
    const tenant = await newTenant();
    const email = `Ada-${randomUUID()}@Example.com`;
    const created = await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.tenantId}/admins`, { email, role: 'viewer' });
    expect(created.status).toBe(201);
    const { admin, temporaryPassword } = created.body.data;
    expect(admin).toMatchObject({ tenantId: tenant.tenantId, email, role: 'viewer', mustChangePassword: true });
    const row = await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.selectFrom('tenant_admins').selectAll().where('id', '=', admin.id).executeTakeFirstOrThrow(),
    );
    expect(row.must_change_password).toBe(true);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verify(row.password_hash, temporaryPassword)).toBe(true);

    const other = await newTenant();
    const duplicate = await adminCall(token, 'POST', `/api/v1/admin/tenants/${other.tenantId}/admins`, { email: email.toLowerCase() });
    expect(duplicate.status).toBe(409);
    expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${other.tenantId}/admins`, { email: 'not-an-email' })).status).toBe(422);

    const list = await adminCall(token, 'GET', `/api/v1/admin/tenants/${tenant.tenantId}/admins`);
    expect(list.body).toMatchObject({ success: true, pagination: { page: 1, total: 1 } });
    expect(JSON.stringify(list.body)).not.toContain('argon2');
    const [entry] = await auditEntries({ tenantId: tenant.tenantId, newestFirst: true });
    expect(entry).toMatchObject({ action: 'tenant_admin.create', resource_id: admin.id });
    expect(JSON.stringify(entry)).not.toContain(temporaryPassword);
  });

  it('resets a password: new temporary password, change forced again, sessions revoked', async () => {
    const token = await operatorToken();
    const tenant = await newTenant();
    const { admin, temporaryPassword: first } = (
      await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.tenantId}/admins`, { email: `b-${randomUUID()}@example.com` })
    ).body.data;
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db
        .insertInto('admin_sessions')
        .values({
          family_id: randomUUID(),
          tenant_id: tenant.tenantId,
          subject_type: 'tenant_admin',
          subject_id: admin.id,
          role: 'admin',
          token_hash: createHash('sha256').update(randomUUID()).digest('hex'),
          expires_at: new Date(Date.now() + 3_600_000),
        })
        .execute(),
    );
    const reset = await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.tenantId}/admins/${admin.id}/reset-password`);
    expect(reset.status).toBe(200);
    const second = reset.body.data.temporaryPassword as string;
    expect(second).not.toBe(first);
    const { row, sessions } = await withOperator(testDatabase(), 'tests', async (tx) => ({
      row: await tx.db.selectFrom('tenant_admins').selectAll().where('id', '=', admin.id).executeTakeFirstOrThrow(),
      sessions: await tx.db
        .selectFrom('admin_sessions')
        .select(['revoked_at', 'revoked_reason'])
        .where('subject_id', '=', admin.id)
        .execute(),
    }));
    expect(await verify(row.password_hash, second)).toBe(true);
    expect(await verify(row.password_hash, first)).toBe(false);
    expect(row.must_change_password).toBe(true);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ revoked_reason: 'password_reset' });
    expect(sessions[0]?.revoked_at).not.toBeNull();
    expect((await auditEntries({ tenantId: tenant.tenantId, newestFirst: true }))[0]).toMatchObject({
      action: 'tenant_admin.reset_password',
      after: { sessionsRevoked: 1 },
    });
    // an admin of another tenant is not found through this tenant
    const other = await newTenant();
    expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${other.tenantId}/admins/${admin.id}/reset-password`)).status).toBe(404);
  });
});

describe('global templates', () => {
  it('saves versions, lists them and activates (rollback), audited as platform entries', async () => {
    const token = await operatorToken();
    const eventType = `global.test-${randomUUID()}`;
    const draft = (title: string) => ({ eventType, template: { channel: 'PUSH', title, pushBody: 'Hello {{name}}' } });
    const v1 = await adminCall(token, 'POST', '/api/v1/admin/global-templates', { ...draft('One'), activate: true });
    expect(v1.status).toBe(201);
    expect(v1.body.data).toMatchObject({ version: 1, active: true });
    const v2 = await adminCall(token, 'POST', '/api/v1/admin/global-templates', draft('Two'));
    expect(v2.body.data).toMatchObject({ version: 2, active: false });
    const templateId = v1.body.data.templateId as string;

    const activated = await adminCall(token, 'POST', `/api/v1/admin/global-templates/${templateId}/activate`, { version: 2 });
    expect(activated.body.data).toEqual({ activeVersion: 2 });
    const versions = await adminCall(token, 'GET', `/api/v1/admin/global-templates/${templateId}/versions`);
    expect(versions.body.data.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    const secondPage = await adminCall(token, 'GET', `/api/v1/admin/global-templates/${templateId}/versions?limit=1&page=2`);
    expect([secondPage.body.data.map((v: { version: number }) => v.version), secondPage.body.pagination]).toEqual([
      [1],
      { page: 2, limit: 1, total: 2 },
    ]);
    const list = await adminCall(token, 'GET', '/api/v1/admin/global-templates?limit=100');
    expect(list.body.pagination.total).toBeGreaterThanOrEqual(1);

    const platform = await auditEntries({ tenantId: null, newestFirst: true });
    const mine = platform.filter((e) => e.resource_id === templateId).map((e) => e.action);
    expect(mine).toEqual(expect.arrayContaining(['global_template.version.create', 'global_template.activate']));

    expect(
      (await adminCall(token, 'POST', '/api/v1/admin/global-templates', { eventType: 'order.x', template: { channel: 'SMS', body: 'x' } }))
        .status,
    ).toBe(422);
    const broken = await adminCall(token, 'POST', '/api/v1/admin/global-templates', {
      eventType,
      template: { channel: 'SMS', body: 'Hi {{#if x}}' },
    });
    expect(broken.status).toBe(422);
    expect(broken.body.error.details[0]).toHaveProperty('line');
    expect((await adminCall(token, 'POST', `/api/v1/admin/global-templates/${templateId}/activate`, { version: 9 })).status).toBe(404);
    const tenant = await newTenant();
    expect((await adminCall(await tenantAdminToken(tenant.tenantId), 'GET', '/api/v1/admin/global-templates')).status).toBe(403);
  });
});
