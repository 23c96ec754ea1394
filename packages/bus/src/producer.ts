import { Producer, stringSerializers } from '@platformatic/kafka';
import { TOPICS, TRACE_HEADER, type MessageOf, type TopicKey } from '@orqestra/contracts';
import { MessageSchemaError } from './errors.js';

export interface Outgoing<K extends TopicKey> {
  message: MessageOf<K>;
  traceId: string;
}

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
  private readonly producer: Producer<string, string, string, string>;

  constructor(options: { brokers: string[]; clientId: string; timeoutMs?: number }) {
    this.producer = new Producer({
      clientId: options.clientId,
      bootstrapBrokers: options.brokers,
      serializers: stringSerializers,
      idempotent: false,
      acks: -1,
      timeout: options.timeoutMs ?? 5_000,
      retries: 2,
    });
  }

  async publish<K extends TopicKey>(topic: K, batch: Outgoing<K>[]): Promise<void> {
    if (batch.length === 0) return;
    const spec = TOPICS[topic];
    const messages = batch.map(({ message, traceId }) => {
      const parsed = spec.schema.safeParse(message);
      if (!parsed.success) throw new MessageSchemaError(spec.name, parsed.error.issues);
      return {
        topic: spec.name,
        key: (spec.key as (m: MessageOf<K>) => string)(message),
        value: JSON.stringify(parsed.data),
        headers: { [TRACE_HEADER]: traceId },
      };
    });
    await this.producer.send({ messages });
  }

  /** Raw produce, for parking messages that failed their schema. */
  async publishRaw(topicName: string, messages: { key?: string; value: string; headers: Record<string, string> }[]): Promise<void> {
    await this.producer.send({ messages: messages.map((m) => ({ topic: topicName, ...m })) });
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
