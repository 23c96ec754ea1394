import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOperator } from '@orqestra/db';
import { freePort, pollUntil, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';
import {
  adminRequest,
  auditEntries,
  newOperator,
  newTenantAdmin,
  type AdminRequestOptions,
  type TestPerson,
} from '../../../test/admin-fixtures.js';
import { newTenant, testDatabase } from '../../../test/fixtures.js';

/**
 * Admin sign-in against an API process of its own: a small throttle (3 free attempts, then 1 s
 * doubling) and debug logging, so the test can scan everything the process wrote for secrets.
 */
let api: ServiceProcess;
let apiUrl: string;
/** Every password, refresh token and access token the tests handle: none may reach the logs. */
const secrets = new Set<string>();

beforeAll(async () => {
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  api = await startService(
    fileURLToPath(new URL('../../../dist/main.api.js', import.meta.url)),
    serviceEnv({ API_PORT: String(port), LOG_LEVEL: 'debug', ADMIN_LOGIN_FREE_ATTEMPTS: '3', ADMIN_LOGIN_BACKOFF_BASE_MS: '1000' }),
    async () => (await fetch(`${apiUrl}/health/ready`).catch(() => undefined))?.ok === true,
    'api (admin auth)',
  );
});

afterAll(async () => {
  await api?.stop();
});

const call = (method: string, path: string, options: Omit<AdminRequestOptions, 'apiUrl'> = {}) =>
  adminRequest(method, path, { ...options, apiUrl });

async function login(realm: 'admin' | 'tenant', person: Pick<TestPerson, 'login' | 'password'>, password = person.password) {
  secrets.add(password);
  const body = realm === 'admin' ? { username: person.login, password } : { email: person.login, password };
  const result = await call('POST', `/api/v1/${realm}/auth/login`, { body });
  if (typeof result.body.accessToken === 'string') secrets.add(result.body.accessToken);
  if (result.refreshCookie) secrets.add(result.refreshCookie);
  return result;
}

async function refresh(realm: 'admin' | 'tenant', cookie: string, csrf = true) {
  const result = await call('POST', `/api/v1/${realm}/auth/refresh`, { cookie, csrf });
  if (result.refreshCookie) secrets.add(result.refreshCookie);
  return result;
}

describe('tenant admin login', () => {
  it('returns an access token and an httpOnly, SameSite=Strict refresh cookie scoped to the tenant auth path; me works with the token', async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId, { role: 'viewer' });
    const since = new Date();
    const result = await login('tenant', { ...admin, login: admin.login.toUpperCase() });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      success: true,
      tokenType: 'Bearer',
      mustChangePassword: false,
      user: { id: admin.id, type: 'tenant_admin', role: 'viewer', tenantId, email: admin.login },
    });
    expect(Date.parse(String(result.body.expiresAt)) - Date.now()).toBeGreaterThan(14 * 60_000);
    const cookie = result.setCookie.find((c) => c.startsWith('orqestra_refresh='))!;
    expect(cookie).toMatch(/; Path=\/api\/v1\/tenant\/auth;/);
    expect(cookie).toContain('Max-Age=28800');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // NODE_ENV=test; production adds Secure

    const me = await call('GET', '/api/v1/tenant/auth/me', { token: String(result.body.accessToken) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: admin.id, email: admin.login, role: 'viewer', tenantId }, mustChangePassword: false });
    expect((await call('GET', '/api/v1/tenant/auth/me')).status).toBe(401);

    const [entry] = await auditEntries({ action: 'auth.login', actorId: admin.id, since });
    expect(entry).toMatchObject({
      tenant_id: tenantId,
      actor_type: 'tenant_admin',
      resource_type: 'admin_session',
      trace_id: result.headers.get('x-trace-id'),
    });
    expect(entry?.ip).toBeTruthy();
  });

  it('refuses a wrong password and an unknown email alike (401 INVALID_LOGIN) and audits both, the unknown one as anonymous without a tenant', async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId);
    const since = new Date();
    const wrong = await login('tenant', admin, `wrong-${randomUUID()}`);
    const unknownEmail = `nobody-${randomUUID()}@example.test`;
    const unknown = await login('tenant', { login: unknownEmail, password: `x-${randomUUID()}` });
    for (const result of [wrong, unknown]) {
      expect(result.status).toBe(401);
      expect(result.body.error).toEqual({ code: 'INVALID_LOGIN', message: 'Unknown user or wrong password' });
      expect(result.refreshCookie).toBeUndefined();
    }
    const [known] = await auditEntries({ action: 'auth.login_failed', resourceId: admin.id, since });
    expect(known).toMatchObject({ tenant_id: tenantId, actor_type: 'anonymous', actor_id: null, after: { reason: 'wrong_password' } });
    const anonymous = (await auditEntries({ action: 'auth.login_failed', tenantId: null, since })).filter((e) =>
      JSON.stringify(e.after).includes(unknownEmail),
    );
    expect(anonymous).toHaveLength(1);
    expect(anonymous[0]).toMatchObject({ actor_type: 'anonymous', actor_id: null, after: { reason: 'unknown_user' } });
  });

  it('refuses a disabled admin (401) and an admin of a suspended tenant (403 TENANT_SUSPENDED, only with the right password)', async () => {
    const { tenantId } = await newTenant();
    const disabled = await newTenantAdmin(tenantId);
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.updateTable('tenant_admins').set({ status: 'disabled' }).where('id', '=', disabled.id).execute(),
    );
    expect((await login('tenant', disabled)).body.error?.code).toBe('INVALID_LOGIN');

    const suspendedTenant = await newTenant();
    const admin = await newTenantAdmin(suspendedTenant.tenantId);
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.updateTable('tenants').set({ status: 'suspended' }).where('id', '=', suspendedTenant.tenantId).execute(),
    );
    const refused = await login('tenant', admin);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('TENANT_SUSPENDED');
    expect((await login('tenant', admin, `wrong-${randomUUID()}`)).body.error?.code).toBe('INVALID_LOGIN');
  });
});

