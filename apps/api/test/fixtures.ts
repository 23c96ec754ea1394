import { createHmac, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { parseKeyring, SecretBox } from '@orqestra/crypto';
import { createDatabase, insertProviderConfig, insertTenantWithApiKey, withOperator, type Database, type NewTenant } from '@orqestra/db';
import { stackEnv } from '@orqestra/testing';
import type { MessageOf } from '@orqestra/contracts';
import { generateApiKey } from '../src/platform/api-keys.js';

let shared: Database | undefined;
/** One pool per test file, as the owner of nothing: the services' role. */
export function testDatabase(): Database {
  shared ??= createDatabase(stackEnv().databaseUrl, { max: 4, applicationName: 'orqestra-tests' });
  return shared;
}

export function secretBox(): SecretBox {
  return new SecretBox(parseKeyring(stackEnv().raw.CREDENTIALS_KEYS ?? ''));
}

export interface TestTenant {
  tenantId: string;
  apiKey: string;
  apiKeyId: string;
}

/** A fresh tenant with a live API key, created the way the operator CLI creates one. */
export async function newTenant(settings: Partial<NewTenant> = {}): Promise<TestTenant> {
  const key = generateApiKey('live');
  const { tenant, apiKey } = await withOperator(testDatabase(), 'tests', (tx) =>
    insertTenantWithApiKey(tx, { name: `test-${randomUUID()}`, ...settings, apiKeyHash: key.hash, displayPrefix: key.displayPrefix }),
  );
  return { tenantId: tenant.id, apiKey: key.plaintext, apiKeyId: apiKey.id };
}

/** Gives the tenant a webhook secret (stored encrypted, as the admin API will) and returns it. */
export async function setWebhookSecret(tenantId: string, previous?: { secret: string; expiresAt: Date }): Promise<string> {
  const secret = `whsec_${randomUUID()}`;
  const box = secretBox();
  await withOperator(testDatabase(), 'tests', (tx) =>
    tx.db
      .updateTable('tenants')
      .set({
        webhook_secret_ciphertext: box.encrypt(secret, { purpose: 'webhook_secret', tenantId, rowId: tenantId }),
        webhook_secret_previous_ciphertext: previous
          ? box.encrypt(previous.secret, { purpose: 'webhook_secret_previous', tenantId, rowId: tenantId })
          : null,
        webhook_secret_previous_expires_at: previous?.expiresAt ?? null,
      })
      .where('id', '=', tenantId)
      .execute(),
  );
  return secret;
}

/**
 * A provider config of the tenant stored as the admin API stores one: credentials encrypted for
 * that row, their last 4 characters kept for display. `baseUrl` sets the operator's override
 * (e.g. a fake vendor on loopback).
 */
export async function newProviderConfig(
  tenantId: string,
  options: { channel?: 'EMAIL' | 'SMS'; provider?: string; credentials?: Record<string, string>; baseUrl?: string; priority?: number } = {},
): Promise<string> {
  const id = randomUUID();
  const credentials = options.credentials ?? { apiKey: `re_test_${randomUUID().slice(0, 8)}`, fromAddress: 'orders@shop.example' };
  const secret = Object.values(credentials)[0] ?? '';
  await withOperator(
    testDatabase(),
    'tests',
    (tx) =>
      insertProviderConfig(tx, {
        id,
        channel: options.channel ?? 'EMAIL',
        provider: options.provider ?? 'resend',
        priority: options.priority,
        baseUrlOverride: options.baseUrl,
        credentialsCiphertext: secretBox().encrypt(JSON.stringify(credentials), { purpose: 'provider_credentials', tenantId, rowId: id }),
        credentialsLast4: secret.slice(-4),
      }),
    { tenantId },
  );
  return id;
}

export function sign(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export interface TriggerResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: { path: string; message: string }[] } };
}

/** POST /api/v1/events/trigger (or another path taking an API key) on the shared API, or on the one at apiUrl. */
export async function trigger(
  apiKey: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
  path = '/api/v1/events/trigger',
  apiUrl: string = inject('apiUrl'),
): Promise<TriggerResponse> {
  const response = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}), ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as TriggerResponse['body'] };
}

export interface EventStatusBody {
  status?: string;
  duplicates?: number;
  channels: Record<string, { notificationId?: string; status?: string; skipped?: string; errorCode?: string }>;
}

/** GET /api/v1/events/{eventId} on the running API. */
export async function eventStatus(apiKey: string, eventId: string): Promise<{ status: number; body: EventStatusBody }> {
  const response = await fetch(`${inject('apiUrl')}/api/v1/events/${encodeURIComponent(eventId)}`, { headers: { 'x-api-key': apiKey } });
  return { status: response.status, body: (await response.json()) as EventStatusBody };
}

export function event(overrides: Record<string, unknown> = {}) {
  return { eventType: 'order.confirmed', payload: { userId: 'user-1', recipientEmail: 'ada@example.com' }, ...overrides };
}

/** Collects every message of one topic of the test topics (read with a consumer group of its own). */
export async function captureTopic<K extends 'eventReceived' | 'dispatch'>(topic: K) {
  const { BusProducer, consume } = await import('@orqestra/bus');
  const env = stackEnv();
  const producer = new BusProducer({ brokers: env.kafkaBrokers, clientId: 'tests-capture', topicPrefix: env.kafkaTopicPrefix });
  const messages: MessageOf<K>[] = [];
  const running = await consume({
    brokers: env.kafkaBrokers,
    clientId: 'tests-capture',
    topic,
    groupId: `tests-capture-${randomUUID()}`,
    producer,
    handle: async (batch) => {
      messages.push(...batch.map((d) => d.message));
    },
  });
  return {
    messages,
    forTenant: (tenantId: string) => messages.filter((m) => m.tenantId === tenantId),
    producer,
    close: async () => {
      await running.close();
      await producer.close();
    },
  };
}

export const captureDispatches = () => captureTopic('dispatch');

/** The notification log rows of one event, as the services' role sees them in the tenant's context. */
export async function logsOf(tenantId: string, eventId: string) {
  const { withTenant } = await import('@orqestra/db');
  return withTenant(testDatabase(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
    tx.db
      .selectFrom('notification_logs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('event_id', '=', eventId)
      .orderBy('channel')
      .execute(),
  );
}

/**
 * An access JWT for the admin API signed with the stack's ADMIN_JWT_SECRET, for tests that are
 * about an endpoint rather than about logging in (the auth tests log in for real).
 */
export async function adminToken(principal: {
  role: 'platform_operator' | 'admin' | 'viewer';
  tenantId?: string | null;
  subjectId?: string;
  mustChangePassword?: boolean;
}): Promise<string> {
  const { SignJWT } = await import('jose');
  const secret = stackEnv().raw.ADMIN_JWT_SECRET;
  if (!secret) throw new Error('ADMIN_JWT_SECRET missing from the stack env: restart the stack (infra/stack.sh start)');
  const operator = principal.role === 'platform_operator';
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    typ: operator ? 'operator' : 'tenant_admin',
    role: principal.role,
    tid: operator ? null : (principal.tenantId ?? null),
    fam: randomUUID(),
    mcp: principal.mustChangePassword ?? false,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.subjectId ?? randomUUID())
    .setIssuer('orqestra')
    .setAudience('orqestra-admin')
    .setIssuedAt(now)
    .setExpirationTime(now + 900)
    .sign(new TextEncoder().encode(secret));
}
