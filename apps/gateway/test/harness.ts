import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BusProducer, consume } from '@orqestra/bus';
import type { Channel, DeadLetter, Dispatch } from '@orqestra/contracts';
import { parseKeyring, SecretBox } from '@orqestra/crypto';
import {
  createDatabase,
  deliveryState,
  insertProviderConfig,
  insertTenantWithApiKey,
  withOperator,
  withTenant,
  type Database,
  type NewTenant,
} from '@orqestra/db';
import { freePort, pollUntil, serviceEnv, stackEnv, startService, type ServiceProcess } from '@orqestra/testing';

/**
 * The gateway under test runs as its own process on its own topics (prefix `gw.`) and its own
 * database (its sweeper scans every row, so other suites' rows must not be there), fed with
 * hand-published notification.dispatch messages for rows written the way the worker writes them.
 */
export const TOPIC_PREFIX = 'gw.';
const GATEWAY = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let database: Database | undefined;
export function db(): Database {
  database ??= createDatabase(stackEnv().gatewayDatabaseUrl, { max: 4, applicationName: 'gateway-tests' });
  return database;
}

export async function startGateway(overrides: Record<string, string> = {}): Promise<ServiceProcess & { url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = await startService(
    GATEWAY,
    serviceEnv({
      KAFKA_TOPIC_PREFIX: TOPIC_PREFIX,
      DATABASE_URL: stackEnv().gatewayDatabaseUrl,
      GATEWAY_PORT: String(port),
      RETRY_SCHEDULE: '100ms,200ms,300ms',
      RETRY_JITTER: '0',
      SEND_TIMEOUT_MS: '1000',
      LEASE_MS: '3000',
      BREAKER_THRESHOLD: '5',
      BREAKER_COOLDOWN_MS: '1000',
      SWEEPER_INTERVAL_MS: '250',
      SWEEPER_PENDING_AFTER_MS: '3000',
      SWEEPER_RETRY_GRACE_MS: '1000',
      ALLOW_PRIVATE_PROVIDER_URLS: 'true',
      ...overrides,
    }),
    async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok === true,
    'gateway',
  );
  return Object.assign(process, { url });
}

let producer: BusProducer | undefined;
export function bus(): BusProducer {
  producer ??= new BusProducer({ brokers: stackEnv().kafkaBrokers, clientId: 'gateway-tests', topicPrefix: TOPIC_PREFIX });
  return producer;
}

export async function newTenant(settings: Partial<NewTenant> = {}): Promise<string> {
  const { tenant } = await withOperator(db(), 'tests', (tx) =>
    insertTenantWithApiKey(tx, {
      name: `gw-${randomUUID()}`,
      ...settings,
      apiKeyHash: randomUUID().replaceAll('-', '').padEnd(64, '0'),
      displayPrefix: 'oq_live_test',
    }),
  );
  return tenant.id;
}

/** A provider config with encrypted credentials pointing at a fake vendor. */
export async function addProvider(
  tenantId: string,
  input: {
    channel: Channel;
    provider: string;
    credentials: Record<string, unknown>;
    baseUrl: string;
    priority?: number;
    sendRatePerSecond?: number;
  },
): Promise<string> {
  const box = new SecretBox(parseKeyring(stackEnv().raw.CREDENTIALS_KEYS ?? ''));
  const id = randomUUID();
  await withOperator(
    db(),
    'tests',
    (tx) =>
      insertProviderConfig(tx, {
        id,
        channel: input.channel,
        provider: input.provider,
        priority: input.priority,
        sendRatePerSecond: input.sendRatePerSecond,
        baseUrlOverride: input.baseUrl,
        credentialsCiphertext: box.encrypt(JSON.stringify(input.credentials), { purpose: 'provider_credentials', tenantId, rowId: id }),
        credentialsLast4: 'test',
      }),
    { tenantId },
  );
  return id;
}

/** Writes a PENDING log row as the worker does and returns its dispatch message. */
export async function pendingNotification(
  tenantId: string,
  channel: Channel,
  recipient: Dispatch['recipient'],
  content: Dispatch['content'],
): Promise<Dispatch> {
  const eventId = `evt-${randomUUID()}`;
  const receivedAt = new Date();
  const notificationId = await withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
    deliveryState.createNotification(tx, {
      mode: 'live',
      sandboxSessionId: null,
      eventId,
      eventType: 'test.event',
      channel,
      userId: recipient.userId,
      recipient: recipient.email ?? recipient.phone ?? null,
      templateVersionId: null,
      content,
      traceId: `trace-${eventId}`,
      receivedAt,
    }),
  );
  if (!notificationId) throw new Error(`no notification created for ${eventId}`);
  return {
    v: 1,
    notificationId,
    attemptSeries: 1,
    tenantId,
    mode: 'live',
    isTest: false,
    eventId,
    eventType: 'test.event',
    channel,
    recipient,
    content,
    traceId: `trace-${eventId}`,
    receivedAt: receivedAt.toISOString(),
  };
}

export async function dispatch(...messages: Dispatch[]): Promise<void> {
  await bus().publish(
    'dispatch',
    messages.map((message) => ({ message, traceId: message.traceId })),
  );
}

export async function logOf(tenantId: string, notificationId: string) {
  return withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, async (tx) => ({
    log: await tx.db
      .selectFrom('notification_logs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', notificationId)
      .executeTakeFirstOrThrow(),
    attempts: await tx.db
      .selectFrom('notification_attempts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('notification_id', '=', notificationId)
      .orderBy('started_at')
      .execute(),
  }));
}

export async function untilStatus(tenantId: string, notificationId: string, status: string, timeoutMs = 15_000) {
  return pollUntil(() => logOf(tenantId, notificationId), {
    until: (r) => r.log.status === status,
    timeoutMs,
    what: `${notificationId} to be ${status}`,
  });
}

/** Dead letters published on the gateway's dlq topic. */
export async function captureDeadLetters() {
  const letters: DeadLetter[] = [];
  const running = await consume({
    brokers: stackEnv().kafkaBrokers,
    clientId: 'gateway-tests-dlq',
    topic: 'dlq',
    groupId: `gw-tests-dlq-${randomUUID()}`,
    producer: bus(),
    handle: async (batch) => {
      letters.push(...batch.map((d) => d.message));
    },
  });
  return { letters, close: () => running.close() };
}

export async function closeAll(): Promise<void> {
  await producer?.close();
  await database?.close();
}
