import { ensureTopics } from '@orqestra/bus';
import { migrateToLatest } from '@orqestra/db';
import { stackEnv } from './stack-env.js';

/**
 * Runs once before the integration suites: migrates the test database and creates the topics.
 * The stack itself is started by `npm test` (infra/test.sh), not here.
 */
export default async function setup(): Promise<void> {
  const env = stackEnv();
  await migrateToLatest(env.databaseOwnerUrl);
  await migrateToLatest(env.gatewayDatabaseOwnerUrl);
  await ensureTopics({ brokers: env.kafkaBrokers, partitions: env.kafkaTopicPartitions, replicas: 1, topicPrefix: env.kafkaTopicPrefix });
}
