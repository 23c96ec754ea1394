import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { withOperator } from '@orqestra/db';
import { pollUntil, stackEnv } from '@orqestra/testing';
import { announceAuthInvalidation } from '../../platform/auth/api-key.resolver.js';
import { hashApiKey } from '../../platform/api-keys.js';
import { event, eventStatus, newTenant, setWebhookSecret, sign, testDatabase, trigger } from '../../../test/fixtures.js';

// SPEC §2.1 against the real API process (started by apps/api/test/global-setup.ts).
afterAll(() => testDatabase().close());

describe('POST /api/v1/events/trigger — success', () => {
  it('answers 200 with the documented body, echoing a valid X-Trace-Id in header and body', async () => {
    const tenant = await newTenant();
    const response = await trigger(tenant.apiKey, event({ eventId: 'evt-1' }), { 'x-trace-id': 'trace-abc.1:2' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      message: 'Event order.confirmed accepted',
      eventId: 'evt-1',
      traceId: 'trace-abc.1:2',
      duplicate: false,
    });
    expect(response.headers.get('x-trace-id')).toBe('trace-abc.1:2');
  });

  it('replaces an invalid X-Trace-Id with a new one and generates an eventId when none is given', async () => {
    const tenant = await newTenant();
    const response = await trigger(tenant.apiKey, event(), { 'x-trace-id': 'has spaces and / slashes' });
    expect(response.status).toBe(200);
    expect(response.body.traceId).not.toBe('has spaces and / slashes');
    expect(response.headers.get('x-trace-id')).toBe(response.body.traceId);
    expect(response.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('POST /api/v1/events/trigger — every row of the error table', () => {
  it('401 INVALID_API_KEY for a missing, unknown, revoked or expired key', async () => {
    const tenant = await newTenant();
    expect((await trigger(undefined, event())).body.error?.code).toBe('INVALID_API_KEY');
    expect((await trigger('oq_live_unknown', event())).body.error?.code).toBe('INVALID_API_KEY');

    const revoked = await newTenant();
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.updateTable('api_keys').set({ status: 'revoked', revoked_at: new Date() }).where('id', '=', revoked.apiKeyId).execute(),
    );
    const expired = await newTenant();
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db
        .updateTable('api_keys')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', expired.apiKeyId)
        .execute(),
    );
    for (const key of [revoked.apiKey, expired.apiKey]) {
      const response = await trigger(key, event());
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ success: false, error: { code: 'INVALID_API_KEY' } });
      expect(typeof response.body.traceId).toBe('string');
    }
    expect((await trigger(tenant.apiKey, event())).status).toBe(200);
  });

  it('403 TENANT_SUSPENDED for a suspended tenant', async () => {
    const tenant = await newTenant();
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.updateTable('tenants').set({ status: 'suspended' }).where('id', '=', tenant.tenantId).execute(),
    );
    const response = await trigger(tenant.apiKey, event());
    expect(response.status).toBe(403);
    expect(response.body.error?.code).toBe('TENANT_SUSPENDED');
  });

  it('401 SIGNATURE_REQUIRED / INVALID_SIGNATURE, and 200 for a valid signature over the exact non-ASCII bytes', async () => {
    const tenant = await newTenant();
    const secret = await setWebhookSecret(tenant.tenantId);
    const raw = JSON.stringify(event({ variables: { greeting: 'Grüße, 你好 — ✓' } }), null, 2);
    expect((await trigger(tenant.apiKey, raw)).body.error?.code).toBe('SIGNATURE_REQUIRED');
    const wrong = await trigger(tenant.apiKey, raw, { 'x-orqestra-signature': sign('not-the-secret', raw) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('INVALID_SIGNATURE');
    // The same JSON re-serialized (other bytes) does not verify: the signature covers the raw body.
    const reserialized = await trigger(tenant.apiKey, JSON.stringify(JSON.parse(raw)), { 'x-orqestra-signature': sign(secret, raw) });
    expect(reserialized.body.error?.code).toBe('INVALID_SIGNATURE');
    const good = await trigger(tenant.apiKey, raw, { 'x-orqestra-signature': sign(secret, Buffer.from(raw, 'utf8')) });
    expect(good.status).toBe(200);
  });

  it('accepts both secrets during a rotation grace, and only the new one after it', async () => {
    const tenant = await newTenant();
    const body = JSON.stringify(event());
    const secret = await setWebhookSecret(tenant.tenantId, { secret: 'old-secret-value', expiresAt: new Date(Date.now() + 3_600_000) });
    expect((await trigger(tenant.apiKey, body, { 'x-orqestra-signature': sign('old-secret-value', body) })).status).toBe(200);
    expect((await trigger(tenant.apiKey, body, { 'x-orqestra-signature': sign(secret, body) })).status).toBe(200);

    const after = await newTenant();
    const newSecret = await setWebhookSecret(after.tenantId, { secret: 'old-secret-value', expiresAt: new Date(Date.now() - 1000) });
    expect((await trigger(after.apiKey, body, { 'x-orqestra-signature': sign('old-secret-value', body) })).body.error?.code).toBe(
      'INVALID_SIGNATURE',
    );
    expect((await trigger(after.apiKey, body, { 'x-orqestra-signature': sign(newSecret, body) })).status).toBe(200);
  });

  it('stops requiring signatures once a cleared secret’s grace is over; reads need the key only', async () => {
    const tenant = await newTenant();
    await setWebhookSecret(tenant.tenantId, { secret: 'old-secret-value', expiresAt: new Date(Date.now() - 1000) });
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.updateTable('tenants').set({ webhook_secret_ciphertext: null }).where('id', '=', tenant.tenantId).execute(),
    );
    expect((await trigger(tenant.apiKey, event({ eventId: 'unsigned' }))).status).toBe(200);

    const signing = await newTenant();
    await setWebhookSecret(signing.tenantId);
    const status = await eventStatus(signing.apiKey, 'not-there');
    expect(status.status).toBe(404);
    expect(status.body.status).toBe('QUEUED');
  });

  it('413 PAYLOAD_TOO_LARGE for a body over 256 KiB', async () => {
    const tenant = await newTenant();
    const response = await trigger(tenant.apiKey, event({ variables: { blob: 'x'.repeat(257 * 1024) } }));
    expect(response.status).toBe(413);
    expect(response.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON, after the key was checked', async () => {
    const tenant = await newTenant();
    const response = await trigger(tenant.apiKey, 'eventType=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
    expect(response.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await trigger(undefined, 'eventType=x', { 'content-type': 'text/plain' })).status).toBe(401);
  });

  it('422 VALIDATION_FAILED listing every bad field with its path', async () => {
    const tenant = await newTenant();
    const response = await trigger(
      tenant.apiKey,
      {
        eventType: 'has spaces',
        eventId: 'x'.repeat(201),
        channels: ['SMS', 'FAX'],
        payload: { recipientEmail: 'not-an-email' },
        locale: 'not a locale!',
      },
      { 'x-idempotency-key': 'tab\there' },
    );
    expect(response.status).toBe(422);
    expect(response.body.error?.code).toBe('VALIDATION_FAILED');
    const paths = response.body.error?.details?.map((d) => d.path).sort();
    // The recipient rule is reported together with everything else, not after a second try.
    expect(paths).toEqual([
      'X-Idempotency-Key',
      'channels.1',
      'eventId',
      'eventType',
      'locale',
      'payload.recipientEmail',
      'payload.recipientPhone',
      'payload.userId',
    ]);
    expect(response.body.error?.details?.find((d) => d.path === 'payload.recipientPhone')?.message).toMatch(
      /required when channels names SMS/,
    );
  });

  it('422 when channels names EMAIL or SMS and the matching recipient field is missing', async () => {
    const tenant = await newTenant();
    const response = await trigger(tenant.apiKey, { eventType: 'x', channels: ['EMAIL', 'SMS'], payload: { userId: 'u' } });
    expect(response.status).toBe(422);
    expect(response.body.error?.details?.map((d) => d.path).sort()).toEqual(['payload.recipientEmail', 'payload.recipientPhone']);
    expect((await trigger(tenant.apiKey, 'not json')).body.error?.code).toBe('VALIDATION_FAILED');
  });

  it('409 IDEMPOTENCY_KEY_REUSED for the same key with another body; key order and spacing do not count', async () => {
    const tenant = await newTenant();
    const first = await trigger(tenant.apiKey, '{"eventType":"a","payload":{"userId":"u","x":1}}', { 'x-idempotency-key': 'k1' });
    expect(first.status).toBe(200);
    const sameBody = await trigger(tenant.apiKey, '{ "payload": { "x": 1, "userId": "u" }, "eventType": "a" }', {
      'x-idempotency-key': 'k1',
    });
    expect(sameBody.status).toBe(200);
    expect(sameBody.body).toEqual({ ...first.body, duplicate: true });
    expect(sameBody.headers.get('idempotent-replayed')).toBe('true');
    const other = await trigger(tenant.apiKey, { eventType: 'a', payload: { userId: 'v' } }, { 'x-idempotency-key': 'k1' });
    expect(other.status).toBe(409);
    expect(other.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('409 IDEMPOTENCY_IN_PROGRESS with Retry-After: 1 while the first request with the key is being accepted', async () => {
    const tenant = await newTenant();
    const body = event();
    const responses = await Promise.all(Array.from({ length: 8 }, () => trigger(tenant.apiKey, body, { 'x-idempotency-key': 'race' })));
    const accepted = responses.filter((r) => r.status === 200 && r.body.duplicate === false);
    expect(accepted).toHaveLength(1);
    const inProgress = responses.filter((r) => r.status === 409);
    for (const r of inProgress) {
      expect(r.body.error?.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      expect(r.headers.get('retry-after')).toBe('1');
    }
    // Every other answer is either "in progress" or a replay of the one accepted request.
    for (const r of responses.filter((r) => r.status === 200 && r.body.duplicate === true))
      expect(r.body.eventId).toBe(accepted[0]!.body.eventId);
    expect(inProgress.length + responses.filter((r) => r.status === 200).length).toBe(8);
  });

  it('429 RATE_LIMITED exactly at the burst boundary, with Retry-After and RateLimit-* headers', async () => {
    // 6 per minute refills a token every 10 s: the boundary cannot move while the test runs.
    const tenant = await newTenant({ rateLimitPerMinute: 6, burst: 5 });
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await trigger(tenant.apiKey, event());
      statuses.push(response.status);
      remaining.push(response.headers.get('ratelimit-remaining'));
      if (response.status === 429) {
        expect(response.body.error?.code).toBe('RATE_LIMITED');
        expect(response.headers.get('ratelimit-limit')).toBe('6');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(response.headers.get('ratelimit-reset')).toBe(response.headers.get('retry-after'));
      } else {
        expect(response.headers.get('ratelimit-limit')).toBe('6');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(remaining).toEqual(['4', '3', '2', '1', '0', '0']);
  });

  it('429 when the daily cap is reached; replays of an accepted request are not charged', async () => {
    const tenant = await newTenant({ dailyCap: 2 });
    expect((await trigger(tenant.apiKey, event(), { 'x-idempotency-key': 'a' })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await trigger(tenant.apiKey, event(), { 'x-idempotency-key': 'a' })).body.duplicate).toBe(true);
    expect((await trigger(tenant.apiKey, event())).status).toBe(200);
    const capped = await trigger(tenant.apiKey, event());
    expect(capped.status).toBe(429);
    expect(capped.body.error?.message).toMatch(/daily/i);
  });
});

describe('API key revocation', () => {
  it('takes effect at once when it is announced over Redis pub/sub', async () => {
    const tenant = await newTenant();
    expect((await trigger(tenant.apiKey, event())).status).toBe(200);
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.updateTable('api_keys').set({ status: 'revoked', revoked_at: new Date() }).where('id', '=', tenant.apiKeyId).execute(),
    );
    const redis = new Redis(stackEnv().redisUrl);
    try {
      await announceAuthInvalidation(redis, { type: 'api_key', keyHash: hashApiKey(tenant.apiKey) });
      await pollUntil(async () => (await trigger(tenant.apiKey, event())).status, {
        until: (s) => s === 401,
        timeoutMs: 1_000,
        what: 'the key to be refused',
      });
    } finally {
      redis.disconnect();
    }
  });

  it('takes effect within 5 seconds in a running API process, without any announcement', async () => {
    const tenant = await newTenant();
    expect((await trigger(tenant.apiKey, event())).status).toBe(200);
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.updateTable('api_keys').set({ status: 'revoked', revoked_at: new Date() }).where('id', '=', tenant.apiKeyId).execute(),
    );
    const revokedAt = Date.now();
    await pollUntil(async () => (await trigger(tenant.apiKey, event())).status, {
      until: (s) => s === 401,
      timeoutMs: 6_000,
      intervalMs: 200,
      what: 'the key to be refused',
    });
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(5_500);
  });
});
