import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { GLOBAL_NAMESPACE, userChannel } from '@orqestra/contracts';
import { realtimeSubject } from '@orqestra/crypto';
import { stackEnv } from '@orqestra/testing';

const env = stackEnv();

interface ApiReply {
  result?: { publications?: { data: unknown }[] };
  error?: { code: number; message: string };
}

async function centrifugoApi(method: string, body: unknown, apiKey: string | null = env.centrifugoApiKey) {
  const response = await fetch(`${env.centrifugoUrl}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 200 ? ((await response.json()) as ApiReply) : undefined };
}

describe('the local stack started by infra/stack.sh', () => {
  const redis = new Redis(env.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  afterAll(() => redis.disconnect());

  it('PostgreSQL accepts the services role, which is neither superuser nor able to bypass RLS', async () => {
    const client = new pg.Client({ connectionString: env.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT current_user AS who, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user');
      expect(rows).toEqual([{ who: 'orqestra_app', rolsuper: false, rolbypassrls: false }]);
    } finally {
      await client.end();
    }
  });

  it('Redis answers on its own port with append-only persistence', async () => {
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  });

  it("Centrifugo's health endpoint answers", async () => {
    const response = await fetch(`${env.centrifugoUrl}/health`);
    expect(response.status).toBe(200);
  });

  it('Centrifugo refuses its server API without the API key', async () => {
    const { status } = await centrifugoApi('info', {}, null);
    expect(status).toBe(401);
    expect((await centrifugoApi('info', {}, 'wrong-key')).status).toBe(401);
  });

  it('the global_system namespace keeps history in Redis, so a reconnecting client can recover', async () => {
    const channel = userChannel(GLOBAL_NAMESPACE, realtimeSubject(randomUUID(), 'user-1'));
    const id = randomUUID();
    const publish = await centrifugoApi('publish', { channel, data: { id, title: 'Hi' }, idempotency_key: id });
    expect(publish.body?.error).toBeUndefined();
    // Publishing again with the same idempotency key is not a second publication.
    await centrifugoApi('publish', { channel, data: { id, title: 'Hi' }, idempotency_key: id });
    const history = await centrifugoApi('history', { channel, limit: 10 });
    expect(history.body?.result?.publications?.map((p) => p.data)).toEqual([{ id, title: 'Hi' }]);
    const keys = await redis.keys(`orqestra-centrifugo*${channel.split('#')[1]}*`);
    expect(keys.length).toBeGreaterThan(0);
  });

  it('Centrifugo refuses channels of namespaces it does not know', async () => {
    const publish = await centrifugoApi('publish', { channel: `unknown_ns#${realtimeSubject(randomUUID(), 'u')}`, data: {} });
    expect(publish.body?.error?.code).toBe(102);
  });
});