describe('operator login', () => {
  it('signs in by username with a cookie scoped to the operator auth path; failures are platform audit entries', async () => {
    const operator = await newOperator();
    const since = new Date();
    const result = await login('admin', operator);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      user: { id: operator.id, type: 'operator', role: 'platform_operator', tenantId: null, username: operator.login },
    });
    expect(result.setCookie.find((c) => c.startsWith('orqestra_refresh='))).toMatch(/; Path=\/api\/v1\/admin\/auth;/);
    const me = await call('GET', '/api/v1/admin/auth/me', { token: String(result.body.accessToken) });
    expect(me.body).toMatchObject({ user: { username: operator.login, role: 'platform_operator' } });

    // An operator cannot sign in on the tenant side, nor a tenant admin on the operator side.
    expect((await login('tenant', operator)).status).toBe(401);
    expect((await login('admin', operator, `wrong-${randomUUID()}`)).status).toBe(401);
    expect(await auditEntries({ action: 'auth.login', actorId: operator.id, since })).toMatchObject([
      { tenant_id: null, actor_type: 'operator' },
    ]);
    expect(await auditEntries({ action: 'auth.login_failed', resourceId: operator.id, since })).toMatchObject([
      { tenant_id: null, actor_type: 'anonymous', after: { reason: 'wrong_password' } },
    ]);
  });
});

describe('realms', () => {
  it("refuses a tenant admin's token on the operator's me and change-password, and an operator's on the tenant's (403 FORBIDDEN)", async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId);
    const operator = await newOperator();
    const tenantToken = String((await login('tenant', admin)).body.accessToken);
    const operatorToken = String((await login('admin', operator)).body.accessToken);
    for (const [realm, token, person] of [
      ['admin', tenantToken, admin],
      ['tenant', operatorToken, operator],
    ] as const) {
      const me = await call('GET', `/api/v1/${realm}/auth/me`, { token });
      expect([me.status, me.body.error?.code], `${realm} me`).toEqual([403, 'FORBIDDEN']);
      const change = await call('POST', `/api/v1/${realm}/auth/change-password`, {
        token,
        body: { currentPassword: person.password, newPassword: `new-${randomUUID()}` },
      });
      expect([change.status, change.body.error?.code], `${realm} change-password`).toEqual([403, 'FORBIDDEN']);
    }
    expect((await call('GET', '/api/v1/tenant/auth/me', { token: tenantToken })).status).toBe(200);
    expect((await call('GET', '/api/v1/admin/auth/me', { token: operatorToken })).status).toBe(200);
  });
});

