import type { z } from 'zod';
import { deadLetterSchema, dispatchSchema, eventReceivedSchema, retrySchema } from './messages.js';

/**
 * The topic catalog: topic → message schema → consumer group. Producers and consumers import the
 * same entry, so a message that crosses a process is checked against one schema on both sides.
 */
export interface TopicSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  /** Consumer group of the process that consumes the topic. */
  group: string;
  /** Message key: `${tenantId}:${userId}`, per-recipient order within a tenant. */
  key: (message: z.infer<S>) => string;
  description: string;
}

function topic<S extends z.ZodType>(spec: TopicSpec<S>): TopicSpec<S> {
  return spec;
}

export const TOPICS = {
  eventReceived: topic({
    name: 'tenant.event.received',
    schema: eventReceivedSchema,
    group: 'orqestra-worker',
    key: (m) => messageKey(m.tenantId, m.payload.userId),
    description: 'API → worker: an accepted event, to be matched with templates and rendered',
  }),
  dispatch: topic({
    name: 'notification.dispatch',
    schema: dispatchSchema,
    group: 'orqestra-gateway',
    key: (m) => messageKey(m.tenantId, m.recipient.userId),
    description: 'worker/API/sweeper → gateway: one rendered notification for one channel',
  }),
  retry: topic({
    name: 'notification.retry',
    schema: retrySchema,
    group: 'orqestra-gateway-retry',
    key: (m) => messageKey(m.tenantId, m.recipient.userId),
    description: 'gateway → gateway: a dispatch to try again at dueAt',
  }),
  dlq: topic({
    name: 'notification.dlq',
    schema: deadLetterSchema,
    group: 'orqestra-worker-dlq',
    key: (m) => messageKey(m.tenantId, m.recipient.userId),
    description: 'gateway → worker: a notification that failed for good, with every attempt',
  }),
} as const;

export type TopicKey = keyof typeof TOPICS;
export type MessageOf<K extends TopicKey> = z.infer<(typeof TOPICS)[K]['schema']>;

/** Messages that fail their schema are parked here instead of blocking their partition. */
export function invalidTopicName(topicName: string): string {
  return `${topicName}.invalid`;
}

/** Every topic the stack needs, parking topics included (created at start-up when missing). */
export function allTopicNames(): string[] {
  return Object.values(TOPICS).flatMap((spec) => [spec.name, invalidTopicName(spec.name)]);
}

/** Header that carries the trace id on every message. */
export const TRACE_HEADER = 'x-trace-id';

/** Messages are keyed `${tenantId}:${userId}`: per-recipient order within a tenant. */
export function messageKey(tenantId: string, userId: string): string {
  return `${tenantId}:${userId}`;
}
