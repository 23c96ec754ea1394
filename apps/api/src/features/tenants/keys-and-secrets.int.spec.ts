import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOperator } from '@orqestra/db';
import { freePort, pollUntil, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { adminCall, auditEntries, operatorToken, tenantAdminToken } from '../../../test/admin-fixtures.js';
import { event, newProviderConfig, newTenant, sign, testDatabase, trigger } from '../../../test/fixtures.js';

// API key rotation, webhook secrets and base-URL overrides (SPEC §5, §6, §7) against real API processes.
afterAll(() => testDatabase().close());

const send = (apiKey: string) => trigger(apiKey, event({ eventId: `evt-${randomUUID()}` }));
const signed = (apiKey: string, secret: string | null) => {
  const body = JSON.stringify(event({ eventId: `evt-${randomUUID()}` }));
  return trigger(apiKey, body, secret === null ? {} : { 'x-orqestra-signature': sign(secret, body) });
};

describe('API key rotation', () => {
  it('operator, grace 0: the new key works and the old one is refused at once', async () => {
    const tenant = await newTenant();
    expect((await send(tenant.apiKey)).status).toBe(200);
    const rotated = await adminCall(await operatorToken(), 'POST', `/api/v1/admin/tenants/${tenant.tenantId}/api-keys/rotate`, {
      graceHours: 0,
    });
    expect(rotated.status).toBe(200);
    const { apiKey, previous } = rotated.body.data;
    expect(apiKey).toMatch(/^oq_live_/);
    expect(previous).toHaveLength(1);
    expect(previous[0]).toMatchObject({ id: tenant.apiKeyId, state: 'revoked' });
    expect((await send(tenant.apiKey)).body.error?.code).toBe('INVALID_API_KEY');
    expect((await send(apiKey)).status).toBe(200);
    const [entry] = await auditEntries({ tenantId: tenant.tenantId, newestFirst: true });
    expect(entry).toMatchObject({ action: 'api_key.rotate', actor_type: 'operator', trace_id: rotated.traceId });
    expect(JSON.stringify(entry)).not.toContain(apiKey);
  });

  it('tenant admin, default grace is 24 h; a short grace keeps the old key working until it ends, then refuses it', async () => {
    const tenant = await newTenant();
    const token = await tenantAdminToken(tenant.tenantId);
    const started = Date.now();
    const first = await adminCall(token, 'POST', '/api/v1/tenant/api-keys/rotate');
    expect(first.status).toBe(200);
    const graceEnd = Date.parse(first.body.data.previous[0].expiresAt as string);
    expect(graceEnd - started).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect(graceEnd - started).toBeLessThan(24 * 3_600_000 + 60_000);
    expect((await send(tenant.apiKey)).status).toBe(200);

    // 0.001 h = 3.6 s: both keys work now, the replaced ones stop when the grace ends.
    const second = await adminCall(token, 'POST', '/api/v1/tenant/api-keys/rotate', { graceHours: 0.001 });
    const newest = second.body.data.apiKey as string;
    expect(second.body.data.previous.map((k: { state: string }) => k.state)).toEqual(['expiring', 'expiring']);
    expect((await send(first.body.data.apiKey)).status).toBe(200);
    expect((await send(tenant.apiKey)).status).toBe(200);
    const refused = await pollUntil(() => send(tenant.apiKey), {
      until: (r) => r.status === 401,
      timeoutMs: 8_000,
      what: 'the end of the grace',
    });
    expect(refused.body.error?.code).toBe('INVALID_API_KEY');
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect((await send(first.body.data.apiKey)).status).toBe(401);
    expect((await send(newest)).status).toBe(200);

    const list = await adminCall(await tenantAdminToken(tenant.tenantId, 'viewer'), 'GET', '/api/v1/tenant/api-keys');
    expect(list.status).toBe(200);
    expect(list.body.pagination.total).toBe(3);
    expect(list.body.data.map((k: { state: string }) => k.state).sort()).toEqual(['active', 'expired', 'expired']);
    const text = JSON.stringify(list.body);
    for (const key of [tenant.apiKey, first.body.data.apiKey as string, newest]) expect(text).not.toContain(key.slice(12));
    expect(Object.keys(list.body.data[0]).sort()).toEqual([
      'createdAt',
      'displayPrefix',
      'expiresAt',
      'id',
      'lastUsedAt',
      'mode',
      'revokedAt',
      'state',
    ]);
  });

  it('refuses viewers, bad grace values, and never acts on another tenant', async () => {
    const tenant = await newTenant();
    expect((await adminCall(await tenantAdminToken(tenant.tenantId, 'viewer'), 'POST', '/api/v1/tenant/api-keys/rotate')).status).toBe(403);
    const token = await tenantAdminToken(tenant.tenantId);
    expect((await adminCall(token, 'POST', '/api/v1/tenant/api-keys/rotate', { graceHours: 169 })).status).toBe(422);
    expect((await adminCall(token, 'POST', '/api/v1/tenant/api-keys/rotate', { graceHours: -1 })).status).toBe(422);
    expect((await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenant.tenantId}/api-keys/rotate`)).status).toBe(403);
  });
});

describe('webhook secret', () => {
  it('set → signatures required; rotate → old and new both verify during the grace, only the new after it; clear → none required', async () => {
    const tenant = await newTenant();
    const token = await tenantAdminToken(tenant.tenantId);
    const set = await adminCall(token, 'PUT', '/api/v1/tenant/webhook-secret', {});
    expect(set.status).toBe(200);
    const first = set.body.data.webhookSecret as string;
    expect(first).toMatch(/^whsec_/);
    expect((await signed(tenant.apiKey, null)).body.error?.code).toBe('SIGNATURE_REQUIRED');
    expect((await signed(tenant.apiKey, first)).status).toBe(200);

    const rotated = await adminCall(token, 'POST', '/api/v1/tenant/webhook-secret/rotate', {});
    const second = rotated.body.data.webhookSecret as string;
    expect(Date.parse(rotated.body.data.previousValidUntil as string) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect((await signed(tenant.apiKey, first)).status).toBe(200);
    expect((await signed(tenant.apiKey, second)).status).toBe(200);

    // A given secret with a 3.6 s grace: the previous one stops verifying when the grace ends.
    const third = `my-own-secret-${randomUUID()}`;
    const short = await adminCall(await operatorToken(), 'POST', `/api/v1/admin/tenants/${tenant.tenantId}/webhook-secret/rotate`, {
      secret: third,
      graceHours: 0.001,
    });
    expect(short.status).toBe(200);
    expect((await signed(tenant.apiKey, second)).status).toBe(200);
    const refused = await pollUntil(() => signed(tenant.apiKey, second), {
      until: (r) => r.status === 401,
      timeoutMs: 8_000,
      what: 'the end of the grace',
    });
    expect(refused.body.error?.code).toBe('INVALID_SIGNATURE');
    expect((await signed(tenant.apiKey, first)).status).toBe(401);
    expect((await signed(tenant.apiKey, third)).status).toBe(200);

    const cleared = await adminCall(token, 'DELETE', '/api/v1/tenant/webhook-secret');
    expect(cleared.body.data).toEqual({ set: false, previousValidUntil: null });
    expect((await signed(tenant.apiKey, null)).status).toBe(200);

    const entries = await auditEntries({ tenantId: tenant.tenantId, newestFirst: true });
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['webhook_secret.set', 'webhook_secret.rotate', 'webhook_secret.clear']),
    );
    const audit = JSON.stringify(entries);
    for (const secret of [first, second, third]) expect(audit).not.toContain(secret);
    expect(audit).toContain('[REDACTED]');
    const stored = await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.selectFrom('tenants').selectAll().where('id', '=', tenant.tenantId).executeTakeFirstOrThrow(),
    );
    expect(stored.webhook_secret_ciphertext).toBeNull();
  });

  it('rotating without a secret is a conflict; viewers may only read the state', async () => {
    const tenant = await newTenant();
    expect((await adminCall(await tenantAdminToken(tenant.tenantId), 'POST', '/api/v1/tenant/webhook-secret/rotate')).status).toBe(409);
    const viewer = await tenantAdminToken(tenant.tenantId, 'viewer');
    expect((await adminCall(viewer, 'GET', '/api/v1/tenant/webhook-secret')).body.data).toEqual({ set: false, previousValidUntil: null });
    expect((await adminCall(viewer, 'PUT', '/api/v1/tenant/webhook-secret', {})).status).toBe(403);
    expect(
      (await adminCall(await tenantAdminToken(tenant.tenantId), 'PUT', '/api/v1/tenant/webhook-secret', { secret: 'short' })).status,
    ).toBe(422);
  });
});

describe('provider base-URL overrides', () => {
  const path = (tenantId: string, providerId: string) => `/api/v1/admin/tenants/${tenantId}/providers/${providerId}/base-url`;

  it('operators set https URLs on public addresses; private, loopback and http are refused without the development flag; tenant admins cannot', async () => {
    const tenant = await newTenant();
    const providerId = await newProviderConfig(tenant.tenantId);
    const token = await operatorToken();
    for (const url of ['https://127.0.0.1/v1', 'https://10.1.2.3', 'https://[::1]/', 'https://localhost/', 'https://169.254.169.254/']) {
      const refused = await adminCall(token, 'PUT', path(tenant.tenantId, providerId), { baseUrl: url });
      expect(refused.status, url).toBe(422);
      expect(refused.body.error.code).toBe('BASE_URL_NOT_ALLOWED');
    }
    expect(
      (await adminCall(token, 'PUT', path(tenant.tenantId, providerId), { baseUrl: 'http://93.184.216.34' })).body.error.details[0].message,
    ).toMatch(/BASE_URL_NOT_HTTPS/);
    const set = await adminCall(token, 'PUT', path(tenant.tenantId, providerId), { baseUrl: 'https://93.184.216.34/eu/' });
    expect(set.status).toBe(200);
    expect(set.body.data).toMatchObject({ providerId, baseUrl: 'https://93.184.216.34/eu' });
    expect((await auditEntries({ tenantId: tenant.tenantId, newestFirst: true }))[0]).toMatchObject({
      action: 'provider.base_url.set',
      before: { baseUrl: null },
      after: { baseUrl: 'https://93.184.216.34/eu' },
    });

    for (const role of ['admin', 'viewer'] as const) {
      expect(
        (
          await adminCall(await tenantAdminToken(tenant.tenantId, role), 'PUT', path(tenant.tenantId, providerId), {
            baseUrl: 'https://93.184.216.34',
          })
        ).status,
      ).toBe(403);
    }
    const other = await newTenant();
    expect((await adminCall(token, 'PUT', path(other.tenantId, providerId), { baseUrl: 'https://93.184.216.34' })).status).toBe(404);
    const cleared = await adminCall(token, 'PUT', path(tenant.tenantId, providerId), { baseUrl: null });
    expect(cleared.body.data.baseUrl).toBeNull();
  });

  describe('with the development flag (own API process)', () => {
    let api: ServiceProcess;
    let url: string;
    beforeAll(async () => {
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      const script = fileURLToPath(new URL('../../../dist/main.api.js', import.meta.url));
      api = await startService(
        script,
        serviceEnv({ API_PORT: String(port), ALLOW_PRIVATE_PROVIDER_URLS: 'true', LOG_LEVEL: 'debug' }),
        async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok === true,
        'api-dev-flag',
      );
    });
    afterAll(() => api?.stop());

    it('accepts a loopback base URL, and no secret shown by these routes reaches its logs', async () => {
      const token = await operatorToken();
      const created = await adminCall(token, 'POST', '/api/v1/admin/tenants', { name: `dev-${randomUUID()}` }, url);
      const tenantId = created.body.data.tenant.id as string;
      const providerId = await newProviderConfig(tenantId);
      const set = await adminCall(token, 'PUT', path(tenantId, providerId), { baseUrl: 'http://127.0.0.1:4010' }, url);
      expect(set.status).toBe(200);
      expect(set.body.data.baseUrl).toBe('http://127.0.0.1:4010');
      const rotated = await adminCall(token, 'POST', `/api/v1/admin/tenants/${tenantId}/api-keys/rotate`, { graceHours: 0 }, url);
      const secret = await adminCall(token, 'PUT', `/api/v1/admin/tenants/${tenantId}/webhook-secret`, {}, url);
      const admin = await adminCall(
        token,
        'POST',
        `/api/v1/admin/tenants/${tenantId}/admins`,
        { email: `dev-${randomUUID()}@example.com` },
        url,
      );
      const output = api.output();
      expect(output.length).toBeGreaterThan(0);
      for (const shown of [
        created.body.data.apiKey,
        rotated.body.data.apiKey,
        secret.body.data.webhookSecret,
        admin.body.data.temporaryPassword,
      ] as string[]) {
        expect(shown.length).toBeGreaterThan(10);
        expect(output).not.toContain(shown);
      }
    });
  });
});