describe('login throttling', () => {
  it('after 3 failures per (email, IP) refuses every attempt with 429 and a Retry-After that doubles; a success resets it', async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId);
    const other = await newTenantAdmin(tenantId);
    for (let i = 0; i < 3; i += 1) expect((await login('tenant', admin, `wrong-${i}-${randomUUID()}`)).status).toBe(401);

    const locked = await login('tenant', admin); // even the right password
    expect(locked.status).toBe(429);
    expect(locked.body.error?.code).toBe('RATE_LIMITED');
    expect(locked.headers.get('retry-after')).toBe('1');
    // Per email: another admin from the same address is not held back.
    expect((await login('tenant', other)).status).toBe(200);

    // Once the lock ends, one more failure locks for twice as long.
    await pollUntil(() => login('tenant', { ...admin, login: admin.login.toUpperCase() }, `wrong-${randomUUID()}`), {
      until: (r) => r.status === 401,
      timeoutMs: 5_000,
      intervalMs: 200,
    });
    const longer = await login('tenant', admin);
    expect(longer.status).toBe(429);
    expect(longer.headers.get('retry-after')).toBe('2');

    const success = await pollUntil(() => login('tenant', admin), { until: (r) => r.status === 200, timeoutMs: 6_000, intervalMs: 200 });
    expect(success.body.user).toMatchObject({ id: admin.id });
    expect((await login('tenant', admin, `wrong-${randomUUID()}`)).status).toBe(401);
  });
});

/**
 * Bursts against an API process whose lock lasts a minute, so that no lock ends while a burst is
 * still arriving on a busy machine: whatever gets past the limit got past it by racing.
 */
describe('login throttling under concurrent attempts', () => {
  let burstApi: ServiceProcess;
  let burstUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    burstUrl = `http://127.0.0.1:${port}`;
    burstApi = await startService(
      fileURLToPath(new URL('../../../dist/main.api.js', import.meta.url)),
      serviceEnv({ API_PORT: String(port), ADMIN_LOGIN_FREE_ATTEMPTS: '3', ADMIN_LOGIN_BACKOFF_BASE_MS: '60000' }),
      async () => (await fetch(`${burstUrl}/health/ready`).catch(() => undefined))?.ok === true,
      'api (login bursts)',
    );
  });
  afterAll(async () => {
    await burstApi?.stop();
  });
  const burstLogin = (realm: 'admin' | 'tenant', person: Pick<TestPerson, 'login' | 'password'>, password: string) =>
    adminRequest('POST', `/api/v1/${realm}/auth/login`, {
      apiUrl: burstUrl,
      body: realm === 'admin' ? { username: person.login, password } : { email: person.login, password },
    });

  it('cannot be raced: of 40 concurrent wrong passwords only the 3 free attempts are checked, the rest answer 429 (both realms)', async () => {
    const { tenantId } = await newTenant();
    const people = [
      ['tenant', await newTenantAdmin(tenantId)],
      ['admin', await newOperator()],
    ] as const;
    for (const [realm, person] of people) {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => burstLogin(realm, person, `wrong-${i}-${randomUUID()}`)));
      const statuses = results.map((r) => r.status);
      // At most the 3 free attempts are checked; on a starved machine Redis may answer one claim late (503, fail closed).
      expect(statuses.filter((s) => s === 401).length, `${realm}: ${statuses.join(',')}`).toBeLessThanOrEqual(3);
      expect(statuses.filter((s) => s === 429).length, `${realm}: ${statuses.join(',')}`).toBeGreaterThanOrEqual(34);
      expect(
        statuses.filter((s) => s !== 401 && s !== 429 && s !== 503),
        `${realm}: ${statuses.join(',')}`,
      ).toEqual([]);
    }
  });

  it('does not sign in past the limit: a burst of 30 guesses with the right one last checks at most 3 of them', async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId);
    const guesses = [...Array.from({ length: 29 }, (_, i) => `wrong-${i}-${randomUUID()}`), admin.password];
    const results = await Promise.all(guesses.map((password) => burstLogin('tenant', admin, password)));
    const statuses = results.map((r) => r.status).join(',');
    // Only 3 guesses are checked, whichever 3 reached Redis first; the right one, sent last, signs in only if it was one of them.
    expect(results.filter((r) => r.status === 401 || r.status === 200).length, statuses).toBeLessThanOrEqual(3);
    expect(results.filter((r) => r.status === 429).length, statuses).toBeGreaterThanOrEqual(24);
    expect(
      results.filter((r) => ![200, 401, 429, 503].includes(r.status)),
      statuses,
    ).toEqual([]);
  });
});

