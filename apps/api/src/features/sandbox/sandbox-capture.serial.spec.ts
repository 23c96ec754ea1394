import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '@orqestra/bus';
import { withTenant } from '@orqestra/db';
import { FakeResend } from '@orqestra/providers';
import { freePort, pollUntil, serviceEnv, stackEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { newProviderConfig, newTenant, testDatabase, trigger } from '../../../test/fixtures.js';
import { adminCall, startSession, tenantAdminToken } from '../../../test/admin-fixtures.js';

// SPEC §7: sandbox events run the whole pipeline (API → worker → gateway) in mode sandbox and reach
// only the capture provider, even for a tenant whose live provider is connected. Its own API,
// worker and gateway on topics of their own; serial because the gateway's sweeper would look at
// every row of the shared test database (it is switched off here by a long interval anyway).
const dist = (app: string, name: string) => fileURLToPath(new URL(`../../../../${app}/dist/${name}`, import.meta.url));
const TOPIC_PREFIX = 'sandbox-e2e.';
const services: ServiceProcess[] = [];
const fake = new FakeResend();
let apiUrl: string;

beforeAll(async () => {
  const env = stackEnv();
  await ensureTopics({ brokers: env.kafkaBrokers, partitions: env.kafkaTopicPartitions, replicas: 1, topicPrefix: TOPIC_PREFIX });
  await fake.start();
  const [apiPort, gatewayPort] = [await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  const common = { KAFKA_TOPIC_PREFIX: TOPIC_PREFIX, ALLOW_PRIVATE_PROVIDER_URLS: 'true' };
  services.push(
    ...(await Promise.all([
      startService(
        dist('api', 'main.api.js'),
        serviceEnv({ ...common, API_PORT: String(apiPort) }),
        async () => (await fetch(`${apiUrl}/health/ready`).catch(() => undefined))?.ok === true,
        'api',
      ),
      startService(dist('api', 'main.worker.js'), serviceEnv(common), async () => true, 'worker'),
      startService(
        dist('gateway', 'main.js'),
        serviceEnv({
          ...common,
          GATEWAY_PORT: String(gatewayPort),
          SWEEPER_INTERVAL_MS: '3600000',
          RETRY_SCHEDULE: '100ms,200ms',
          RETRY_JITTER: '0',
        }),
        async () => (await fetch(`http://127.0.0.1:${gatewayPort}/health/ready`).catch(() => undefined))?.ok === true,
        'gateway',
      ),
    ])),
  );
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await fake.close();
  await testDatabase().close();
});

/** Connects the tenant's live EMAIL provider: Resend, at the fake. */
async function connectResend(tenantId: string): Promise<void> {
  await newProviderConfig(tenantId, { baseUrl: fake.url, credentials: { apiKey: fake.apiKey, fromAddress: 'orders@shop.example' } });
}

const hello = (channels: string[]) => ({
  eventType: 'global.info',
  channels,
  payload: { userId: `user-${randomUUID()}`, recipientEmail: 'ada@example.com' },
  variables: { title: 'Hello from the sandbox', message: 'Nothing was sent' },
});

interface Captured {
  data: {
    notificationId: string;
    channel: string;
    eventType: string;
    recipient: string;
    content: Record<string, string> | null;
    contentHidden: boolean;
  }[];
  pagination: { total: number };
}

describe('sandbox events', () => {
  it('reach only the capture provider (EMAIL and PUSH) and are listed for the session; live events still reach the vendor', async () => {
    const { tenantId, apiKey } = await newTenant();
    await connectResend(tenantId);
    const { data: session } = (await startSession(apiUrl, tenantId)).body;
    const accepted = await trigger(session.apiKey, hello(['EMAIL', 'PUSH']), {}, '/api/v1/events/trigger', apiUrl);
    expect(accepted.status).toBe(200);

    const path = `/api/v1/tenant/sandbox/sessions/${session.sessionId}/messages`;
    const viewerToken = await tenantAdminToken(tenantId, 'viewer');
    const captured = await pollUntil(async (): Promise<{ body: Captured }> => adminCall(viewerToken, 'GET', path, undefined, apiUrl), {
      until: (r) => r.body.pagination?.total === 2,
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'two captured messages',
    });
    expect(captured.body.data.map((m) => m.channel).sort()).toEqual(['EMAIL', 'PUSH']);
    // Viewers see what was captured, not the message itself; admins see the rendered content.
    expect(captured.body.data.map((m) => [m.content, m.contentHidden])).toEqual([
      [null, true],
      [null, true],
    ]);
    const asAdmin = (await adminCall(await tenantAdminToken(tenantId), 'GET', path, undefined, apiUrl)).body as Captured;
    const email = asAdmin.data.find((m) => m.channel === 'EMAIL');
    expect(email).toMatchObject({ eventType: 'global.info', recipient: 'ada@example.com', contentHidden: false });
    expect(email?.content?.subject).toContain('Hello from the sandbox');
    const logs = await withTenant(testDatabase(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
      tx.db
        .selectFrom('notification_logs')
        .select(['mode', 'provider', 'status', 'sandbox_session_id'])
        .where('tenant_id', '=', tenantId)
        .execute(),
    );
    expect(logs).toEqual([
      { mode: 'sandbox', provider: 'capture', status: 'SENT', sandbox_session_id: session.sessionId },
      { mode: 'sandbox', provider: 'capture', status: 'SENT', sandbox_session_id: session.sessionId },
    ]);
    expect(fake.acceptedSends()).toBe(0);

    // The same tenant's live event goes to Resend: the vendor path is there, sandbox mode did not take it.
    expect((await trigger(apiKey, hello(['EMAIL']), {}, '/api/v1/events/trigger', apiUrl)).status).toBe(200);
    await pollUntil(() => fake.acceptedSends(), { until: (n) => n >= 1, timeoutMs: 60_000, what: 'the live email at the vendor' });
    expect(fake.acceptedSends()).toBe(1);
    expect((await adminCall(await tenantAdminToken(tenantId), 'GET', path, undefined, apiUrl)).body.pagination.total).toBe(2);
  });
});
