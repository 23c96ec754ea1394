import { randomUUID } from 'node:crypto';
import { Admin, Consumer, stringDeserializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTopicNames, invalidTopicName, messageKey, TOPICS, type Dispatch } from '@orqestra/contracts';
import { pollUntil, stackEnv } from '@orqestra/testing';
import { BusProducer, consume, ensureTopics, MessageSchemaError, type Delivered, type InvalidMessage } from './index.js';

const env = stackEnv();

function dispatchFor(tenantId: string, userId: string): Dispatch {
  return {
    v: 1,
    notificationId: randomUUID(),
    attemptSeries: 1,
    tenantId,
    mode: 'live',
    isTest: false,
    eventId: `evt-${randomUUID()}`,
    eventType: 'order.confirmed',
    channel: 'EMAIL',
    recipient: { userId, email: 'ada@example.com' },
    content: { subject: 'Your order', html: '<p>Ünïcödé ✓</p>', text: 'Ünïcödé ✓' },
    traceId: `trace-${randomUUID()}`,
    receivedAt: new Date().toISOString(),
  };
}

describe('the bus against the real Kafka broker', () => {
  const producer = new BusProducer({ brokers: env.kafkaBrokers, clientId: 'bus-int-test', topicPrefix: env.kafkaTopicPrefix });
  const topics = { brokers: env.kafkaBrokers, partitions: env.kafkaTopicPartitions, replicas: 1, topicPrefix: env.kafkaTopicPrefix };
  afterAll(async () => {
    await producer.close();
  });

  beforeAll(async () => {
    await ensureTopics(topics);
  });

  it('creates every catalog topic and its .invalid parking topic, with at least 2 partitions', async () => {
    const admin = new Admin({ clientId: 'bus-int-admin', bootstrapBrokers: env.kafkaBrokers });
    try {
      const names = allTopicNames().map((name) => env.kafkaTopicPrefix + name);
      const metadata = await admin.metadata({ topics: names });
      for (const name of names) {
        expect(metadata.topics.get(name)?.partitionsCount, name).toBeGreaterThanOrEqual(2);
      }
      // A second call finds nothing to create.
      expect((await ensureTopics(topics)).created).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  it('round-trips a dispatch message: same content, trace header, tenant:user key, committed offsets', async () => {
    const tenantId = randomUUID();
    const sent = [dispatchFor(tenantId, 'user-1'), dispatchFor(tenantId, 'user-2')];
    const groupId = `bus-int-${randomUUID()}`;
    const received: Delivered<'dispatch'>[] = [];
    const running = await consume({
      brokers: env.kafkaBrokers,
      clientId: 'bus-int-consumer',
      topic: 'dispatch',
      groupId,
      producer,
      handle: async (batch) => {
        received.push(...batch.filter((delivered) => delivered.message.tenantId === tenantId));
      },
    });
    try {
      await producer.publish(
        'dispatch',
        sent.map((message) => ({ message, traceId: message.traceId })),
      );
      await pollUntil(() => received.length, { until: (n) => n === 2, timeoutMs: 20_000, what: 'both messages' });
      for (const message of sent) {
        const got = received.find((r) => r.message.notificationId === message.notificationId);
        expect(got?.message).toEqual(message);
        expect(got?.traceId).toBe(message.traceId);
        expect(got?.key).toBe(messageKey(tenantId, message.recipient.userId));
      }
    } finally {
      await running.close();
    }
    // The group committed past what it handled: a restarted member of the same group sees none of it again.
    const replays: string[] = [];
    const again = await consume({
      brokers: env.kafkaBrokers,
      clientId: 'bus-int-consumer-2',
      topic: 'dispatch',
      groupId,
      producer,
      handle: async (batch) => {
        for (const { message } of batch) if (message.tenantId === tenantId) replays.push(message.notificationId);
      },
    });
    try {
      const marker = dispatchFor(tenantId, 'user-3');
      await producer.publish('dispatch', [{ message: marker, traceId: marker.traceId }]);
      await pollUntil(() => replays.includes(marker.notificationId), { until: Boolean, timeoutMs: 20_000, what: 'the marker' });
      expect(replays).toEqual([marker.notificationId]);
    } finally {
      await again.close();
    }
  });

  it('commits the batch its handler is finishing when the consumer closes: the next member of the group does not get it again', async () => {
    const tenantId = randomUUID();
    const groupId = `bus-int-${randomUUID()}`;
    const first = dispatchFor(tenantId, 'user-1');
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const running = await consume({
      brokers: env.kafkaBrokers,
      clientId: 'bus-int-consumer',
      topic: 'dispatch',
      groupId,
      producer,
      handle: async (batch) => {
        const mine = batch.filter((d) => d.message.tenantId === tenantId);
        if (mine.length === 0) return;
        entered();
        await released;
        handled.push(...mine.map((d) => d.message.notificationId));
      },
    });
    await producer.publish('dispatch', [{ message: first, traceId: first.traceId }]);
    await inHandler;
    // close() while the handler still works on the batch. The handler finishes only once the
    // member has left the group, or after a bounded wait if it stays (it must: its batch is not
    // committed yet). A consumer that left first could no longer commit what it handled.
    const closed = running.close();
    const admin = new Admin({ clientId: 'bus-int-admin', bootstrapBrokers: env.kafkaBrokers });
    try {
      const membersOf = async () => (await admin.describeGroups({ groups: [env.kafkaTopicPrefix + groupId] })).get(env.kafkaTopicPrefix + groupId)?.members.size ?? 0;
      await pollUntil(membersOf, { until: (n) => n === 0, timeoutMs: 3_000, intervalMs: 100, what: 'the member to leave' }).catch(() => undefined);
    } finally {
      await admin.close();
    }
    release();
    await closed;
    expect(handled).toEqual([first.notificationId]);

    const replays: string[] = [];
    const again = await consume({
      brokers: env.kafkaBrokers,
      clientId: 'bus-int-consumer-2',
      topic: 'dispatch',
      groupId,
      producer,
      handle: async (batch) => {
        for (const { message } of batch) if (message.tenantId === tenantId) replays.push(message.notificationId);
      },
    });
    try {
      const marker = dispatchFor(tenantId, 'user-3');
      await producer.publish('dispatch', [{ message: marker, traceId: marker.traceId }]);
      await pollUntil(() => replays.includes(marker.notificationId), { until: Boolean, timeoutMs: 20_000, what: 'the marker' });
      expect(replays).toEqual([marker.notificationId]);
    } finally {
      await again.close();
    }
  });

  it('writes every one of 200 concurrent publishes (each request of the API publishes on its own)', async () => {
    const tenantId = randomUUID();
    const sent = Array.from({ length: 200 }, (_, i) => dispatchFor(tenantId, `user-${i % 3}`));
    const seen = new Map<string, number>();
    const running = await consume({
      brokers: env.kafkaBrokers,
      clientId: 'bus-int-consumer',
      topic: 'dispatch',
      groupId: `bus-int-${randomUUID()}`,
      producer,
      handle: async (batch) => {
        for (const { message } of batch) if (message.tenantId === tenantId) seen.set(message.notificationId, (seen.get(message.notificationId) ?? 0) + 1);
      },
    });
    try {
      await Promise.all(sent.map((message) => producer.publish('dispatch', [{ message, traceId: message.traceId }])));
      await pollUntil(() => seen.size, { until: (n) => n === sent.length, timeoutMs: 20_000, what: '200 distinct messages' });
      expect(sent.every((m) => seen.has(m.notificationId))).toBe(true);
    } finally {
      await running.close();
    }
  });

  it('parks a message that fails its schema on <topic>.invalid and keeps consuming the partition', async () => {
    const tenantId = randomUUID();
    const groupId = `bus-int-${randomUUID()}`;
    const handled: string[] = [];
    const invalid: InvalidMessage[] = [];
    const running = await consume({
      brokers: env.kafkaBrokers,
      clientId: 'bus-int-consumer',
      topic: 'dispatch',
      groupId,
      producer,
      onInvalid: (info) => invalid.push(info),
      handle: async (batch) => {
        for (const { message } of batch) if (message.tenantId === tenantId) handled.push(message.notificationId);
      },
    });
    const key = messageKey(tenantId, 'user-1');
    const badValue = JSON.stringify({ v: 1, tenantId, note: `bad-${randomUUID()}` });
    const good = dispatchFor(tenantId, 'user-1');
    try {
      // Same key → same partition: the bad message stands right in front of the good one.
      await producer.publishRaw(TOPICS.dispatch.name, [{ key, value: badValue, headers: { 'x-trace-id': 't-bad' } }]);
      await producer.publish('dispatch', [{ message: good, traceId: good.traceId }]);
      await pollUntil(() => handled.includes(good.notificationId), { until: Boolean, timeoutMs: 20_000, what: 'the good message' });
    } finally {
      await running.close();
    }
    expect(invalid.some((i) => i.reason.includes('notificationId'))).toBe(true);

    const parked = new Consumer({
      clientId: 'bus-int-parked',
      groupId: `bus-int-parked-${randomUUID()}`,
      bootstrapBrokers: env.kafkaBrokers,
      deserializers: stringDeserializers,
    });
    try {
      const stream = await parked.consume({ topics: [env.kafkaTopicPrefix + invalidTopicName(TOPICS.dispatch.name)], mode: 'earliest', maxWaitTime: 200 });
      let found: { reason?: string; trace?: string } | undefined;
      for await (const message of stream) {
        if (message.value === badValue) {
          found = { reason: message.headers.get('x-invalid-reason'), trace: message.headers.get('x-trace-id') };
          break;
        }
      }
      await stream.close();
      expect(found?.trace).toBe('t-bad');
      expect(found?.reason).toMatch(/notificationId/);
    } finally {
      await parked.close(true);
    }
  });

  it('refuses to publish a message that fails its schema, before anything reaches the broker', async () => {
    const bad = { ...dispatchFor(randomUUID(), 'u'), channel: 'FAX' } as unknown as Dispatch;
    await expect(producer.publish('dispatch', [{ message: bad, traceId: 't' }])).rejects.toBeInstanceOf(MessageSchemaError);
  });
});
