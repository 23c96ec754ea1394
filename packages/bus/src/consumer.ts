import { Consumer, stringDeserializers, type Message } from '@platformatic/kafka';
import { TOPICS, TRACE_HEADER, invalidTopicName, type MessageOf, type TopicKey } from '@orqestra/contracts';
import { closeNow } from './close.js';
import type { BusProducer } from './producer.js';

export interface Delivered<K extends TopicKey> {
  message: MessageOf<K>;
  traceId: string;
  key: string;
  partition: number;
  offset: bigint;
}

export interface InvalidMessage {
  topic: string;
  partition: number;
  offset: bigint;
  reason: string;
}

export interface ConsumeOptions<K extends TopicKey> {
  brokers: string[];
  clientId: string;
  topic: K;
  /** Defaults to the catalog's group for the topic. */
  groupId?: string;
  /** Called once per valid message; the offset is committed after it resolves (a rejection is retried with back-off). */
  handle: (delivered: Delivered<K>) => Promise<void>;
  /** Used to park messages that fail their schema on `<topic>.invalid`; its topic prefix applies here too. */
  producer: BusProducer;
  onInvalid?: (info: InvalidMessage) => void;
  onError?: (error: unknown) => void;
}

export interface RunningConsumer {
  close(): Promise<void>;
}

/**
 * Consumes one catalog topic in a consumer group. A message that is not JSON or fails its schema
 * is parked on `<topic>.invalid` (with the reason in a header), reported, and committed past,
 * so it never blocks its partition. Offsets are committed only after the handler succeeded.
 * A new group starts from the earliest offset: nothing published before it joined is skipped.
 * Resolves at once; the member joins in the background and rejoins after a broker outage.
 */
export async function consume<K extends TopicKey>(options: ConsumeOptions<K>): Promise<RunningConsumer> {
  const spec = TOPICS[options.topic];
  let closing = false;
  let current: { consumer: Consumer<string, string, string, string>; stream: { close(): Promise<void> } } | undefined;

  /** One group membership: joins, consumes until the stream fails or is closed. */
  const member = async (): Promise<void> => {
    const consumer = new Consumer({
      clientId: options.clientId,
      groupId: options.producer.topicPrefix + (options.groupId ?? spec.group),
      bootstrapBrokers: options.brokers,
      deserializers: stringDeserializers,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    try {
      const stream = await consumer.consume({
        topics: [options.producer.topicPrefix + spec.name],
        autocommit: false,
        mode: 'committed',
        fallbackMode: 'earliest',
        maxWaitTime: 200,
      });
      current = { consumer, stream };
      for await (const raw of stream as AsyncIterable<Message<string, string, string, string>>) {
        // A failing handler (database or broker down) is retried with back-off, never skipped:
        // the offset is committed only once the message was handled.
        for (let attempt = 0; ; attempt++) {
          try {
            await handleOne(options, spec, raw);
            break;
          } catch (error) {
            options.onError?.(error);
            if (closing) return;
            await sleep(Math.min(100 * 2 ** attempt, 5_000));
          }
        }
        await raw.commit();
      }
    } finally {
      current = undefined;
      await closeNow(consumer);
    }
  };

  // A lost broker ends the membership; a new one is made with back-off until close(). The
  // process never gives up on its topic (it stays up while Kafka is away and resumes after).
  const supervisor = (async () => {
    for (let failures = 0; !closing; ) {
      try {
        await member();
        failures = 0;
      } catch (error) {
        options.onError?.(error);
        failures++;
      }
      if (!closing) await sleep(Math.min(200 * 2 ** failures, 5_000));
    }
  })();

  return {
    async close() {
      closing = true;
      await current?.stream.close().catch(() => {});
      if (current) await closeNow(current.consumer);
      await supervisor.catch(() => {});
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function handleOne<K extends TopicKey>(
  options: ConsumeOptions<K>,
  spec: (typeof TOPICS)[K],
  raw: Message<string, string, string, string>,
): Promise<void> {
  const traceId = raw.headers.get(TRACE_HEADER) ?? 'missing-trace-id';
  let reason: string | undefined;
  let parsed: MessageOf<K> | undefined;
  try {
    const result = spec.schema.safeParse(JSON.parse(raw.value));
    if (result.success) parsed = result.data as MessageOf<K>;
    else reason = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
  } catch (error) {
    reason = `not JSON: ${(error as Error).message}`;
  }
  if (parsed === undefined) {
    const why = reason ?? 'unknown';
    await options.producer.publishRaw(invalidTopicName(spec.name), [
      {
        key: raw.key,
        value: raw.value,
        headers: {
          [TRACE_HEADER]: traceId,
          'x-invalid-reason': why.slice(0, 1000),
          'x-source': `${spec.name}/${raw.partition}/${raw.offset}`,
        },
      },
    ]);
    options.onInvalid?.({ topic: spec.name, partition: raw.partition, offset: raw.offset, reason: why });
    return;
  }
  await options.handle({ message: parsed, traceId, key: raw.key, partition: raw.partition, offset: raw.offset });
}
