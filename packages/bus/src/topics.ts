import { Admin } from '@platformatic/kafka';
import { allTopicNames } from '@orqestra/contracts';

export interface TopicSettings {
  brokers: string[];
  /** Partitions for topics created here (at least 2, so per-key parallelism is exercised). */
  partitions: number;
  /** 1 on the single local broker; 3 in production (with min.insync.replicas=2). */
  replicas: number;
  /** Prepended to every topic name (see BusProducer.topicPrefix). */
  topicPrefix?: string;
}

/**
 * Creates every topic of the catalog (and its `.invalid` parking topic) that does not exist yet.
 * Safe to call from several processes at once: "already exists" is success.
 */
export async function ensureTopics(settings: TopicSettings): Promise<{ created: string[] }> {
  const admin = new Admin({ clientId: 'orqestra-topics', bootstrapBrokers: settings.brokers });
  try {
    const existing = new Set(await admin.listTopics());
    const missing = allTopicNames()
      .map((name) => (settings.topicPrefix ?? '') + name)
      .filter((name) => !existing.has(name));
    const created: string[] = [];
    for (const name of missing) {
      try {
        await admin.createTopics({ topics: [name], partitions: settings.partitions, replicas: settings.replicas });
        created.push(name);
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
      }
    }
    return { created };
  } finally {
    await admin.close();
  }
}

function isAlreadyExists(error: unknown): boolean {
  const text = JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})) + String(error);
  return /TOPIC_ALREADY_EXISTS|already exists/i.test(text);
}

/**
 * ensureTopics for a service starting up: a broker that is not reachable yet is waited for, with
 * back-off (the service comes up once Kafka does, instead of crashing).
 */
export async function ensureTopicsWhenReachable(
  settings: TopicSettings,
  onRetry: (error: unknown, attempt: number) => void,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureTopics(settings);
      return;
    } catch (error) {
      onRetry(error, attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
    }
  }
}
