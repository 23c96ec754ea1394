import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOperator } from '@orqestra/db';
import { FakeResend } from '@orqestra/providers';
import { freePort, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { testDatabase } from '../../../test/fixtures.js';
import { auditEntries, tenantWithAdmins } from '../../../test/admin-fixtures.js';

// The tenant admin's provider configs over HTTP, against an API process of this file's own
// (debug logging, the development flag so that an operator's override can point at the fake
// vendor) whose whole output is scanned for the secrets at the end.
const API = fileURLToPath(new URL('../../../dist/main.api.js', import.meta.url));
let api: ServiceProcess;
let url: string;
const resend = new FakeResend();
const SECRET = `re_live_${'s3cr3t'.repeat(4)}WXYZ`;
const SECRET_2 = `re_live_${'an0ther'.repeat(4)}QRST`;

beforeAll(async () => {
  await resend.start();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  api = await startService(
    API,
    serviceEnv({ API_PORT: String(port), ALLOW_PRIVATE_PROVIDER_URLS: 'true', LOG_LEVEL: 'debug' }),
    async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok === true,
    'api-providers',
  );
});
afterAll(async () => {
  await api?.stop();
  await resend.close();
});

const base = '/api/v1/tenant/providers';
const resendConfig = (apiKey = SECRET) => ({
  channel: 'EMAIL',
  provider: 'resend',
  credentials: { apiKey, fromAddress: 'orders@shop.example' },
  priority: 1,
});

/** What an operator's base-URL override does (another route's job): point the config at the fake vendor. */
async function pointAtFake(tenantId: string, id: string) {
  await withOperator(
    testDatabase(),
    'tests',
    (tx) => tx.db.updateTable('provider_configs').set({ base_url_override: resend.url }).where('id', '=', id).execute(),
    { tenantId },
  );
}

describe('tenant providers', () => {
  it('connects, lists, updates and deletes a provider; the secret is write-only and shown as its last 4 only', async () => {
    const { tenant, admin, viewer } = await tenantWithAdmins(url);
    const created = await admin.call('POST', base, { ...resendConfig(), settings: { label: 'main account' } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      channel: 'EMAIL',
      provider: 'resend',
      priority: 1,
      enabled: true,
      credentialsLast4: 'WXYZ',
      baseUrlOverride: null,
      settings: { label: 'main account' },
    });
    expect(created.text).not.toContain(SECRET);
    const id = created.body.data.id as string;

    const listed = await viewer.call('GET', base);
    expect(listed.status).toBe(200);
    expect(listed.body.pagination).toEqual({ page: 1, limit: 50, total: 1 });
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await viewer.call('GET', `${base}/${id}`)).body.data.credentialsLast4).toBe('WXYZ');

    const updated = await admin.call('PATCH', `${base}/${id}`, {
      priority: 5,
      enabled: false,
      sendRatePerSecond: 2,
      credentials: { apiKey: SECRET_2, fromAddress: 'orders@shop.example' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ priority: 5, enabled: false, sendRatePerSecond: 2, credentialsLast4: 'QRST' });
    expect(updated.text).not.toContain(SECRET_2);

    expect((await admin.call('DELETE', `${base}/${id}`)).status).toBe(200);
    expect((await admin.call('GET', `${base}/${id}`)).status).toBe(404);

    const audit = await auditEntries({ tenantId: tenant.tenantId });
    expect(audit.map((a) => a.action)).toEqual(['provider.create', 'provider.update', 'provider.delete']);
    expect(
      audit.every(
        (a) =>
          a.actor_type === 'tenant_admin' && a.actor_id === admin.subjectId && a.user_agent === 'orqestra-tests/1' && a.ip === '127.0.0.1',
      ),
    ).toBe(true);
    expect(audit[1]!.before).toMatchObject({ priority: 1, enabled: true, credentialsLast4: 'WXYZ' });
    expect(audit[1]!.after).toMatchObject({ priority: 5, enabled: false, credentialsLast4: 'QRST', credentialsReplaced: true });
    const trail = JSON.stringify(audit);
    expect(trail).not.toContain(SECRET);
    expect(trail).not.toContain(SECRET_2);
  });

  it('refuses a base URL from a tenant admin with a coded 403, and bad credentials with the field named', async () => {
    const { admin } = await tenantWithAdmins(url);
    const withBase = await admin.call('POST', base, { ...resendConfig(), baseUrl: 'https://eu.resend.example' });
    expect(withBase.status).toBe(403);
    expect(withBase.body.error.code).toBe('BASE_URL_OPERATOR_ONLY');
    const id = (await admin.call('POST', base, resendConfig())).body.data.id as string;
    const patched = await admin.call('PATCH', `${base}/${id}`, { baseUrl: 'https://eu.resend.example' });
    expect(patched.body.error.code).toBe('BASE_URL_OPERATOR_ONLY');
    expect((await admin.call('GET', `${base}/${id}`)).body.data.baseUrlOverride).toBeNull();

    const bad = await admin.call('POST', base, {
      channel: 'EMAIL',
      provider: 'resend',
      credentials: { apiKey: SECRET, fromAddress: 'not an address' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['credentials.fromAddress']);
    expect(bad.text).not.toContain(SECRET);
    const wrongChannel = await admin.call('POST', base, { ...resendConfig(), channel: 'SMS' });
    expect(wrongChannel.body.error.details[0].path).toBe('channel');
  });

  it('tests the connection with a coded outcome only', async () => {
    const { tenant, admin } = await tenantWithAdmins(url);
    const id = (await admin.call('POST', base, resendConfig(resend.apiKey))).body.data.id as string;
    await pointAtFake(tenant.tenantId, id);
    const ok = await admin.call('POST', `${base}/${id}/test`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ success: true, data: { ok: true } });

    await admin.call('PATCH', `${base}/${id}`, { credentials: { apiKey: SECRET, fromAddress: 'orders@shop.example' } });
    const refused = await admin.call('POST', `${base}/${id}/test`);
    expect(refused.body).toEqual({ success: true, data: { ok: false, code: 'INVALID_CREDENTIALS' } });
    // The vendor's error body never comes through.
    expect(refused.text).not.toMatch(/validation_error|missing_api_key|invalid_api_key|statusCode/i);
    expect(resend.acceptedSends()).toBe(0);
    expect((await auditEntries({ tenantId: tenant.tenantId })).filter((a) => a.action === 'provider.test').map((a) => a.after)).toEqual([
      { ok: true },
      { ok: false, code: 'INVALID_CREDENTIALS' },
    ]);
  });

  it("viewers cannot change anything; another tenant's admin finds nothing", async () => {
    const { admin, viewer, stranger } = await tenantWithAdmins(url);
    const id = (await admin.call('POST', base, resendConfig())).body.data.id as string;
    expect((await viewer.call('POST', base, resendConfig())).status).toBe(403);
    expect((await viewer.call('PATCH', `${base}/${id}`, { priority: 3 })).status).toBe(403);
    expect((await viewer.call('DELETE', `${base}/${id}`)).status).toBe(403);
    expect((await viewer.call('POST', `${base}/${id}/test`)).status).toBe(403);

    for (const [method, path, body] of [
      ['GET', `${base}/${id}`, undefined],
      ['PATCH', `${base}/${id}`, { priority: 9 }],
      ['DELETE', `${base}/${id}`, undefined],
      ['POST', `${base}/${id}/test`, undefined],
    ] as const) {
      const answer = await stranger.call(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.text).not.toContain('WXYZ');
    }
    expect((await stranger.call('GET', base)).body.data).toEqual([]);
    expect((await admin.call('GET', `${base}/${id}`)).body.data).toMatchObject({ priority: 1, enabled: true });
    expect((await admin.call('GET', `${base}/not-a-uuid`)).status).toBe(404);
  });

  it('never writes a provider secret to its log output', async () => {
    // Runs last in this file: everything above went through this API process.
    const output = api.output();
    expect(output.length).toBeGreaterThan(0);
    for (const secret of [SECRET, SECRET_2, resend.apiKey]) expect(output).not.toContain(secret);
  });
});
