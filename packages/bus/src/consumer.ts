import type { Readable } from 'node:stream';
import { Consumer, stringDeserializers, type Message } from '@platformatic/kafka';
import { TOPICS, TRACE_HEADER, invalidTopicName, type MessageOf, type TopicKey } from '@orqestra/contracts';
import { closeNow } from './close.js';
import type { BusProducer } from './producer.js';
import { contextOfHeaders, type Context } from './trace-context.js';

export interface Delivered<K extends TopicKey> {
  message: MessageOf<K>;
  traceId: string;
  /** The producer's span (W3C traceparent header): the parent of this message's processing span. */
  context: Context;
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
  /**
   * Called with the valid messages of each fetched batch (in partition order); the batch's
   * offsets are committed after it resolves. A rejection retries the whole batch with back-off,
   * so handlers must be idempotent (they are: see the catalog's consumers).
   */
  handle: (batch: Delivered<K>[]) => Promise<void>;
  /** Largest batch handed to `handle` (default 500). */
  maxBatch?: number;
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
  /** The batch being handled and committed, which close() lets finish. */
  let inFlight: Promise<void> | undefined;

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
    // The client and its stream report a lost broker as 'error' events, at any moment: while the
    // stream waits for data, but also while a batch is handled or its handler retries with back-off.
    // Listened to for the membership's whole life (an unheard 'error' ends the process); the first
    // one ends this membership, and the supervisor below makes a new one.
    let failure: Error | undefined;
    let stream: (Readable & { close(): Promise<void> }) | undefined;
    const fail = (error: unknown) => {
      if (failure) return;
      failure = error instanceof Error ? error : new Error(String(error));
      void stream?.close().catch(() => {});
    };
    consumer.on('error', fail);
    try {
      stream = (await consumer.consume({
        topics: [options.producer.topicPrefix + spec.name],
        autocommit: false,
        mode: 'committed',
        fallbackMode: 'earliest',
        maxWaitTime: 200,
      })) as unknown as Readable & { close(): Promise<void> };
      stream.on('error', fail);
      current = { consumer, stream };
      for await (const batch of batches<Message<string, string, string, string>>(stream, options.maxBatch ?? 500)) {
        const work = handleAndCommit(batch, () => closing);
        inFlight = work;
        try {
          await work;
        } finally {
          inFlight = undefined;
        }
        if (closing || failure) break;
      }
      if (failure && !closing) throw failure;
    } finally {
      current = undefined;
      await closeNow(consumer);
    }
  };

  /**
   * Hands a fetched batch to the handler, retrying a failing handler (database or broker down)
   * with back-off, never skipping it; then commits its offsets. Stops retrying once the consumer
   * is closing: what was not handled is not committed, and the group's next member gets it.
   */
  const handleAndCommit = async (batch: Message<string, string, string, string>[], isClosing: () => boolean): Promise<void> => {
    const valid: Delivered<K>[] = [];
    for (const raw of batch) {
      const delivered = await parseOrPark(options, spec, raw);
      if (delivered) valid.push(delivered);
    }
    for (let attempt = 0; valid.length > 0; attempt++) {
      try {
        await options.handle(valid);
        break;
      } catch (error) {
        options.onError?.(error);
        if (isClosing()) return;
        await sleep(Math.min(100 * 2 ** attempt, 5_000));
      }
    }
    const lastPerPartition = new Map<number, Message<string, string, string, string>>();
    for (const raw of batch) lastPerPartition.set(raw.partition, raw);
    // One commit request per partition of the batch, sent together.
    await Promise.all([...lastPerPartition.values()].map((raw) => raw.commit()));
  };

  // A lost broker ends the membership; a new one is made with back-off until close(). The
  // process never gives up on its topic (it stays up while Kafka is away and resumes after).
  const supervisor = (async () => {
    for (let failures = 0; !closing;) {
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
      // What was handled is committed before the member leaves: a member that takes over the
      // partitions must not receive it again (a handler still retrying gives up uncommitted).
      await inFlight?.catch(() => {});
      await current?.stream.close().catch(() => {});
      if (current) await closeNow(current.consumer);
      await supervisor.catch(() => {});
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The message as its schema reads it, or undefined after parking it on `<topic>.invalid`. */
async function parseOrPark<K extends TopicKey>(
  options: ConsumeOptions<K>,
  spec: (typeof TOPICS)[K],
  raw: Message<string, string, string, string>,
): Promise<Delivered<K> | undefined> {
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
    return undefined;
  }
  return { message: parsed, traceId, context: contextOfHeaders(raw.headers), key: raw.key, partition: raw.partition, offset: raw.offset };
}

/**
 * The stream's messages in batches: whatever the client has fetched and buffered (up to `max`)
 * is taken at once, so a consumer can write one transaction per batch instead of per message.
 */
async function* batches<T>(stream: Readable, max: number): AsyncGenerator<T[]> {
  // A 'readable' listener must stay attached for the stream's life: when the last one is removed
  // Node sets readableFlowing back to null, and the Kafka client stops fetching ("nobody reads").
  stream.on('readable', () => {});
  for (;;) {
    const batch: T[] = [];
    let item: T | null;
    while (batch.length < max && (item = stream.read() as T | null) !== null) batch.push(item);
    if (batch.length > 0) {
      yield batch;
      continue;
    }
    if (stream.destroyed || stream.readableEnded) return;
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown) => {
        stream.off('readable', onReady).off('end', onReady).off('close', onReady).off('error', settle);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve();
      };
      const onReady = () => settle();
      stream.on('readable', onReady).on('end', onReady).on('close', onReady).on('error', settle);
    });
  }
}
