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
      const membersOf = async () =>
        (await admin.describeGroups({ groups: [env.kafkaTopicPrefix + groupId] })).get(env.kafkaTopicPrefix + groupId)?.members.size ?? 0;
      await pollUntil(membersOf, { until: (n) => n === 0, timeoutMs: 3_000, intervalMs: 100, what: 'the member to leave' }).catch(
        () => undefined,
      );
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

  it('writes every one of 200 concurrent publishes (each request of the API publishes on its own; the linger merges them)', async () => {
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
        for (const { message } of batch)
          if (message.tenantId === tenantId) seen.set(message.notificationId, (seen.get(message.notificationId) ?? 0) + 1);
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

  describe('the produce linger: concurrent publishes share produce requests', () => {
    /** A producer of its own whose produce requests are counted (the onProduce observer sees each one). */
    function countingProducer(lingerMs?: number) {
      const requests: { topic: string; messages: number; failed: boolean }[] = [];
      const counted = new BusProducer({
        brokers: env.kafkaBrokers,
        clientId: 'bus-int-linger',
        topicPrefix: env.kafkaTopicPrefix,
        timeoutMs: 2_000,
        ...(lingerMs === undefined ? {} : { lingerMs }),
        onProduce: (topic, messages, _seconds, failed) => requests.push({ topic, messages, failed }),
      });
      return { producer: counted, requests };
    }

    it('publishes made within the linger leave in one produce request; each caller resolves once its message is in Kafka', async () => {
      const tenantId = randomUUID();
      const { producer: counted, requests } = countingProducer();
      // Different users: the messages go to different partitions, still in one request.
      const sent = Array.from({ length: 12 }, (_, i) => dispatchFor(tenantId, `user-${i}`));
      const seen = new Set<string>();
      const running = await consume({
        brokers: env.kafkaBrokers,
        clientId: 'bus-int-consumer',
        topic: 'dispatch',
        groupId: `bus-int-${randomUUID()}`,
        producer,
        handle: async (batch) => {
          for (const { message } of batch) if (message.tenantId === tenantId) seen.add(message.notificationId);
        },
      });
      try {
        const acked: string[] = [];
        await Promise.all(
          sent.map((message) =>
            counted.publish('dispatch', [{ message, traceId: message.traceId }]).then(() => acked.push(message.notificationId)),
          ),
        );
        expect(acked.sort()).toEqual(sent.map((m) => m.notificationId).sort());
        expect(requests).toEqual([{ topic: env.kafkaTopicPrefix + TOPICS.dispatch.name, messages: 12, failed: false }]);
        // A publish after the ack is a request of its own.
        const later = dispatchFor(tenantId, 'user-later');
        await counted.publish('dispatch', [{ message: later, traceId: later.traceId }]);
        expect(requests).toHaveLength(2);
        await pollUntil(() => seen.size, { until: (n) => n === sent.length + 1, timeoutMs: 20_000, what: 'every acknowledged message' });
      } finally {
        await running.close();
        await counted.close();
      }
    });

    it('a publish that fails its schema is refused on its own: the others of the same linger are written', async () => {
      const tenantId = randomUUID();
      const { producer: counted, requests } = countingProducer();
      const good = [dispatchFor(tenantId, 'user-1'), dispatchFor(tenantId, 'user-2'), dispatchFor(tenantId, 'user-3')];
      const bad = { ...dispatchFor(tenantId, 'user-4'), channel: 'FAX' } as unknown as Dispatch;
      try {
        const outcomes = await Promise.allSettled(
          [...good, bad].map((message) => counted.publish('dispatch', [{ message, traceId: message.traceId }])),
        );
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
        expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(MessageSchemaError);
        expect(requests).toEqual([{ topic: env.kafkaTopicPrefix + TOPICS.dispatch.name, messages: 3, failed: false }]);
      } finally {
        await counted.close();
      }
    });

    it('a produce request that fails rejects every publish it carried, and none is acknowledged; the next publish goes through', async () => {
      const tenantId = randomUUID();
      const { producer: counted, requests } = countingProducer();
      const good = dispatchFor(tenantId, 'user-1');
      try {
        // The same request carries a message for a topic that does not exist (topics are never auto-created).
        const outcomes = await Promise.allSettled([
          counted.publish('dispatch', [{ message: good, traceId: good.traceId }]),
          counted.publishRaw(`no-such-topic-${randomUUID()}`, [{ key: 'k', value: '{}', headers: {} }]),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
        expect(requests).toEqual([{ topic: env.kafkaTopicPrefix + TOPICS.dispatch.name, messages: 2, failed: true }]);
        const next = dispatchFor(tenantId, 'user-2');
        await counted.publish('dispatch', [{ message: next, traceId: next.traceId }]);
        expect(requests.at(-1)).toMatchObject({ messages: 1, failed: false });
      } finally {
        await counted.close();
      }
    });

    it('does not merge past the size bound: publishes that together would exceed it leave in separate requests', async () => {
      const { producer: counted, requests } = countingProducer();
      const parking = invalidTopicName(TOPICS.dispatch.name);
      const big = 'x'.repeat(300 * 1024);
      try {
        await Promise.all([0, 1, 2].map((i) => counted.publishRaw(parking, [{ key: `big-${i}`, value: big, headers: {} }])));
        expect(requests.map((r) => [r.messages, r.failed])).toEqual([
          [1, false],
          [1, false],
          [1, false],
        ]);
      } finally {
        await counted.close();
      }
    });

    it('with lingerMs 0 each publish is its own request, sent at once', async () => {
      const tenantId = randomUUID();
      const { producer: counted, requests } = countingProducer(0);
      const sent = [dispatchFor(tenantId, 'user-1'), dispatchFor(tenantId, 'user-2'), dispatchFor(tenantId, 'user-3')];
      try {
        await Promise.all(sent.map((message) => counted.publish('dispatch', [{ message, traceId: message.traceId }])));
        expect(requests.map((r) => r.messages)).toEqual([1, 1, 1]);
        // One publish of a whole batch (what the worker does) is one request however many partitions it spans.
        await counted.publish(
          'dispatch',
          Array.from({ length: 20 }, (_, i) => dispatchFor(tenantId, `user-${i}`)).map((message) => ({
            message,
            traceId: message.traceId,
          })),
        );
        expect(requests.at(-1)).toMatchObject({ messages: 20, failed: false });
        expect(requests).toHaveLength(4);
      } finally {
        await counted.close();
      }
    });
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
      const stream = await parked.consume({
        topics: [env.kafkaTopicPrefix + invalidTopicName(TOPICS.dispatch.name)],
        mode: 'earliest',
        maxWaitTime: 200,
      });
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
