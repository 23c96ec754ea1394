import 'reflect-metadata';
import { BusProducer, consume, ensureTopicsWhenReachable } from '@orqestra/bus';
import { createDatabase } from '@orqestra/db';
import { ConfigError, loadConfig, type Config } from './config.js';
import { storeDeadLetters } from './features/dlq/dead-letter.store.js';
import { Orchestrator } from './features/orchestration/orchestrator.service.js';
import { TemplateRenderer } from './features/templates/engine/template.renderer.js';
import { createLogger } from './platform/logger.js';
import { logContext } from './platform/request-context.js';

/**
 * The event worker (SPEC §3 step 2): consumer group on tenant.event.received. Per event, one
 * transaction writes the event and its notification logs; the dispatches are published after the
 * commit and the offset is committed after that. Built by hand: a consumer loop needs no DI.
 */
export async function startWorker(config: Config) {
  const logger = createLogger(config.logLevel, 'orqestra-worker');
  // Topics are created at start-up when missing; a broker that is not up yet is waited for.
  await ensureTopicsWhenReachable(config.kafka, (error, attempt) => logger.warn({ err: error, attempt }, 'Kafka not reachable yet; retrying topic creation'));
  const database = createDatabase(config.database.url, {
    max: config.database.poolMax,
    applicationName: 'orqestra-worker',
    onError: (error) => logger.warn({ err: error }, 'a database connection failed; the pool replaces it'),
  });
  const producer = new BusProducer({ brokers: config.kafka.brokers, clientId: 'orqestra-worker', topicPrefix: config.kafka.topicPrefix });
  const orchestrator = new Orchestrator(database, new TemplateRenderer());
  const running = await consume({
    brokers: config.kafka.brokers,
    clientId: 'orqestra-worker',
    topic: 'eventReceived',
    producer,
    handle: async (batch) => {
      const result = await orchestrator.processBatch(
        batch.map((d) => d.message),
        (event, error) =>
          logContext.run({ traceId: event.traceId, tenantId: event.tenantId, eventId: event.eventId }, () =>
            logger.error({ err: error }, 'event rejected: it cannot be processed (integrity error); skipped'),
          ),
      );
      await producer.publish('dispatch', result.dispatches);
      logger.info({ events: batch.length, ...result.outcomes, dispatched: result.dispatches.length }, 'batch orchestrated');
    },
    onInvalid: (info) => logger.warn(info, 'parked an invalid event message'),
    onError: (error) => logger.error({ err: error }, 'event handling failed; retrying'),
  });
  // SPEC §3 step 4: dead letters from the gateway, stored for inspection and replay.
  const deadLetters = await consume({
    brokers: config.kafka.brokers,
    clientId: 'orqestra-worker',
    topic: 'dlq',
    producer,
    handle: async (batch) => {
      await storeDeadLetters(
        database,
        batch.map((d) => d.message),
        (letter, error) => logger.error({ err: error, notificationId: letter.notificationId, tenantId: letter.tenantId }, 'dead letter rejected: it cannot be stored; skipped'),
      );
      logger.info({ deadLetters: batch.length }, 'dead letters stored');
    },
    onInvalid: (info) => logger.warn(info, 'parked an invalid dead letter'),
    onError: (error) => logger.error({ err: error }, 'storing dead letters failed; retrying'),
  });
  logger.info('worker consuming tenant.event.received and notification.dlq');
  return {
    async stop() {
      await deadLetters.close();
      await running.close();
      await producer.close();
      await database.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const worker = await startWorker(config).catch((error: unknown) => {
    process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  const stop = () => {
    void worker.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
