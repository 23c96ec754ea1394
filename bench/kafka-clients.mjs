// Compares Kafka clients on the local broker for the work Orqestra does: one acknowledged produce
// per accepted event (latency), and batched produce (throughput). Bounded and loopback-only.
//   npm install --no-save kafkajs   (only for the comparison; not a project dependency)
//   node bench/kafka-clients.mjs [brokers]
import { randomUUID } from 'node:crypto';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';

const broker = process.argv[2] ?? '127.0.0.1:59092';
const TOPIC = `bench.kafka-clients.${Date.now()}`;
const SEQUENTIAL = 2000;
const BATCHES = 200;
const BATCH_SIZE = 100;
const value = JSON.stringify({
  v: 1,
  tenantId: randomUUID(),
  eventType: 'order.confirmed',
  payload: { userId: 'u-1', recipientEmail: 'ada@example.com' },
  variables: { orderNo: 1234, items: ['a', 'b', 'c'], total: '99.90' },
  pad: 'x'.repeat(300),
});

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
async function measure(name, sendOne, sendBatch) {
  for (let i = 0; i < 50; i++) await sendOne(`k${i}`); // warm-up
  const lat = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = process.hrtime.bigint();
    await sendOne(`k${i % 64}`);
    lat.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  lat.sort((a, b) => a - b);
  const t0 = process.hrtime.bigint();
  const inflight = [];
  for (let b = 0; b < BATCHES; b++) {
    inflight.push(sendBatch(Array.from({ length: BATCH_SIZE }, (_, i) => `k${(b * BATCH_SIZE + i) % 64}`)));
    if (inflight.length >= 8) await inflight.shift();
  }
  await Promise.all(inflight);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    client: name,
    'single produce p50 ms': pct(lat, 50).toFixed(2),
    'p99 ms': pct(lat, 99).toFixed(2),
    'batched msgs/s': Math.round((BATCHES * BATCH_SIZE) / secs),
  };
}

const admin = new Admin({ clientId: 'bench', bootstrapBrokers: [broker] });
await admin.createTopics({ topics: [TOPIC], partitions: 4, replicas: 1 });
const results = [];

const p = new Producer({ clientId: 'bench-pk', bootstrapBrokers: [broker], serializers: stringSerializers, acks: -1, idempotent: false });
results.push(
  await measure(
    '@platformatic/kafka',
    (key) => p.send({ messages: [{ topic: TOPIC, key, value }] }),
    (keys) => p.send({ messages: keys.map((key) => ({ topic: TOPIC, key, value })) }),
  ),
);
await p.close();

try {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const kafka = new Kafka({ clientId: 'bench-kjs', brokers: [broker], logLevel: logLevel.NOTHING });
  const k = kafka.producer({ idempotent: false });
  await k.connect();
  results.push(
    await measure(
      'kafkajs',
      (key) => k.send({ topic: TOPIC, acks: -1, messages: [{ key, value }] }),
      (keys) => k.send({ topic: TOPIC, acks: -1, messages: keys.map((key) => ({ key, value })) }),
    ),
  );
  await k.disconnect();
} catch (error) {
  results.push({ client: 'kafkajs', error: error.message });
}

await admin.deleteTopics({ topics: [TOPIC] });
await admin.close();
console.table(results);
