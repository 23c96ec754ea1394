import { Producer, stringSerializers } from '@platformatic/kafka';
import { TOPICS, TRACE_HEADER, type MessageOf, type TopicKey } from '@orqestra/contracts';
import { closeNow } from './close.js';
import { MessageSchemaError } from './errors.js';
import { startProduceSpans, type Context } from './trace-context.js';

export interface Outgoing<K extends TopicKey> {
  message: MessageOf<K>;
  traceId: string;
  /** The span the message continues (traceparent header); default the active context. */
  context?: Context;
}

/** Told about every produce request: its topic, size, duration and whether it failed (metrics). */
export type ProduceObserver = (topic: string, messages: number, seconds: number, failed: boolean) => void;

/**
 * Publishes catalog messages: each is checked against its topic's schema before it leaves the
 * process, keyed by the catalog, and carries the trace id header. Resolves only once the broker
 * acknowledged every message (acks=all).
 *
 * The producer is deliberately NOT idempotent: @platformatic/kafka 1.x acknowledges concurrent
 * send() calls of an idempotent producer while writing only one of them (measured: 200 concurrent
 * sends → 200 acks, 1 record; docs/decisions/0001-kafka-client.md). A retried produce may therefore
 * write a message twice; every consumer is idempotent on the message's identity (eventId,
 * notificationId + attemptSeries), so a duplicate is harmless while a lost message is not.
 */
export class BusProducer {
  private producer: Producer<string, string, string, string>;
  private readonly makeProducer: () => Producer<string, string, string, string>;

  /** Prepended to every topic name: lets several environments (dev, tests) share one broker. */
  readonly topicPrefix: string;

  private readonly observe: ProduceObserver | undefined;

  constructor(options: { brokers: string[]; clientId: string; timeoutMs?: number; topicPrefix?: string; onProduce?: ProduceObserver }) {
    this.topicPrefix = options.topicPrefix ?? '';
    this.observe = options.onProduce;
    this.makeProducer = () =>
      new Producer({
        clientId: options.clientId,
        bootstrapBrokers: options.brokers,
        serializers: stringSerializers,
        idempotent: false,
        acks: -1,
        timeout: options.timeoutMs ?? 5_000,
        retries: 2,
      });
    this.producer = this.makeProducer();
  }

  /**
   * After a failed send the client is replaced, so that a broker restart never leaves the process
   * with connections that stay broken (observed with the client's own reconnection).
   */
  private async send(messages: { topic: string; key?: string; value: string; headers: Record<string, string> }[]): Promise<void> {
    const producer = this.producer;
    const started = this.observe ? process.hrtime.bigint() : 0n;
    try {
      await producer.send({ messages });
      this.observe?.(messages[0]?.topic ?? '', messages.length, Number(process.hrtime.bigint() - started) / 1e9, false);
    } catch (error) {
      this.observe?.(messages[0]?.topic ?? '', messages.length, Number(process.hrtime.bigint() - started) / 1e9, true);
      if (this.producer === producer) {
        this.producer = this.makeProducer();
        void closeNow(producer);
      }
      throw error;
    }
  }

  async publish<K extends TopicKey>(topic: K, batch: Outgoing<K>[]): Promise<void> {
    if (batch.length === 0) return;
    const spec = TOPICS[topic];
    const values = batch.map(({ message }) => {
      const parsed = spec.schema.safeParse(message);
      if (!parsed.success) throw new MessageSchemaError(spec.name, parsed.error.issues);
      return JSON.stringify(parsed.data);
    });
    const topicName = this.topicPrefix + spec.name;
    const produce = startProduceSpans(topicName, batch.map((o) => o.context));
    const messages = batch.map(({ message, traceId }, i) => ({
      topic: topicName,
      key: (spec.key as (m: MessageOf<K>) => string)(message),
      value: values[i]!,
      headers: { ...produce.headers[i], [TRACE_HEADER]: traceId },
    }));
    try {
      await this.send(messages);
      produce.end();
    } catch (error) {
      produce.end(error);
      throw error;
    }
  }

  /** Raw produce (topic name without the prefix), for parking messages that failed their schema. */
  async publishRaw(topicName: string, messages: { key?: string; value: string; headers: Record<string, string> }[]): Promise<void> {
    await this.send(messages.map((m) => ({ topic: this.topicPrefix + topicName, ...m })));
  }

  /** Readiness: the broker answers a metadata request. */
  async ping(): Promise<void> {
    await this.producer.metadata({ topics: [] });
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
