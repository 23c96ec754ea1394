import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, pollUntil, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { logsOf, newTenant, testDatabase } from '../../../test/fixtures.js';

// Breaks shared infrastructure on purpose (stops Kafka), so it runs in the serial phase with
// processes of its own.
const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const dist = (name: string) => fileURLToPath(new URL(`../../../dist/${name}`, import.meta.url));
const stack = (...args: string[]) => promisify(execFile)('bash', [`${root}infra/stack.sh`, ...args], { cwd: root });

async function post(url: string, apiKey: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/api/v1/events/trigger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { error: { code: string }; eventId: string; duplicate?: boolean },
  };
}

describe('when Kafka or Redis cannot be reached', () => {
  const processes: ServiceProcess[] = [];
  let api = '';
  beforeAll(async () => {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    processes.push(
      await startService(
        dist('main.api.js'),
        serviceEnv({ API_PORT: String(port), KAFKA_PUBLISH_TIMEOUT_MS: '1500' }),
        async () => (await fetch(`${api}/health/live`).catch(() => undefined))?.ok === true,
        'api',
      ),
      await startService(dist('main.worker.js'), serviceEnv(), async () => true, 'worker'),
    );
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await stack('start', 'kafka');
    await testDatabase().close();
  });

  it('answers 503 while Kafka is down; a retry with the same key after the restart makes exactly one notification', async () => {
    const tenant = await newTenant({ rateLimitPerMinute: 600, burst: 10 });
    const body = { eventType: 'global.info', channels: ['PUSH'], payload: { userId: 'u-outage' }, variables: { title: 'T', message: 'M' } };
    const key = { 'x-idempotency-key': 'outage-1' };
    await stack('stop', 'kafka');
    const down = await post(api, tenant.apiKey, body, key);
    expect(down.status).toBe(503);
    const bulk = await fetch(`${api}/api/v1/events/trigger/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey, 'x-idempotency-key': 'outage-bulk' },
      body: JSON.stringify({ events: [body, body] }),
    });
    expect(bulk.status).toBe(503);
    expect(down.body.error.code).toBe('UNAVAILABLE');
    expect(down.headers.get('retry-after')).toBe('1');

    await stack('start', 'kafka');
    const up = await pollUntil(() => post(api, tenant.apiKey, body, key), {
      until: (r) => r.status === 200,
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'the API to publish again',
    });
    // The 503s were not charged: one request consumed, so 10 - 1 remain.
    expect(up.headers.get('ratelimit-remaining')).toBe('9');
    expect((await post(api, tenant.apiKey, body, key)).body.duplicate).toBe(true);
    const rows = await pollUntil(() => logsOf(tenant.tenantId, up.body.eventId), {
      until: (r) => r.length === 1,
      timeoutMs: 30_000,
      what: 'the notification',
    });
    expect(rows).toHaveLength(1);
  });

  it('a publish Kafka confirms only after the 503 was answered: the retry with the same key gets the original answer, and one notification', async () => {
    const tenant = await newTenant({ rateLimitPerMinute: 600, burst: 10 });
    const body = { eventType: 'global.info', channels: ['PUSH'], payload: { userId: 'u-stall' }, variables: { title: 'T', message: 'M' } };
    const key = { 'x-idempotency-key': 'stall-1' };
    // A stalled broker (paused, not down): the produce request waits and completes when it resumes.
    const kafkaPid = Number(readFileSync(`${process.env.ORQ_STATE_DIR ?? '/var/tmp/orqestra'}/run/kafka.pid`, 'utf8'));
    process.kill(kafkaPid, 'SIGSTOP');
    let stalled;
    try {
      stalled = await post(api, tenant.apiKey, body, key);
    } finally {
      process.kill(kafkaPid, 'SIGCONT');
    }
    expect(stalled.status).toBe(503);
    const retried = await pollUntil(() => post(api, tenant.apiKey, body, key), {
      until: (r) => r.status === 200,
      timeoutMs: 60_000,
      intervalMs: 250,
      what: 'the retry to be answered',
    });
    // The first request was accepted after all: the retry is its replay, not a new event.
    expect(retried.body.duplicate).toBe(true);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    const rows = await pollUntil(() => logsOf(tenant.tenantId, retried.body.eventId), {
      until: (r) => r.length === 1,
      timeoutMs: 30_000,
      what: 'the notification',
    });
    expect(rows).toHaveLength(1);
  });

  it('answers 503 with nothing half-written when Redis cannot be reached', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const closedPort = await freePort();
    const isolated = await startService(
      dist('main.api.js'),
      serviceEnv({ API_PORT: String(port), REDIS_URL: `redis://127.0.0.1:${closedPort}` }),
      async () => (await fetch(`${url}/health/live`).catch(() => undefined))?.ok === true,
      'api-without-redis',
    );
    try {
      const tenant = await newTenant();
      const response = await post(url, tenant.apiKey, { eventType: 'global.info', eventId: 'no-redis', payload: { userId: 'u' } });
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('UNAVAILABLE');
      expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    } finally {
      await isolated.stop();
    }
  });
});
