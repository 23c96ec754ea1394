// The delivery floor of bench:e2e: a stand-in for the gateway that does only what delivering a
// notification must do, with the apps' own building blocks, so the real gateway can be compared
// with it in the same run:
//   consume (the same @orqestra/bus consumer: same Kafka client, schema check, commit after the
//   batch) → claim every message of the fetched batch in ONE statement (PENDING/RETRYING →
//   SENDING, lease) → one vendor call each (the fake Resend's wire format, concurrently, in order
//   per message key) → ONE transaction that writes every outcome (one UPDATE of the log rows, and
//   the attempt rows inserted per tenant, since row-level security lets a transaction insert only
//   inside the tenant it is set to) → commit the batch's offsets.
// PUSH notifications (bench:push): the inbox rows are written per tenant in the claim's transaction
// (before the publish, as SPEC §2.5 wants), and the batch's publications go to Centrifugo in ONE
// request (its server API's /api/batch), with the same channel, data and idempotency key as the
// gateway's PUSH adapter.
// Nothing else: no provider directory (the fake's URL and key come from the environment), no
// breakers, rate limits, retries, dead letters, tracing, metrics or sweeper. It connects as the
// services' role (row-level security on) and acts as an operator for the cross-tenant update.
// Started (forked, IPC) by bench/e2e/run.mjs; not a product.
//
// Env: DATABASE_URL, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, FLOOR_GROUP, VENDOR_URL, VENDOR_API_KEY
// (EMAIL), CENTRIFUGO_URL, CENTRIFUGO_API_KEY (PUSH), FLOOR_CONCURRENCY (in-flight vendor calls, default 128).
import { randomUUID } from 'node:crypto';
import { BusProducer, consume } from '@orqestra/bus';
import { createDatabase } from '@orqestra/db';
import { Pool } from 'undici';
import { pushChannel, pushPublication } from '@orqestra/providers';
import { ATTEMPTS, CLAIM, IN_TENANT, INBOX, OPERATOR, OUTCOMES } from './floor-state.mjs';
// The gateway's own per-key runner (one key's messages in order, keys in parallel): the floor keeps its fairness.
import { runByKey } from '../../apps/gateway/dist/consume/keyed-runner.js';

const env = process.env;
const concurrency = Number(env.FLOOR_CONCURRENCY ?? 128);
const database = createDatabase(env.DATABASE_URL, { max: 4, applicationName: 'bench-e2e-floor' });
const producer = new BusProducer({
  brokers: env.KAFKA_BROKERS.split(','),
  clientId: 'bench-e2e-floor',
  topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
});
const vendor = env.VENDOR_URL ? new Pool(env.VENDOR_URL, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 }) : undefined;
const centrifugo = env.CENTRIFUGO_URL
  ? new Pool(env.CENTRIFUGO_URL, { connections: 8, pipelining: 1, keepAliveTimeout: 60_000 })
  : undefined;

