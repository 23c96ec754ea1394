import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, pollUntil, serviceEnv, stackEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { event, newTenant, trigger } from '../../../test/fixtures.js';
import { adminCall, auditEntries, startSession, tenantAdminToken } from '../../../test/admin-fixtures.js';

// An API process of its own with short sandbox sessions (4 s), a tiny sandbox quota (burst 2,
// 1/min) and one trusted proxy hop, so expiry, the quota and the client address can be seen.
const API = fileURLToPath(new URL('../../../dist/main.api.js', import.meta.url));
const TTL_SECONDS = 4;
let api: ServiceProcess;
let apiUrl: string;
let redis: Redis;

beforeAll(async () => {
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  api = await startService(
    API,
    serviceEnv({
      API_PORT: String(port),
      SANDBOX_SESSION_TTL_SECONDS: String(TTL_SECONDS),
      SANDBOX_RATE_LIMIT_PER_MINUTE: '1',
      SANDBOX_BURST: '2',
      TRUSTED_PROXY_HOPS: '1',
    }),
    async () => (await fetch(`${apiUrl}/health/ready`).catch(() => undefined))?.ok === true,
    'api (short sandbox sessions)',
  );
  redis = new Redis(stackEnv().redisUrl);
});
afterAll(async () => {
  redis?.disconnect();
  await api?.stop();
});

async function reasons(tenantId: string, sessionId: string) {
  return (await auditEntries({ tenantId: tenantId, action: 'sandbox.violation' }))
    .filter((a) => a.resource_id === sessionId)
    .map((a) => (a.after as { reason: string }).reason);
}

describe('sandbox sessions with a short lifetime', () => {
  it('refuse their key after expiry, and the tombstone still tells an ended session from an expired one', async () => {
    const { tenantId } = await newTenant();
    // One after the other: the session to be ended expires no later than the other one.
    const ended = (await startSession(apiUrl, tenantId)).body.data;
    const expiring = (await startSession(apiUrl, tenantId)).body.data;
    expect(Date.parse(expiring.expiresAt) - Date.now()).toBeLessThanOrEqual(TTL_SECONDS * 1000);
    expect((await trigger(expiring.apiKey, event(), {}, '/api/v1/events/trigger', apiUrl)).status).toBe(200);
    // The record lives as long as the session, its tombstone a day longer.
    const tombstoneTtl = await redis.pttl(`orq:{${tenantId}}:sandbox:tombstone:${expiring.sessionId}`);
    expect(tombstoneTtl).toBeGreaterThan(86_400_000);
    expect(tombstoneTtl).toBeLessThanOrEqual(86_400_000 + TTL_SECONDS * 1000);

    expect(
      (await adminCall(await tenantAdminToken(tenantId), 'DELETE', `/api/v1/tenant/sandbox/sessions/${ended.sessionId}`, undefined, apiUrl))
        .status,
    ).toBe(200);
    // (The tiny sandbox quota of this process answers 429 in between: the key is still good then.)
    const refused = await pollUntil(() => trigger(expiring.apiKey, event(), {}, '/api/v1/events/trigger', apiUrl), {
      until: (r) => r.status === 401,
      timeoutMs: TTL_SECONDS * 1000 + 5_000,
      what: 'the session to expire',
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe('SANDBOX_SESSION_INVALID');
    expect(await reasons(tenantId, expiring.sessionId)).toEqual(['expired']);

    // Past its expiry too, the key of the session ended early is refused as ended.
    expect(Date.now()).toBeGreaterThan(Date.parse(ended.expiresAt));
    expect((await trigger(ended.apiKey, event(), {}, '/api/v1/events/trigger', apiUrl)).status).toBe(401);
    expect(await reasons(tenantId, ended.sessionId)).toEqual(['ended']);
    // An expired session can no longer be ended, and is no longer listed.
    expect(
      (
        await adminCall(
          await tenantAdminToken(tenantId),
          'DELETE',
          `/api/v1/tenant/sandbox/sessions/${expiring.sessionId}`,
          undefined,
          apiUrl,
        )
      ).status,
    ).toBe(404);
    expect(
      (await adminCall(await tenantAdminToken(tenantId), 'GET', '/api/v1/tenant/sandbox/sessions', undefined, apiUrl)).body.data,
    ).toEqual([]);
  });

  it('have a quota of their own, apart from the tenant live quota', async () => {
    const { tenantId, apiKey } = await newTenant();
    const { data: session } = (await startSession(apiUrl, tenantId)).body;
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await trigger(session.apiKey, event(), {}, '/api/v1/events/trigger', apiUrl));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[2]?.body.error?.code).toBe('RATE_LIMITED');
    expect(answers[2]?.headers.get('ratelimit-limit')).toBe('1');
    const live = await trigger(apiKey, event(), {}, '/api/v1/events/trigger', apiUrl);
    expect(live.status).toBe(200);
    expect(live.headers.get('ratelimit-limit')).toBe('600');
  });

  it('bind to the client address the trusted proxy reports, not to one a client wrote into X-Forwarded-For', async () => {
    const { tenantId } = await newTenant();
    const started = await startSession(apiUrl, tenantId, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(started.body.data.allowedIp).toBe('198.51.100.7');
    const key = started.body.data.apiKey;
    expect((await trigger(key, event(), { 'x-forwarded-for': '198.51.100.7' }, '/api/v1/events/trigger', apiUrl)).status).toBe(200);
    // The proxy appends the address it saw; what the client put in front of it counts for nothing.
    const spoofed = await trigger(key, event(), { 'x-forwarded-for': '198.51.100.7, 203.0.113.50' }, '/api/v1/events/trigger', apiUrl);
    expect(spoofed.status).toBe(401);
    expect(spoofed.body.error?.code).toBe('SANDBOX_SESSION_INVALID');
    expect(await reasons(tenantId, started.body.data.sessionId)).toEqual(['ip']);
  });
});
