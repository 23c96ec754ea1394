import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { event, eventStatus, newTenant, trigger } from '../../../test/fixtures.js';
import { adminCall, auditEntries, startSession, tenantAdminToken } from '../../../test/admin-fixtures.js';

// SPEC §7 "Sandbox sessions" against the running API (127.0.0.1, no trusted proxies) and worker.
const apiUrl = () => inject('apiUrl');

async function sandboxTenant(body?: unknown, headers?: Record<string, string>) {
  const tenant = await newTenant();
  const started = await startSession(apiUrl(), tenant.tenantId, { body, headers });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return { ...tenant, session: started.body.data };
}

describe('starting a sandbox session', () => {
  it('returns an oq_test_ key bound to the caller, which triggers events under the sandbox quota', async () => {
    const before = Date.now();
    // TRUSTED_PROXY_HOPS=0: a client-sent X-Forwarded-For is not believed.
    const { tenantId, session } = await sandboxTenant(undefined, { 'x-forwarded-for': '10.9.9.9' });
    expect(session.apiKey).toMatch(/^oq_test_[A-Za-z0-9_-]{40,}$/);
    expect(session).toMatchObject({ allowedIp: '127.0.0.1', deviceBound: false });
    const lifetime = Date.parse(session.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(7_100_000);
    expect(lifetime).toBeLessThanOrEqual(7_200_000 + 5_000);

    const accepted = await trigger(session.apiKey, event(), {}, '/api/v1/events/trigger', apiUrl());
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ success: true, duplicate: false });
    expect(accepted.headers.get('ratelimit-limit')).toBe('60');

    const [audit] = await auditEntries({ tenantId: tenantId, action: 'sandbox.start' });
    expect(audit).toMatchObject({
      actor_type: 'tenant_admin',
      resource_type: 'sandbox_session',
      resource_id: session.sessionId,
      ip: '127.0.0.1',
    });
    expect(JSON.stringify(audit?.after)).not.toContain(session.apiKey);
  });

  it('refuses an allowedIp that is not an address or block, a bad X-Device-Id, and viewers', async () => {
    const { tenantId } = await newTenant();
    const bad = await startSession(apiUrl(), tenantId, { body: { allowedIp: '10.0.0.0/0' }, headers: { 'x-device-id': '' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error?.code).toBe('VALIDATION_FAILED');
    for (const wide of ['0.0.0.0/1', '10.0.0.0/15', '2001:db8::/47']) {
      const refused = await startSession(apiUrl(), tenantId, { body: { allowedIp: wide } });
      expect([refused.status, refused.body.error?.code, refused.body.error?.details?.[0]?.path], wide).toEqual([
        422,
        'VALIDATION_FAILED',
        'allowedIp',
      ]);
    }
    const viewer = await startSession(apiUrl(), tenantId, { role: 'viewer' });
    expect(viewer.status).toBe(403);
  });

  it('lists live sessions to viewers, without their keys', async () => {
    const { tenantId, session } = await sandboxTenant({ allowedIp: '2001:db8::/48' }, { 'x-device-id': 'laptop-1' });
    const listed = await adminCall(
      await tenantAdminToken(tenantId, 'viewer'),
      'GET',
      '/api/v1/tenant/sandbox/sessions',
      undefined,
      apiUrl(),
    );
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        sessionId: session.sessionId,
        allowedIp: '2001:db8::/48',
        deviceBound: true,
        expiresAt: session.expiresAt,
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(session.apiKey);
    expect(listed.body.pagination).toEqual({ page: 1, limit: 50, total: 1 });
  });
});

describe('a sandbox key is refused (401 SANDBOX_SESSION_INVALID, audited)', () => {
  async function violations(tenantId: string) {
    return (await auditEntries({ tenantId: tenantId, action: 'sandbox.violation' })).map((a) => ({
      actor: a.actor_type,
      reason: (a.after as { reason: string }).reason,
      session: a.resource_id,
    }));
  }

  it('from an address outside the bound one or block', async () => {
    for (const allowedIp of ['10.1.2.3', '10.0.0.0/16', '::1']) {
      const { tenantId, session } = await sandboxTenant({ allowedIp });
      const refused = await trigger(session.apiKey, event(), {}, '/api/v1/events/trigger', apiUrl());
      expect(refused.status, allowedIp).toBe(401);
      expect(refused.body.error?.code).toBe('SANDBOX_SESSION_INVALID');
      expect(await violations(tenantId)).toEqual([{ actor: 'api_key', reason: 'ip', session: session.sessionId }]);
    }
  });

  it('with another X-Device-Id, or none, when a device was bound', async () => {
    const { tenantId, session } = await sandboxTenant(undefined, { 'x-device-id': 'device-A' });
    expect(session.deviceBound).toBe(true);
    expect((await trigger(session.apiKey, event(), { 'x-device-id': 'device-A' }, '/api/v1/events/trigger', apiUrl())).status).toBe(200);
    for (const headers of [{ 'x-device-id': 'device-B' }, {}] as Record<string, string>[]) {
      const refused = await trigger(session.apiKey, event(), headers, '/api/v1/events/trigger', apiUrl());
      expect(refused.status).toBe(401);
      expect(refused.body.error?.code).toBe('SANDBOX_SESSION_INVALID');
    }
    expect((await violations(tenantId)).map((v) => v.reason)).toEqual(['device', 'device']);
  });

  it('once the session was ended early, on every route', async () => {
    const { tenantId, session } = await sandboxTenant();
    expect((await trigger(session.apiKey, event(), {}, '/api/v1/events/trigger', apiUrl())).status).toBe(200);
    const ended = await adminCall(
      await tenantAdminToken(tenantId),
      'DELETE',
      `/api/v1/tenant/sandbox/sessions/${session.sessionId}`,
      undefined,
      apiUrl(),
    );
    expect(ended.status).toBe(200);
    for (const path of ['/api/v1/events/trigger', '/api/v1/events/trigger/bulk']) {
      const refused = await trigger(session.apiKey, path.endsWith('bulk') ? { events: [event()] } : event(), {}, path, apiUrl());
      expect(refused.status, path).toBe(401);
      expect(refused.body.error?.code).toBe('SANDBOX_SESSION_INVALID');
    }
    expect((await violations(tenantId)).map((v) => v.reason)).toEqual(['ended', 'ended']);
    const [audit] = await auditEntries({ tenantId: tenantId, action: 'sandbox.end' });
    expect(audit).toMatchObject({ actor_type: 'tenant_admin', resource_id: session.sessionId });
    // Gone from the list; ending it again finds nothing.
    const listed = await adminCall(await tenantAdminToken(tenantId), 'GET', '/api/v1/tenant/sandbox/sessions', undefined, apiUrl());
    expect(listed.body.data).toEqual([]);
    expect(
      (
        await adminCall(
          await tenantAdminToken(tenantId),
          'DELETE',
          `/api/v1/tenant/sandbox/sessions/${session.sessionId}`,
          undefined,
          apiUrl(),
        )
      ).status,
    ).toBe(404);
  });

  it('when it tries to mint a realtime token', async () => {
    const { tenantId, session } = await sandboxTenant();
    const refused = await trigger(session.apiKey, { userId: 'user-1' }, {}, '/api/v1/auth/realtime-token', apiUrl());
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe('SANDBOX_SESSION_INVALID');
    expect((await violations(tenantId)).map((v) => v.reason)).toEqual(['route']);
  });

  it('and the audit entries of a flood of refusals are capped per session and minute', async () => {
    const { tenantId, session } = await sandboxTenant({ allowedIp: '192.0.2.1' });
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => trigger(session.apiKey, event(), {}, '/api/v1/events/trigger', apiUrl())),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(401));
    // SANDBOX_VIOLATION_AUDITS_PER_MINUTE defaults to 10 (a minute boundary in the middle allows at most twice that).
    const recorded = await violations(tenantId);
    expect(recorded.length).toBeGreaterThanOrEqual(10);
    expect(recorded.length).toBeLessThanOrEqual(20);
  });
});