function groupBy(items, keyOf) {
  const groups = new Map();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** One transaction as an operator across tenants; `fn` gets the connection. */
async function transaction(fn) {
  const client = await database.pool.connect();
  try {
    await client.query(OPERATOR);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function send(d) {
  const m = d.message;
  const startedAt = new Date();
  const t0 = performance.now();
  try {
    const response = await vendor.request({
      path: '/emails',
      method: 'POST',
      headers: {
        authorization: `Bearer ${env.VENDOR_API_KEY}`,
        'content-type': 'application/json',
        'idempotency-key': `bench-floor:${m.notificationId}:${m.attemptSeries}`,
      },
      body: JSON.stringify({
        from: 'orders@shop.example',
        to: [m.recipient.email],
        subject: m.content.subject ?? '',
        html: m.content.html,
        text: m.content.text,
      }),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const body = await response.body.json().catch(() => ({}));
    const ok = response.statusCode >= 200 && response.statusCode < 300 && typeof body.id === 'string';
    return {
      startedAt,
      ms: performance.now() - t0,
      httpStatus: response.statusCode,
      status: ok ? 'SENT' : 'FAILED',
      vendorId: ok ? body.id : null,
      code: ok ? null : `HTTP_${response.statusCode}`,
    };
  } catch (error) {
    return { startedAt, ms: performance.now() - t0, httpStatus: null, status: 'FAILED', vendorId: null, code: error?.code ?? 'SEND_ERROR' };
  }
}

/** PUSH: every publication of the batch in one Centrifugo request. */
async function publishAll(list, results) {
  const startedAt = new Date();
  const t0 = performance.now();
  const commands = list.map((d) => {
    const m = d.message;
    const request = {
      notificationId: m.notificationId,
      tenantId: m.tenantId,
      recipient: m.recipient,
      content: m.content,
      eventType: m.eventType,
      receivedAt: m.receivedAt,
    };
    return {
      publish: { channel: pushChannel(m.tenantId, m.recipient.userId), data: pushPublication(request), idempotency_key: m.notificationId },
    };
  });
  let replies = [];
  let httpStatus = null;
  try {
    const response = await centrifugo.request({
      path: '/api/batch',
      method: 'POST',
      headers: { 'x-api-key': env.CENTRIFUGO_API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ commands, parallel: true }),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    httpStatus = response.statusCode;
    replies = (await response.body.json().catch(() => ({}))).replies ?? [];
  } catch {
    // every publication of the batch failed
  }
  const ms = performance.now() - t0;
  list.forEach((d, i) => {
    const reply = replies[i];
    const ok = reply !== undefined && reply.error === undefined;
    const result = reply?.publish;
    results.set(d.message.notificationId, {
      startedAt,
      ms,
      httpStatus,
      status: ok ? 'SENT' : 'FAILED',
      vendorId: ok && result?.epoch ? `${result.epoch}:${result.offset}` : null,
      code: ok ? null : reply?.error ? `CENTRIFUGO_${reply.error.code}` : 'PUBLISH_ERROR',
    });
  });
}

async function handle(batch) {
  const ids = batch.map((d) => d.message.notificationId);
  const claimed = new Map(
    await transaction(async (c) => {
      const rows = (await c.query({ ...CLAIM, values: [ids] })).rows;
      const mine = new Set(rows.map((r) => r.id));
      const push = batch.filter((d) => d.message.channel === 'PUSH' && mine.has(d.message.notificationId));
      for (const [tenantId, list] of groupBy(push, (d) => d.message.tenantId)) {
        const ms = list.map((d) => d.message);
        await c.query({ ...IN_TENANT, values: [tenantId] });
        await c.query({
          ...INBOX,
          values: [
            tenantId,
            ms.map((m) => m.notificationId),
            ms.map((m) => m.recipient.userId),
            ms.map((m) => m.content.title ?? ''),
            ms.map((m) => m.content.body ?? ''),
            ms.map((m) => m.content.category ?? 'info'),
            ms.map((m) => m.eventType),
            ms.map((m) => (m.content.data ? JSON.stringify(m.content.data) : null)),
            ms.map((m) => m.receivedAt),
          ],
        });
      }
      return rows.map((r) => [r.id, r]);
    }),
  );
  const work = batch.filter((d) => claimed.has(d.message.notificationId));
  if (work.length === 0) return;
  const results = new Map();
  const push = work.filter((d) => d.message.channel === 'PUSH');
  await Promise.all([
    push.length > 0 ? publishAll(push, results) : undefined,
    runByKey(
      work.filter((d) => d.message.channel !== 'PUSH'),
      (d) => d.key,
      concurrency,
      async (d) => results.set(d.message.notificationId, await send(d)),
    ),
  ]);
  const done = work.map((d) => ({
    row: claimed.get(d.message.notificationId),
    r: results.get(d.message.notificationId),
    push: d.message.channel === 'PUSH',
  }));
  await transaction(async (c) => {
    await c.query({
      ...OUTCOMES,
      values: [
        done.map((x) => x.row.id),
        done.map((x) => x.row.lease_version),
        done.map((x) => x.r.status),
        done.map((x) => x.r.vendorId),
        done.map((x) => x.r.code),
        done.map((x) => (x.push ? 'push' : 'resend')),
      ],
    });
    for (const [tenantId, list] of groupBy(done, (x) => x.row.tenant_id)) {
      await c.query({ ...IN_TENANT, values: [tenantId] });
      await c.query({
        ...ATTEMPTS,
        values: [
          tenantId,
          list.map((x) => x.row.id),
          list.map((x) => x.row.attempt_series),
          list.map((x) => x.row.attempt_number),
          list.map((x) => (x.push ? 'push' : 'resend')),
          list.map((x) => x.r.startedAt),
          list.map((x) => Math.round(x.r.ms)),
          list.map((x) => (x.r.status === 'SENT' ? 'sent' : 'permanent')),
          list.map((x) => x.r.httpStatus),
          list.map((x) => x.r.code),
          list.map((x) => x.r.vendorId),
        ],
      });
    }
  });
}

const consumer = await consume({
  brokers: env.KAFKA_BROKERS.split(','),
  clientId: `bench-e2e-floor-${randomUUID().slice(0, 8)}`,
  topic: 'dispatch',
  groupId: env.FLOOR_GROUP,
  producer,
  handle,
  onError: (error) => process.stderr.write(`[floor] batch failed, retrying: ${error?.message ?? error}\n`),
});
process.send?.({ ready: true });

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 10_000).unref();
  await consumer.close().catch(() => {});
  await producer.close().catch(() => {});
  await vendor?.close().catch(() => {});
  await centrifugo?.close().catch(() => {});
  await database.close().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
