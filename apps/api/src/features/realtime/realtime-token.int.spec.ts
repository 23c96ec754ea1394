import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { GLOBAL_NAMESPACE, userChannel } from '@orqestra/contracts';
import { realtimeSubject } from '@orqestra/crypto';
import { withOperator } from '@orqestra/db';
import { freePort, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { fileURLToPath } from 'node:url';
import { newTenant, setWebhookSecret, sign, testDatabase } from '../../../test/fixtures.js';
import { centrifugeClient, handMadeToken, mintRealtimeToken, subscribeOutcome } from '../../../test/realtime.js';
import { generateApiKey } from '../../platform/api-keys.js';

const clients: { disconnect(): void }[] = [];
afterAll(() => clients.forEach((client) => client.disconnect()));

describe('POST /api/v1/auth/realtime-token (SPEC §2.4)', () => {
  it('returns an HS256 token for the hashed subject with aud, iss, a 1 hour lifetime and no server-side channels', async () => {
    const tenant = await newTenant();
    const { status, body } = await mintRealtimeToken(tenant.apiKey, { userId: 'user-42' });
    expect(status).toBe(200);
    const sub = realtimeSubject(tenant.tenantId, 'user-42');
    expect(body.channels).toEqual([userChannel(GLOBAL_NAMESPACE, sub)]);
    const claims = decodeJwt(body.token);
    expect(claims).toMatchObject({ sub, aud: 'orqestra-realtime', iss: 'orqestra' });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(new Date(body.expiresAt).getTime()).toBe(claims.exp! * 1000);
    expect(claims).not.toHaveProperty('channels');
    expect(claims).not.toHaveProperty('subs');
  });

  it('lists the tenant’s extra namespaces after global_system, and honours a requested lifetime', async () => {
    const tenant = await newTenant();
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db
        .updateTable('tenants')
        .set({ realtime_namespaces: ['billing', 'team'] })
        .where('id', '=', tenant.tenantId)
        .execute(),
    );
    const { body } = await mintRealtimeToken(tenant.apiKey, { userId: 'u', ttlSeconds: 120 });
    const sub = realtimeSubject(tenant.tenantId, 'u');
    expect(body.channels).toEqual([`global_system#${sub}`, `billing#${sub}`, `team#${sub}`]);
    const claims = decodeJwt(body.token);
    expect(claims.exp! - claims.iat!).toBe(120);
  });

  it('gives the same userId of two tenants different subjects', async () => {
    const [a, b] = await Promise.all([newTenant(), newTenant()]);
    const [ta, tb] = await Promise.all([mintRealtimeToken(a.apiKey, { userId: 'same' }), mintRealtimeToken(b.apiKey, { userId: 'same' })]);
    expect(decodeJwt(ta.body.token).sub).not.toBe(decodeJwt(tb.body.token).sub);
  });

  it('lets Centrifugo connect the token and subscribe to its own channel', async () => {
    const tenant = await newTenant();
    const { body } = await mintRealtimeToken(tenant.apiKey, { userId: 'browser-user' });
    const client = centrifugeClient(body.token);
    clients.push(client);
    client.connect();
    expect(await subscribeOutcome(client.newSubscription(body.channels[0]!))).toEqual({ subscribed: true });
  });

  it('Centrifugo refuses a subscription to another user’s channel, even with a valid token (user-limited channels)', async () => {
    const tenant = await newTenant();
    const mine = realtimeSubject(tenant.tenantId, 'alice');
    const theirs = realtimeSubject(tenant.tenantId, 'bob');
    const client = centrifugeClient(await handMadeToken({ sub: mine }));
    clients.push(client);
    client.connect();
    const outcome = await subscribeOutcome(client.newSubscription(userChannel(GLOBAL_NAMESPACE, theirs)));
    expect(outcome).toMatchObject({ subscribed: false, code: 103 }); // 103: permission denied
  });

  it('Centrifugo refuses a token with another audience', async () => {
    const client = centrifugeClient(await handMadeToken({ sub: 'x' }, { audience: 'someone-else' }));
    clients.push(client);
    const disconnected = new Promise<{ code: number }>((resolve) => client.once('disconnected', (ctx) => resolve(ctx)));
    client.connect();
    expect((await disconnected).code).toBe(3500); // invalid token
  });

  it('refuses sandbox keys, unknown keys and bad bodies with coded errors', async () => {
    const tenant = await newTenant();
    const sandbox = generateApiKey('sandbox');
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db
        .insertInto('api_keys')
        .values({
          tenant_id: tenant.tenantId,
          key_hash: sandbox.hash,
          display_prefix: sandbox.displayPrefix,
          mode: 'sandbox',
          sandbox_session_id: randomUUID(),
        })
        .execute(),
    );
    const refused = await mintRealtimeToken(sandbox.plaintext, { userId: 'u' });
    expect([refused.status, refused.body.error?.code]).toEqual([401, 'SANDBOX_SESSION_INVALID']);
    expect((await mintRealtimeToken('oq_live_nope', { userId: 'u' })).body.error?.code).toBe('INVALID_API_KEY');
    for (const body of [
      {},
      { userId: '' },
      { userId: 'u', ttlSeconds: 5 },
      { userId: 'u', ttlSeconds: 90_000 },
      { userId: 'u', channels: ['x'] },
    ]) {
      const { status, body: answer } = await mintRealtimeToken(tenant.apiKey, body);
      expect([status, answer.error?.code], JSON.stringify(body)).toEqual([422, 'VALIDATION_FAILED']);
    }
  });

  it('requires the signature when the tenant signs its requests', async () => {
    const tenant = await newTenant();
    const secret = await setWebhookSecret(tenant.tenantId);
    const body = JSON.stringify({ userId: 'u' });
    const url = `${(await import('vitest')).inject('apiUrl')}/api/v1/auth/realtime-token`;
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
      body,
    });
    expect(unsigned.status).toBe(401);
    const signed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey, 'x-orqestra-signature': sign(secret, body) },
      body,
    });
    expect(signed.status).toBe(200);
  });
});

describe('realtime-token rate limit', () => {
  let api: ServiceProcess | undefined;
  afterAll(async () => api?.stop());

  it('answers 429 with Retry-After once a tenant minted its per-minute allowance; other tenants are unaffected', async () => {
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    api = await startService(
      fileURLToPath(new URL('../../../dist/main.api.js', import.meta.url)),
      serviceEnv({ API_PORT: String(port), REALTIME_TOKEN_RATE_PER_MINUTE: '3' }),
      async () => (await fetch(`${apiUrl}/health/ready`).catch(() => undefined))?.ok === true,
      'api-low-limits',
    );
    const [busy, other] = await Promise.all([newTenant(), newTenant()]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await mintRealtimeToken(busy.apiKey, { userId: `u${i}` }, apiUrl)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await fetch(`${apiUrl}/api/v1/auth/realtime-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': busy.apiKey },
      body: JSON.stringify({ userId: 'u' }),
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await mintRealtimeToken(other.apiKey, { userId: 'u' }, apiUrl)).status).toBe(200);
  });
});
