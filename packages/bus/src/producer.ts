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

interface KafkaMessage {
  topic: string;
  key?: string;
  value: string;
  headers: Record<string, string>;
}

/** Publishes waiting for the linger to end, sent together as one produce request. */
interface Lingering {
  messages: KafkaMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Default linger: publishes arriving within 1 ms of the first share its produce request. */
export const DEFAULT_LINGER_MS = 1;
/**
 * A lingering request is sent at once when it reaches this many bytes of values, and a publish
 * that would take it past this starts a new one: well under the broker's default 1 MiB per
 * record batch, so merging never makes a request too large that would have passed alone.
 */
export const MAX_LINGER_BYTES = 512 * 1024;

/**
 * Publishes catalog messages: each is checked against its topic's schema before it leaves the
 * process, keyed by the catalog, and carries the trace id header. Resolves only once the broker
 * acknowledged every message (acks=all).
 *
 * Concurrent publishes share produce requests: a publish waits up to `lingerMs` (default 1 ms)
 * for others, and all that arrived meanwhile go to the broker as one request (one per broker
 * holding their partitions' leaders). Each caller still awaits its own promise: it resolves only
 * when the broker acknowledged the request that carried its messages, and rejects with that
 * request's error otherwise (a request fails or succeeds as a whole, so no caller is told
 * "written" without the broker's ack). A message that fails its schema is its caller's error alone:
 * it is refused before it joins a request. `lingerMs: 0` sends each publish as its own request at
 * once (for a caller that already publishes a whole batch at a time).
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
  private readonly lingerMs: number;
  private readonly timeoutMs: number;
  private lingering: Lingering[] = [];
  private lingeringBytes = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  /** Produce requests not answered yet (close() waits for them). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: {
    brokers: string[];
    clientId: string;
    timeoutMs?: number;
    topicPrefix?: string;
    onProduce?: ProduceObserver;
    lingerMs?: number;
  }) {
    this.topicPrefix = options.topicPrefix ?? '';
    this.observe = options.onProduce;
    this.lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.makeProducer = () =>
      new Producer({
        clientId: options.clientId,
        bootstrapBrokers: options.brokers,
        serializers: stringSerializers,
        idempotent: false,
        acks: -1,
        timeout: this.timeoutMs,
        retries: 2,
      });
    this.producer = this.makeProducer();
  }

  /**
   * One produce request. After a failed send the client is replaced, so that a broker restart
   * never leaves the process with connections that stay broken (observed with the client's own
   * reconnection).
   */
  private async send(messages: KafkaMessage[]): Promise<void> {
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

  /** Joins the lingering request (or sends at once without a linger); settles with the broker's answer to it. */
  private enqueue(messages: KafkaMessage[]): Promise<void> {
    if (this.lingerMs <= 0) return this.tracked(this.send(messages));
    let bytes = 0;
    for (const m of messages) bytes += Buffer.byteLength(m.value) + (m.key?.length ?? 0);
    if (this.lingering.length > 0 && this.lingeringBytes + bytes > MAX_LINGER_BYTES) this.flush();
    return new Promise<void>((resolve, reject) => {
      this.lingering.push({ messages, resolve, reject });
      this.lingeringBytes += bytes;
      if (this.lingeringBytes >= MAX_LINGER_BYTES) this.flush();
      else this.lingerTimer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  /** Sends what lingers as one request and tells each of its callers the outcome. */
  private flush(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const callers = this.lingering;
    this.lingering = [];
    this.lingeringBytes = 0;
    if (callers.length === 0) return;
    const messages = callers.length === 1 ? callers[0]!.messages : callers.flatMap((c) => c.messages);
    void this.tracked(this.send(messages)).then(
      () => {
        for (const c of callers) c.resolve();
      },
      (error: unknown) => {
        for (const c of callers) c.reject(error);
      },
    );
  }

  private tracked(request: Promise<void>): Promise<void> {
    const settled = request.then(
      () => {},
      () => {},
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return request;
  }

  /**
   * Publishes `batch` to the topic; every message is checked against the topic's schema first.
   * `options.validated`: the caller vouches that each message already satisfies that schema — it was
   * built from input it has just validated against a schema at least as strict, plus fields it made
   * itself, and its tests pin that — so it is serialized as it is, without a second zod parse
   * that would copy it (the API's trigger path). Consumers still check every message they read.
   */
  async publish<K extends TopicKey>(topic: K, batch: Outgoing<K>[], options: { validated?: boolean } = {}): Promise<void> {
    if (batch.length === 0) return;
    const spec = TOPICS[topic];
    const values = batch.map(({ message }) => {
      if (options.validated === true) return JSON.stringify(message);
      const parsed = spec.schema.safeParse(message);
      if (!parsed.success) throw new MessageSchemaError(spec.name, parsed.error.issues);
      return JSON.stringify(parsed.data);
    });
    const topicName = this.topicPrefix + spec.name;
    const produce = startProduceSpans(
      topicName,
      batch.map((o) => o.context),
    );
    const messages = batch.map(({ message, traceId }, i) => ({
      topic: topicName,
      key: (spec.key as (m: MessageOf<K>) => string)(message),
      value: values[i]!,
      headers: { ...produce.headers[i], [TRACE_HEADER]: traceId },
    }));
    try {
      await this.enqueue(messages);
      produce.end();
    } catch (error) {
      produce.end(error);
      throw error;
    }
  }

  /** Raw produce (topic name without the prefix), for parking messages that failed their schema. */
  async publishRaw(topicName: string, messages: { key?: string; value: string; headers: Record<string, string> }[]): Promise<void> {
    if (messages.length === 0) return;
    await this.enqueue(messages.map((m) => ({ topic: this.topicPrefix + topicName, ...m })));
  }

  /** Readiness: the broker answers a metadata request. */
  async ping(): Promise<void> {
    await this.producer.metadata({ topics: [] });
  }

  /**
   * Sends what lingers and gives the produce requests in flight up to the request timeout to be
   * answered (a broker that is down does not hold the shutdown longer), then closes the client.
   */
  async close(): Promise<void> {
    this.flush();
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const bounded = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.timeoutMs);
      });
      await Promise.race([Promise.all(this.inFlight), bounded]);
      clearTimeout(timer);
    }
    await this.producer.close();
  }
}
