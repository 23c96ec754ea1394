import { Consumer, stringDeserializers, type Message } from '@platformatic/kafka';
import { TOPICS, TRACE_HEADER, invalidTopicName, type MessageOf, type TopicKey } from '@orqestra/contracts';
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
  /** Called once per valid message; the offset is committed after it resolves. */
  handle: (delivered: Delivered<K>) => Promise<void>;
  /** Used to park messages that fail their schema on `<topic>.invalid`. */
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
 */
export async function consume<K extends TopicKey>(options: ConsumeOptions<K>): Promise<RunningConsumer> {
  const spec = TOPICS[options.topic];
  const consumer = new Consumer({
    clientId: options.clientId,
    groupId: options.groupId ?? spec.group,
    bootstrapBrokers: options.brokers,
    deserializers: stringDeserializers,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const stream = await consumer.consume({
    topics: [spec.name],
    autocommit: false,
    mode: 'committed',
    fallbackMode: 'earliest',
    maxWaitTime: 200,
  });

  const loop = (async () => {
    for await (const raw of stream as AsyncIterable<Message<string, string, string, string>>) {
      try {
        await handleOne(options, spec, raw);
        await raw.commit();
      } catch (error) {
        options.onError?.(error);
        throw error;
      }
    }
  })();
  loop.catch(() => {});

  return {
    async close() {
      await stream.close();
      await consumer.close(true);
      await loop.catch(() => {});
    },
  };
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
