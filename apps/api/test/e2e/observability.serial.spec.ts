import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '@orqestra/bus';
import { freePort, pollUntil, serviceEnv, stackEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { newTenant } from '../fixtures.js';
import { startOtlpCollector, type ReceivedSpan } from './otlp-collector.js';

/**
 * Issue 14, metrics and traces (docs/observability.md). API, worker and gateway run as built, on
 * topics of their own (prefix `trace.`), exporting over OTLP/HTTP to a collector in this test:
 * one PUSH event (HTTP → Kafka → worker → Kafka → gateway → Centrifugo's batch publish API) must be one
 * trace; each service answers its health and metrics paths; and the Grafana dashboard in
 * infra/observability names only metrics the services really expose.
 */
const TOPIC_PREFIX = 'trace.';
const dist = (app: 'api' | 'gateway', file: string) => fileURLToPath(new URL(`../../../${app}/dist/${file}`, import.meta.url));

let collector: Awaited<ReturnType<typeof startOtlpCollector>>;
const processes: ServiceProcess[] = [];
let apiUrl: string;
let workerUrl: string;
let gatewayUrl: string;

beforeAll(async () => {
  collector = await startOtlpCollector();
  const env = stackEnv();
  await ensureTopics({ brokers: env.kafkaBrokers, partitions: env.kafkaTopicPartitions, replicas: 1, topicPrefix: TOPIC_PREFIX });
  const [apiPort, workerPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  workerUrl = `http://127.0.0.1:${workerPort}`;
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const common = { KAFKA_TOPIC_PREFIX: TOPIC_PREFIX, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
  const ready = (url: string) => async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok === true;
  // One after the other, with a generous deadline: on a busy machine a Node start-up takes long.
  const start = (file: string, env: Record<string, string>, isReady: () => Promise<boolean>, name: string) =>
    startService(file, serviceEnv(env), isReady, name, [], 150_000);
  processes.push(await start(dist('api', 'main.api.js'), { ...common, API_PORT: String(apiPort) }, ready(apiUrl), 'api'));
  processes.push(await start(dist('api', 'main.worker.js'), { ...common, WORKER_PORT: String(workerPort) }, ready(workerUrl), 'worker'));
  // The sweeper would pick up other suites' leftovers in this database: keep it out of the way.
  processes.push(
    await start(
      dist('gateway', 'main.js'),
      { ...common, GATEWAY_PORT: String(gatewayPort), SWEEPER_INTERVAL_MS: '3600000' },
      ready(gatewayUrl),
      'gateway',
    ),
  );
}, 480_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await collector?.close();
});

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

describe('tracing across processes', () => {
  it('exports one trace per event: API request → publish → worker → publish → gateway → Centrifugo publish, each span the child of the one before', async () => {
    const tenant = await newTenant();
    const traceHeader = `trace-test-${randomUUID()}`;
    const response = await fetch(`${apiUrl}/api/v1/events/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey, 'x-trace-id': traceHeader },
      body: JSON.stringify({
        eventType: 'global.success',
        eventId: randomUUID(),
        channels: ['PUSH'],
        payload: { userId: 'ada' },
        variables: { title: 'Traced', message: 'one trace' },
      }),
    });
    expect(response.status).toBe(200);

    // The request's span names the x-trace-id it answered with; its trace is the event's.
    const request = await pollUntil(
      async () =>
        collector.spans.find((s) => s.service === 'orqestra-api' && s.kind === SERVER && s.attributes['orqestra.trace_id'] === traceHeader),
      {
        until: Boolean,
        timeoutMs: 30_000,
        what: 'the API request span',
      },
    );
    const inTrace = () => collector.spans.filter((s) => s.traceId === request!.traceId);
    const child = (parent: ReceivedSpan | undefined, service: string, kind: number) =>
      inTrace().find((s) => s.service === service && s.kind === kind && s.parentSpanId === parent?.spanId);
    // Each process exports on its own schedule: wait until every kind of span has arrived.
    const expected = [
      ['orqestra-api', SERVER],
      ['orqestra-api', PRODUCER],
      ['orqestra-worker', CONSUMER],
      ['orqestra-worker', PRODUCER],
      ['orqestra-gateway', CONSUMER],
      ['orqestra-gateway', CLIENT],
    ] as const;
    const missing = () => expected.filter(([service, kind]) => !inTrace().some((s) => s.service === service && s.kind === kind));
    await pollUntil(async () => missing().length === 0, {
      until: Boolean,
      timeoutMs: 120_000,
      what: 'the spans of the API, the worker and the gateway in the trace',
    }).catch((error: unknown) => {
      throw new Error(
        `${String(error)}\nmissing (service, kind): ${JSON.stringify(missing())}\nreceived in the trace: ${JSON.stringify(inTrace().map((s) => [s.service, s.kind, s.name]))}`,
      );
    });

    expect(request!.name).toBe('POST /api/v1/events/trigger');
    expect(request!.parentSpanId).toBe('');
    const apiPublish = child(request, 'orqestra-api', PRODUCER);
    expect(apiPublish?.name).toBe(`${TOPIC_PREFIX}tenant.event.received publish`);
    const workerProcess = child(apiPublish, 'orqestra-worker', CONSUMER);
    expect(workerProcess?.attributes['orqestra.trace_id']).toBe(traceHeader);
    const workerPublish = child(workerProcess, 'orqestra-worker', PRODUCER);
    expect(workerPublish?.name).toBe(`${TOPIC_PREFIX}notification.dispatch publish`);
    const gatewayProcess = child(workerPublish, 'orqestra-gateway', CONSUMER);
    expect(gatewayProcess?.attributes['orqestra.channel']).toBe('PUSH');
    const vendorCall = child(gatewayProcess, 'orqestra-gateway', CLIENT);
    // The PUSH publications of a turn go out as one Centrifugo batch request, in the first one's span.
    expect(String(vendorCall?.attributes['url.full'])).toMatch(/\/api\/batch$/);
    // Every span of the trace hangs from the request: nothing orphaned, nothing from another trace.
    const ids = new Set(inTrace().map((s) => s.spanId));
    expect(inTrace().filter((s) => s.spanId !== request!.spanId && !ids.has(s.parentSpanId))).toEqual([]);
  }, 200_000);
});

/** Metric names a Prometheus scrape of `text` yields: samples, and the series a declared histogram or summary has even before its first observation. */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      names.add(name);
      if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      if (kind === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
    } else if (line && !line.startsWith('#')) {
      names.add(/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? '');
    }
  }
  return names;
}

describe('health and metrics endpoints', () => {
  it('the worker answers /health/live, /health/ready (PostgreSQL and Kafka checked) and /metrics on WORKER_PORT, like the API and the gateway', async () => {
    for (const url of [apiUrl, workerUrl, gatewayUrl]) {
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await metrics.text()).toMatch(/^# HELP orqestra_/m);
    }
    expect(await (await fetch(`${workerUrl}/health/ready`)).json()).toEqual({ status: 'ok', checks: { postgres: 'ok', kafka: 'ok' } });
  });

  it('counts the API requests by route template and status, and events accepted and refused by code', async () => {
    const tenant = await newTenant();
    await fetch(`${apiUrl}/api/v1/events/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'oq_live_not-a-key' },
      body: '{}',
    });
    await fetch(`${apiUrl}/api/v1/events/${randomUUID()}`, { headers: { 'x-api-key': tenant.apiKey } });
    const text = await (await fetch(`${apiUrl}/metrics`)).text();
    expect(text).toMatch(/^orqestra_events_refused_total\{route="trigger",code="INVALID_API_KEY"\} [1-9]/m);
    // The earlier test's event was accepted.
    expect(text).toMatch(/^orqestra_events_accepted_total\{route="trigger"\} [1-9]/m);
    // The route template, never the raw path with its id.
    expect(text).toMatch(
      /^orqestra_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/events\/:eventId",status="404"\} 1$/m,
    );
    expect(text).toMatch(/^orqestra_db_pool_connections\{state="total"\} [1-9]/m);
  });

  it('the Grafana dashboard (infra/observability/grafana-dashboard.json) queries only metrics that the API, worker or gateway expose', async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../../../../infra/observability/grafana-dashboard.json', import.meta.url), 'utf8'),
    ) as unknown;
    const queries: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if ((key === 'expr' || key === 'definition') && typeof value === 'string') queries.push(value);
          else walk(value);
        }
      }
    };
    walk(dashboard);
    const referenced = new Set(queries.flatMap((q) => q.match(/\borqestra_[a-zA-Z0-9_]+/g) ?? []));
    const exposed = new Set<string>();
    for (const url of [apiUrl, workerUrl, gatewayUrl])
      for (const name of exposedNames(await (await fetch(`${url}/metrics`)).text())) exposed.add(name);
    expect(referenced.size).toBeGreaterThanOrEqual(15);
    expect([...referenced].filter((name) => !exposed.has(name))).toEqual([]);
  });
});
