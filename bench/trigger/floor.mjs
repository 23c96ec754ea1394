// The floor of the trigger endpoint: a plain node:http server doing only the work no
// implementation of POST /api/v1/events/trigger can skip, with the API's own building blocks:
//   - the same Redis scripts through the same TriggerGateStore and the same ioredis options
//     (createRedis): acquire before the publish, complete after it (keyed requests: 2 round trips);
//   - the same Kafka produce through the same BusProducer (acks=all, non-idempotent, the catalog's
//     schema check and key), to the same topic.
// No framework, no authentication (the x-api-key is looked up in a Map of the bench tenants, no
// hashing, no cache expiry, no signature check), no body validation beyond JSON.parse, body hash
// over the raw bytes instead of canonical JSON. Started by bench/trigger/run.mjs; not a product.
//
// Env: FLOOR_PORT, BENCH_TENANTS (JSON [{apiKey, tenantId, perMinute, burst, dailyCap}]),
// REDIS_URL, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, IDEMPOTENCY_WINDOW_SECONDS,
// IDEMPOTENCY_RESERVATION_SECONDS, REDIS_COMMAND_TIMEOUT_MS, KAFKA_PUBLISH_TIMEOUT_MS.
import 'reflect-metadata';
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { BusProducer } from '@orqestra/bus';
import { createRedis } from '../../apps/api/dist/platform/platform.module.js';
import { TriggerGateStore } from '../../apps/api/dist/features/events/trigger-gate.store.js';

const env = process.env;
const port = Number(env.FLOOR_PORT);
const tenants = new Map(
  JSON.parse(env.BENCH_TENANTS).map((t) => [
    t.apiKey,
    { tenantId: t.tenantId, limits: { perMinute: t.perMinute, burst: t.burst, dailyCap: t.dailyCap } },
  ]),
);

const redis = createRedis(
  { redis: { url: env.REDIS_URL }, redisCommandTimeoutMs: Number(env.REDIS_COMMAND_TIMEOUT_MS ?? 500) },
  'orqestra-bench-floor',
);
const gate = new TriggerGateStore(redis, {
  windowSeconds: Number(env.IDEMPOTENCY_WINDOW_SECONDS ?? 86_400),
  reservationSeconds: Number(env.IDEMPOTENCY_RESERVATION_SECONDS ?? 10),
});
const producer = new BusProducer({
  brokers: env.KAFKA_BROKERS.split(','),
  clientId: 'orqestra-bench-floor',
  timeoutMs: Number(env.KAFKA_PUBLISH_TIMEOUT_MS ?? 2_000),
  topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
});

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function trigger(req, raw, res) {
  const tenant = tenants.get(req.headers['x-api-key']);
  if (!tenant) return send(res, 401, { success: false });
  const body = JSON.parse(raw.toString('utf8'));
  const traceId = randomUUID();
  const eventId = body.eventId ?? randomUUID();
  const now = new Date();
  const decision = await gate.acquire({
    tenantId: tenant.tenantId,
    mode: 'live',
    limits: tenant.limits,
    idempotency:
      body.eventId === undefined ? undefined : { key: `eventId:${body.eventId}`, bodyHash: createHash('sha256').update(raw).digest('hex') },
    now,
  });
  if (decision.kind !== 'accepted') return send(res, decision.kind === 'limited' ? 429 : 409, { success: false, error: decision.kind });
  try {
    await producer.publish('eventReceived', [
      {
        message: {
          v: 1,
          tenantId: tenant.tenantId,
          mode: 'live',
          eventId,
          eventType: body.eventType,
          payload: body.payload,
          variables: body.variables ?? {},
          traceId,
          receivedAt: now.toISOString(),
        },
        traceId,
      },
    ]);
  } catch {
    await gate.release(decision.reservation).catch(() => {});
    return send(res, 503, { success: false });
  }
  const response = { success: true, message: `Event ${body.eventType} accepted`, eventId, traceId, duplicate: false };
  await gate.complete(decision.reservation, JSON.stringify(response)).catch(() => {});
  send(res, 200, response);
}

const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/health/live') return send(res, 200, { status: 'ok' });
  if (req.method !== 'POST' || req.url !== '/api/v1/events/trigger') return send(res, 404, { success: false });
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    trigger(req, Buffer.concat(chunks), res).catch(() => {
      if (!res.headersSent) send(res, 503, { success: false });
    });
  });
});

server.listen(port, '127.0.0.1');
const stop = () => {
  server.close();
  redis.disconnect();
  producer.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
