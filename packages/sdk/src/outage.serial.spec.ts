import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, pollUntil, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { logsOf, newTenant, testDatabase } from '../../../apps/api/test/fixtures.js';
import { Orqestra } from './index.js';

// Stops Kafka on purpose: a serial suite with an API and a worker of its own. Run it against a
// stack of its own too (ORQ_STATE_DIR and ports, see packages/sdk/README.md), never the shared one.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dist = (name: string) => fileURLToPath(new URL(`../../../apps/api/dist/${name}`, import.meta.url));
const stack = (...args: string[]) => promisify(execFile)('bash', [`${root}infra/stack.sh`, ...args], { cwd: root });

describe('@orqestra/node across a Kafka outage', () => {
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

  it('keeps retrying the 503s with one idempotency key while Kafka is down, and the event is delivered once after it is back', async () => {
    const tenant = await newTenant();
    const answers: { status: number; key: string | null }[] = [];
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      answers.push({ status: response.status, key: new Headers(init?.headers).get('x-idempotency-key') });
      return response;
    };
    // Generous bounds: Kafka takes a while to come back on a busy machine.
    const orqestra = new Orqestra({ baseUrl: api, apiKey: tenant.apiKey, fetch: recording, retry: { maxRetries: 200, maxDelayMs: 5_000 } });

    await stack('stop', 'kafka');
    const sending = orqestra.trigger({
      eventType: 'global.info',
      channels: ['PUSH'],
      payload: { userId: 'u-outage' },
      variables: { title: 'T', message: 'M' },
    });
    const failure = sending.then(
      () => undefined,
      (error: unknown) => error,
    );
    await pollUntil(() => answers.filter((a) => a.status === 503).length, {
      until: (n) => n >= 2,
      timeoutMs: 60_000,
      what: 'two 503 answers while Kafka is down',
    });
    await stack('start', 'kafka');

    expect(await failure).toBeUndefined();
    const accepted = await sending;
    // `duplicate` may be true: an attempt the API accepted as Kafka came back, whose answer the
    // client did not get, is replayed to the next retry. Either way: accepted, and once.
    expect(accepted).toMatchObject({ success: true });
    expect(answers.at(-1)?.status).toBe(200);
    expect(new Set(answers.map((a) => a.key)).size).toBe(1);
    const rows = await pollUntil(() => logsOf(tenant.tenantId, accepted.eventId), {
      until: (r) => r.length === 1,
      timeoutMs: 60_000,
      what: 'the notification',
    });
    expect(rows).toHaveLength(1);
    // One notification, the one the event reports. (A 503'd attempt may still reach Kafka once it is
    // back; the worker then counts it in `duplicates` and never delivers it again.)
    const status = await pollUntil(() => orqestra.getEvent(accepted.eventId), {
      until: (s) => s.status === 'PROCESSED',
      timeoutMs: 30_000,
      what: 'the event processed',
    });
    expect(status).toMatchObject({ channels: { PUSH: { notificationId: rows[0]!.id } } });
  }, 240_000);
});