describe('refresh', () => {
  it('rotates the refresh token on every use; presenting a rotated one revokes the whole family (the newest token stops working too) and is audited', async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId);
    const first = (await login('tenant', admin)).refreshCookie!;

    const rotated = await refresh('tenant', first);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ success: true, user: { id: admin.id } });
    const second = rotated.refreshCookie!;
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    const third = (await refresh('tenant', second)).refreshCookie!;
    expect((await call('GET', '/api/v1/tenant/auth/me', { token: String(rotated.body.accessToken) })).status).toBe(200);

    const since = new Date();
    const reuse = await refresh('tenant', first);
    expect(reuse.status).toBe(401);
    // The family's access tokens stop working at once, not when they expire.
    const ended = await call('GET', '/api/v1/tenant/auth/me', { token: String(rotated.body.accessToken) });
    expect([ended.status, ended.body.error?.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(reuse.body.error?.code).toBe('REFRESH_TOKEN_INVALID');
    expect(reuse.refreshCookie).toBe(''); // cleared
    expect((await refresh('tenant', third)).body.error?.code).toBe('REFRESH_TOKEN_INVALID');
    const entries = await auditEntries({ action: 'auth.refresh_reuse', tenantId, since });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor_type: 'anonymous',
      resource_type: 'admin_session',
      after: { subjectId: admin.id, revokedSessions: 3 },
    }); // the three tokens of the family
  });

  it('requires the X-Orqestra-CSRF header (403 CSRF_HEADER_REQUIRED) and a cookie of its own realm', async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId);
    const cookie = (await login('tenant', admin)).refreshCookie!;
    const refused = await refresh('tenant', cookie, false);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('CSRF_HEADER_REQUIRED');
    expect((await call('POST', '/api/v1/tenant/auth/logout', { cookie })).body.error?.code).toBe('CSRF_HEADER_REQUIRED');
    // A tenant session's cookie means nothing on the operator side.
    expect((await refresh('admin', cookie)).body.error?.code).toBe('REFRESH_TOKEN_INVALID');
    // Neither refusal used up or revoked the token.
    expect((await refresh('tenant', cookie)).status).toBe(200);
    expect((await call('POST', '/api/v1/tenant/auth/refresh', { csrf: true })).body.error?.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('works for operators too, and a reused operator token is a platform audit entry', async () => {
    const operator = await newOperator();
    const first = (await login('admin', operator)).refreshCookie!;
    const second = await refresh('admin', first);
    expect(second.status).toBe(200);
    expect(second.setCookie[0]).toMatch(/; Path=\/api\/v1\/admin\/auth;/);
    const since = new Date();
    expect((await refresh('admin', first)).status).toBe(401);
    expect((await refresh('admin', second.refreshCookie!)).status).toBe(401);
    expect(
      await auditEntries({ action: 'auth.refresh_reuse', tenantId: null, since }).then((e) =>
        e.filter((x) => JSON.stringify(x.after).includes(operator.id)),
      ),
    ).toHaveLength(1);
  });
});

describe('logout', () => {
  it('revokes the session family, refuses its access token at once, clears the cookie and is audited', async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId);
    const signedIn = await login('tenant', admin);
    const cookie = signedIn.refreshCookie!;
    const token = String(signedIn.body.accessToken);
    const otherSession = String((await login('tenant', admin)).body.accessToken);
    expect((await call('GET', '/api/v1/tenant/api-keys', { token })).status).toBe(200);
    const since = new Date();
    const result = await call('POST', '/api/v1/tenant/auth/logout', { cookie, csrf: true });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ success: true });
    for (const path of ['/api/v1/tenant/api-keys', '/api/v1/tenant/auth/me']) {
      const refused = await call('GET', path, { token });
      expect([refused.status, refused.body.error?.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    // Another session of the same person is not affected.
    expect((await call('GET', '/api/v1/tenant/api-keys', { token: otherSession })).status).toBe(200);
    expect(result.setCookie[0]).toMatch(/^orqestra_refresh=; Path=\/api\/v1\/tenant\/auth; Max-Age=0; HttpOnly; SameSite=Strict/);
    expect((await refresh('tenant', cookie)).body.error?.code).toBe('REFRESH_TOKEN_INVALID');
    expect(await auditEntries({ action: 'auth.logout', actorId: admin.id, since })).toMatchObject([
      { tenant_id: tenantId, actor_type: 'tenant_admin' },
    ]);
    // Logging out again is harmless and writes nothing more.
    expect((await call('POST', '/api/v1/tenant/auth/logout', { cookie, csrf: true })).status).toBe(200);
    expect(await auditEntries({ action: 'auth.logout', actorId: admin.id, since })).toHaveLength(1);
  });
});

