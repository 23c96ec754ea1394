import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, insertTenantWithApiKey, withOperator, type Database } from '@orqestra/db';
import { FakeResend } from '@orqestra/providers';
import { freePort, pollUntil, serviceEnv, stackEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { generateApiKey } from '../../platform/api-keys.js';
import { caller } from '../../../test/admin-fixtures.js';

// A dead letter replayed through the tenant-admin API ends SENT, delivered by the real gateway:
// trigger → worker → gateway (vendor refuses) → dead letter stored by the worker → admin replay
// with a reason → gateway → SENT under attempt series 2. Built API, worker and gateway run as
// processes on the gateway suites' topics and database (their sweepers must not see other suites' rows).
const dist = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const TOPIC_PREFIX = 'gw.';
const env = (extra: Record<string, string> = {}) =>
  serviceEnv({
    KAFKA_TOPIC_PREFIX: TOPIC_PREFIX,
    DATABASE_URL: stackEnv().gatewayDatabaseUrl,
    ALLOW_PRIVATE_PROVIDER_URLS: 'true',
    ...extra,
  });
const processes: ServiceProcess[] = [];
const resend = new FakeResend();
let apiUrl: string;
let database: Database;

beforeAll(async () => {
  database = createDatabase(stackEnv().gatewayDatabaseUrl, { max: 2, applicationName: 'dlq-admin-replay-tests' });
  await resend.start();
  const apiPort = await freePort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  const gatewayPort = await freePort();
  const [api, worker, gateway] = await Promise.all([
    startService(
      dist('api/dist/main.api.js'),
      env({ API_PORT: String(apiPort) }),
      async () => (await fetch(`${apiUrl}/health/ready`).catch(() => undefined))?.ok === true,
      'api',
    ),
    startService(dist('api/dist/main.worker.js'), env(), async () => true, 'worker'),
    startService(
      dist('gateway/dist/main.js'),
      env({
        GATEWAY_PORT: String(gatewayPort),
        RETRY_SCHEDULE: '100ms,200ms',
        RETRY_JITTER: '0',
        SEND_TIMEOUT_MS: '2000',
        SWEEPER_INTERVAL_MS: '250',
      }),
      async () => (await fetch(`http://127.0.0.1:${gatewayPort}/health/ready`).catch(() => undefined))?.ok === true,
      'gateway',
    ),
  ]);
  processes.push(api, worker, gateway);
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await resend.close();
  await database?.close();
});

describe('dead-letter replay from the admin API', () => {
  it('a replayed dead letter is delivered by the gateway and ends SENT', async () => {
    const key = generateApiKey('live');
    const { tenant } = await withOperator(database, 'tests', (tx) =>
      insertTenantWithApiKey(tx, { name: `dlq-admin-${randomUUID()}`, apiKeyHash: key.hash, displayPrefix: key.displayPrefix }),
    );
    const admin = await caller({ role: 'admin', tenantId: tenant.id }, apiUrl);
    const created = await admin.call('POST', '/api/v1/tenant/providers', {
      channel: 'EMAIL',
      provider: 'resend',
      credentials: { apiKey: resend.apiKey, fromAddress: 'orders@shop.example' },
    });
    expect(created.status).toBe(201);
    // An operator's base-URL override points the config at the fake vendor.
    await withOperator(
      database,
      'tests',
      (tx) => tx.db.updateTable('provider_configs').set({ base_url_override: resend.url }).where('id', '=', created.body.data.id).execute(),
      { tenantId: tenant.id },
    );
    resend.set({ permanent: true });

    const accepted = await fetch(`${apiUrl}/api/v1/events/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key.plaintext },
      body: JSON.stringify({
        eventType: 'global.info',
        channels: ['EMAIL'],
        payload: { userId: 'u-1', recipientEmail: 'ada@example.com' },
        variables: { title: 'Hi', message: 'Replayed' },
      }),
    });
    expect(accepted.status).toBe(200);

    const letters = await pollUntil(async () => (await admin.call('GET', '/api/v1/tenant/dlq')).body, {
      until: (b) => b.pagination?.total === 1,
      timeoutMs: 20_000,
      what: 'the dead letter',
    });
    const letter = letters.data[0];
    expect(letter).toMatchObject({ status: 'dead', channel: 'EMAIL', provider: 'resend' });
    expect(resend.acceptedSends()).toBe(0);

    resend.ok();
    const replayed = await admin.call('POST', `/api/v1/tenant/dlq/${letter.notificationId}/replay`, {
      reason: 'the vendor fixed our sender domain',
    });
    expect(replayed.body.data).toEqual({ notificationId: letter.notificationId, attemptSeries: 2 });
    const log = await pollUntil(async () => (await admin.call('GET', `/api/v1/tenant/logs/${letter.notificationId}`)).body.data, {
      until: (l) => l?.status === 'SENT',
      timeoutMs: 20_000,
      what: 'the replayed notification to be SENT',
    });
    expect(log.attemptSeries).toBe(2);
    expect(log.attempts.map((a: { attemptSeries: number; outcome: string }) => [a.attemptSeries, a.outcome])).toEqual([
      [1, 'permanent'],
      [2, 'sent'],
    ]);
    expect(resend.acceptedSends()).toBe(1);
    expect((await admin.call('GET', `/api/v1/tenant/dlq/${letter.notificationId}`)).body.data).toMatchObject({
      status: 'replayed',
      replayReason: 'the vendor fixed our sender domain',
    });
  });
});
