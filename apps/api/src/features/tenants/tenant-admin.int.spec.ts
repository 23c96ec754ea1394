import { describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { adminRequest, auditEntries, caller, newTenantAdmin, type Body, type TestPerson } from '../../../test/admin-fixtures.js';
import { newTenant } from '../../../test/fixtures.js';

const login = (person: TestPerson) =>
  adminRequest('POST', '/api/v1/tenant/auth/login', { body: { email: person.login, password: person.password } });
const me = (token: string) => adminRequest('GET', '/api/v1/tenant/auth/me', { token });
const refresh = (cookie: string) => adminRequest('POST', '/api/v1/tenant/auth/refresh', { cookie, csrf: true });

describe('disabling a tenant admin', () => {
  it('refuses their sign-in, ends their sessions and access tokens at once, is audited, and is undone by enable', async () => {
    const { tenantId } = await newTenant();
    const person = await newTenantAdmin(tenantId, { role: 'viewer' });
    const colleague = await newTenantAdmin(tenantId);
    const operator = await caller({ role: 'platform_operator' });
    const first = await login(person);
    const second = await login(person);
    const colleagues = await login(colleague);
    expect([first.status, second.status, colleagues.status]).toEqual([200, 200, 200]);
    expect((await me(first.body.accessToken)).status).toBe(200);

    const path = `/api/v1/admin/tenants/${tenantId}/admins/${person.id}`;
    const disabled = await operator.call('POST', `${path}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body.data).toMatchObject({ admin: { id: person.id, status: 'disabled', role: 'viewer' }, sessionsRevoked: 2 });

    for (const session of [first, second]) {
      expect([(await me(session.body.accessToken)).status, (await refresh(session.refreshCookie!)).status]).toEqual([401, 401]);
    }
    const refused = await login(person);
    expect([refused.status, refused.body.error?.code]).toEqual([401, 'INVALID_LOGIN']);
    // Only that person: a colleague's session goes on.
    expect((await me(colleagues.body.accessToken)).status).toBe(200);

    const listed = await operator.call('GET', `/api/v1/admin/tenants/${tenantId}/admins`);
    expect(listed.body.data.map((a: Body) => [a.id, a.status]).sort()).toEqual(
      [
        [person.id, 'disabled'],
        [colleague.id, 'active'],
      ].sort(),
    );
    const again = await operator.call('POST', `${path}/disable`);
    expect(again.body.data).toMatchObject({ admin: { status: 'disabled' }, sessionsRevoked: 0 });
    const disables = await auditEntries({ tenantId, action: 'tenant_admin.disable' });
    expect(disables).toMatchObject([
      {
        actor_type: 'operator',
        actor_id: operator.subjectId,
        resource_id: person.id,
        before: { status: 'active' },
        after: { status: 'disabled', sessionsRevoked: 2 },
      },
    ]);

    const enabled = await operator.call('POST', `${path}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body.data.admin).toMatchObject({ id: person.id, status: 'active' });
    const back = await pollUntil(() => login(person), {
      until: (r) => r.status === 200,
      timeoutMs: 15_000,
      intervalMs: 500,
      what: 'sign-in after enable',
    });
    expect((await me(back.body.accessToken)).status).toBe(200);
    // The sessions that ended stay ended.
    expect((await refresh(first.refreshCookie!)).status).toBe(401);
    expect(await auditEntries({ tenantId, action: 'tenant_admin.enable' })).toMatchObject([
      { resource_id: person.id, before: { status: 'disabled' }, after: { status: 'active' } },
    ]);
  });

  it('is for operators only, and names only admins of the tenant in the path', async () => {
    const mine = await newTenant();
    const other = await newTenant();
    const person = await newTenantAdmin(mine.tenantId);
    const operator = await caller({ role: 'platform_operator' });
    const tenantAdmin = await caller({ role: 'admin', tenantId: mine.tenantId });
    expect((await tenantAdmin.call('POST', `/api/v1/admin/tenants/${mine.tenantId}/admins/${person.id}/disable`)).status).toBe(403);
    expect((await operator.call('POST', `/api/v1/admin/tenants/${other.tenantId}/admins/${person.id}/disable`)).status).toBe(404);
    expect((await login(person)).status).toBe(200);
  });
});
