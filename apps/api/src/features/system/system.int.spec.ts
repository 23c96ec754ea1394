import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BusProducer } from '@orqestra/bus';
import { freePort, stackEnv } from '@orqestra/testing';
import { systemClock } from '../../platform/tokens.js';
import { SystemProbes } from './system.probes.js';
import { SystemService } from './system.service.js';
import { adminCall, operatorToken, tenantAdminToken } from '../../../test/admin-fixtures.js';
import { newProviderConfig, newTenant, secretBox, setWebhookSecret, testDatabase } from '../../../test/fixtures.js';

// GET /api/v1/admin/system against the running API and the real stack (apps/api/test/global-setup.ts).
afterAll(() => testDatabase().close());

const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('the system report', () => {
  it('asks PostgreSQL, Redis, Kafka and Centrifugo for real and names their versions, with the API’s own', async () => {
    const response = await adminCall(await operatorToken(), 'GET', '/api/v1/admin/system');
    expect(response.status).toBe(200);
    const data = response.body.data;
    const { rows } = await sql<{ server_version: string }>`SHOW server_version`.execute(testDatabase().db);
    const byName = Object.fromEntries(data.dependencies.map((d: { name: string }) => [d.name, d]));
    expect(byName).toMatchObject({
      postgresql: { status: 'ok', version: rows[0]?.server_version, error: null },
      redis: { status: 'ok', version: expect.stringMatching(/^\d+\.\d+/), error: null },
      kafka: { status: 'ok', version: null, error: null },
      centrifugo: { status: 'ok', version: expect.stringMatching(/^6\./), error: null },
    });
    expect(data.services[0]).toMatchObject({
      name: 'api',
      url: null,
      status: 'ok',
      version,
      node: process.version,
      checks: { postgres: 'ok', redis: 'ok', kafka: 'ok' },
    });
    expect(Date.parse(data.services[0].startedAt)).toBeLessThanOrEqual(Date.now());
    expect(data.links.docs).toBe('/api/docs');
    expect(data.links.metrics[0]).toMatchObject({ name: 'api', url: expect.stringMatching(/\/metrics$/) });
    expect(data.retention).toEqual({
      automaticPurge: false,
      idempotencyWindowSeconds: 86_400,
      sandboxSessionTtlSeconds: 7_200,
      realtimeTokenTtlSeconds: 3_600,
    });
  });

  it('names the active encryption key and counts secrets at rest by the key that sealed them', async () => {
    const tenant = await newTenant();
    await newProviderConfig(tenant.tenantId);
    await setWebhookSecret(tenant.tenantId);
    const { data } = (await adminCall(await operatorToken(), 'GET', '/api/v1/admin/system')).body;
    expect(data.encryption.activeKeyId).toBe(secretBox().activeKeyId);
    const active = data.encryption.secretsByKey.find((s: { keyId: string }) => s.keyId === secretBox().activeKeyId);
    expect(active.count).toBeGreaterThanOrEqual(2);
    const others = data.encryption.secretsByKey
      .filter((s: { keyId: string }) => s.keyId !== secretBox().activeKeyId)
      .reduce((n: number, s: { count: number }) => n + s.count, 0);
    expect(data.encryption.awaitingReencryption).toBe(others);
    expect(JSON.stringify(data)).not.toMatch(/v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}/); // no envelope leaves the database
  });

  it('probes the other services’ operations endpoints: version and checks from one that answers, unreachable with the reason for one that does not', async () => {
    // The service as the module builds it, on the real stack; the running API stands in for a probed
    // service (it serves /health/live and /health/ready like the worker), and a free port for a gateway that is down.
    const env = stackEnv();
    const redis = new Redis(env.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 0 });
    const producer = new BusProducer({ brokers: env.kafkaBrokers, clientId: 'system-int-spec' });
    const gone = `http://127.0.0.1:${await freePort()}`;
    try {
      const service = new SystemService(
        new SystemProbes(testDatabase(), redis, producer, { url: env.centrifugoUrl, apiKey: env.centrifugoApiKey }),
        {
          services: [
            { name: 'worker', url: inject('apiUrl') },
            { name: 'gateway', url: gone },
          ],
          apiMetricsUrl: 'http://127.0.0.1:1/metrics',
          activeKeyId: secretBox().activeKeyId,
          retention: { automaticPurge: false, idempotencyWindowSeconds: 1, sandboxSessionTtlSeconds: 1, realtimeTokenTtlSeconds: 1 },
        },
        systemClock,
      );
      const started = Date.now();
      const report = await service.report({
        type: 'operator',
        id: 'tests',
        role: 'platform_operator',
        tenantId: null,
        ip: '127.0.0.1',
        traceId: 'system-int-spec',
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(report.services.slice(1)).toEqual([
        {
          name: 'worker',
          url: inject('apiUrl'),
          status: 'ok',
          version,
          node: process.version,
          startedAt: expect.any(String),
          checks: { postgres: 'ok', redis: 'ok', kafka: 'ok' },
          error: null,
        },
        {
          name: 'gateway',
          url: gone,
          status: 'unreachable',
          version: null,
          node: null,
          startedAt: null,
          checks: null,
          error: expect.stringContaining('ECONNREFUSED'),
        },
      ]);
      expect(report.links.metrics.map((m) => m.url)).toEqual([
        'http://127.0.0.1:1/metrics',
        `${inject('apiUrl')}/metrics`,
        `${gone}/metrics`,
      ]);
    } finally {
      redis.disconnect();
      await producer.close();
    }
  });

  it('is for operators only', async () => {
    const tenant = await newTenant();
    expect((await adminCall(await tenantAdminToken(tenant.tenantId), 'GET', '/api/v1/admin/system')).status).toBe(403);
  });
});