describe('change-password', () => {
  it('is forced after a temporary password, clears the flag, ends the other sessions and is audited', async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId, { mustChangePassword: true });
    const signedIn = await login('tenant', admin);
    expect(signedIn.body.mustChangePassword).toBe(true);
    const token = String(signedIn.body.accessToken);
    expect((await call('GET', '/api/v1/tenant/auth/me', { token })).body).toMatchObject({ mustChangePassword: true });
    const otherLogin = await login('tenant', admin);
    const otherDevice = otherLogin.refreshCookie!;
    // Until the password is changed, only me and change-password are open.
    const blocked = await call('GET', '/api/v1/tenant/api-keys', { token });
    expect([blocked.status, blocked.body.error?.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);

    const tooShort = await call('POST', '/api/v1/tenant/auth/change-password', {
      token,
      body: { currentPassword: admin.password, newPassword: 'short' },
    });
    expect(tooShort.status).toBe(422);
    expect(JSON.stringify(tooShort.body.error)).toContain('newPassword');
    const wrongCurrent = await call('POST', '/api/v1/tenant/auth/change-password', {
      token,
      body: { currentPassword: 'not-the-password', newPassword: 'a-new-long-password' },
    });
    expect(wrongCurrent.status).toBe(422);
    expect(JSON.stringify(wrongCurrent.body.error)).toContain('currentPassword');

    const newPassword = `new-${randomUUID()}`;
    secrets.add(newPassword);
    const since = new Date();
    const changed = await call('POST', '/api/v1/tenant/auth/change-password', {
      token,
      body: { currentPassword: admin.password, newPassword },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ mustChangePassword: false, user: { id: admin.id } });
    expect((await call('GET', '/api/v1/tenant/auth/me', { token: String(changed.body.accessToken) })).body).toMatchObject({
      mustChangePassword: false,
    });
    expect((await call('GET', '/api/v1/tenant/api-keys', { token: String(changed.body.accessToken) })).status).toBe(200);

    expect((await login('tenant', admin)).status).toBe(401);
    expect((await login('tenant', admin, newPassword)).body).toMatchObject({ mustChangePassword: false });
    expect((await refresh('tenant', otherDevice)).body.error?.code).toBe('REFRESH_TOKEN_INVALID');
    expect((await call('GET', '/api/v1/tenant/auth/me', { token: String(otherLogin.body.accessToken) })).status).toBe(401);
    // The session that changed the password lives on.
    expect((await refresh('tenant', signedIn.refreshCookie!)).status).toBe(200);
    const entries = await auditEntries({ action: 'auth.password_change', actorId: admin.id, since });
    expect(entries).toMatchObject([{ tenant_id: tenantId, actor_type: 'tenant_admin', after: { wasTemporary: true } }]);
    expect(JSON.stringify(entries)).not.toContain(newPassword);
  });

  it('works for an operator', async () => {
    const operator = await newOperator({ mustChangePassword: true });
    const signedIn = await login('admin', operator);
    const newPassword = `new-${randomUUID()}`;
    secrets.add(newPassword);
    const changed = await call('POST', '/api/v1/admin/auth/change-password', {
      token: String(signedIn.body.accessToken),
      body: { currentPassword: operator.password, newPassword },
    });
    expect(changed.status).toBe(200);
    expect((await login('admin', operator, newPassword)).body.mustChangePassword).toBe(false);
  });
});

describe('password reset by an operator', () => {
  it("refuses the admin's access tokens at once; the temporary password signs in and its token works", async () => {
    const { tenantId } = await newTenant();
    const admin = await newTenantAdmin(tenantId);
    const before = String((await login('tenant', admin)).body.accessToken);
    expect((await call('GET', '/api/v1/tenant/api-keys', { token: before })).status).toBe(200);
    const operatorToken = String((await login('admin', await newOperator())).body.accessToken);

    const reset = await call('POST', `/api/v1/admin/tenants/${tenantId}/admins/${admin.id}/reset-password`, { token: operatorToken });
    expect(reset.status).toBe(200);
    const temporary = String((reset.body.data as { temporaryPassword: string }).temporaryPassword);
    const refused = await call('GET', '/api/v1/tenant/auth/me', { token: before });
    expect([refused.status, refused.body.error?.code]).toEqual([401, 'UNAUTHENTICATED']);

    const again = await login('tenant', admin, temporary);
    expect(again.body.mustChangePassword).toBe(true);
    expect((await call('GET', '/api/v1/tenant/auth/me', { token: String(again.body.accessToken) })).status).toBe(200);
  });
});

describe('logs', () => {
  it('never contain a password, a refresh token or an access token', async () => {
    // Runs after the tests above (same file, in order): they signed in, refreshed and failed many times.
    expect(secrets.size).toBeGreaterThan(20);
    const output = api.output();
    expect(output).toContain('admin login');
    for (const secret of secrets) expect(output.includes(secret), 'a secret appeared in the API log').toBe(false);
  });
});