describe('sandbox mode keeps its own scope', () => {
  it('a sandbox eventId does not block the same live eventId', async () => {
    const { apiKey, session } = await sandboxTenant();
    const eventId = `shared-${randomUUID()}`;
    const sandbox = await trigger(session.apiKey, event({ eventId }), {}, '/api/v1/events/trigger', apiUrl());
    expect(sandbox.body).toMatchObject({ success: true, eventId, duplicate: false });
    const live = await trigger(apiKey, event({ eventId }), {}, '/api/v1/events/trigger', apiUrl());
    expect(live.body).toMatchObject({ success: true, eventId, duplicate: false });
    expect(live.headers.get('ratelimit-limit')).toBe('600');
    // Each mode remembers its own: a repeat in sandbox mode is the sandbox duplicate.
    expect((await trigger(session.apiKey, event({ eventId }), {}, '/api/v1/events/trigger', apiUrl())).body).toMatchObject({
      duplicate: true,
    });
    // The worker records the live event as a first occurrence, not as a duplicate of the sandbox one.
    const status = await pollUntil(() => eventStatus(apiKey, eventId), {
      until: (s) => s.status === 200,
      timeoutMs: 15_000,
      what: 'the live event to be processed',
    });
    expect(status.body.duplicates).toBe(0);
  });

  it('captured messages are listed per session of the own tenant only', async () => {
    const { tenantId, session } = await sandboxTenant();
    const path = `/api/v1/tenant/sandbox/sessions/${session.sessionId}/messages`;
    const own = await adminCall(await tenantAdminToken(tenantId, 'viewer'), 'GET', `${path}?limit=5`, undefined, apiUrl());
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ success: true, data: [], pagination: { page: 1, limit: 5, total: 0 } });
    const other = await newTenant();
    expect((await adminCall(await tenantAdminToken(other.tenantId), 'GET', path, undefined, apiUrl())).status).toBe(404);
    expect(
      (
        await adminCall(
          await tenantAdminToken(other.tenantId),
          'DELETE',
          `/api/v1/tenant/sandbox/sessions/${session.sessionId}`,
          undefined,
          apiUrl(),
        )
      ).status,
    ).toBe(404);
    expect(
      (await adminCall(await tenantAdminToken(tenantId), 'GET', '/api/v1/tenant/sandbox/sessions/not-a-uuid/messages', undefined, apiUrl()))
        .status,
    ).toBe(404);
    expect((await adminCall(await tenantAdminToken(tenantId), 'GET', `${path}?limit=1000`, undefined, apiUrl())).status).toBe(422);
  });
});
