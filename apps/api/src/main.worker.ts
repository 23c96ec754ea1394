import 'reflect-metadata';
import { BusProducer, consume, ensureTopicsWhenReachable, LagMeter } from '@orqestra/bus';
import { TOPICS } from '@orqestra/contracts';
import { createDatabase, pingDatabase } from '@orqestra/db';
import { createLogger, logContext, startTracing } from '@orqestra/telemetry';
import { ConfigError, loadConfig, type Config } from './config.js';
import { storeDeadLetters } from './features/deliveries/dead-letter.repository.js';
import { OrchestratorService } from './features/events/orchestrator.service.js';
import { startEventSpans } from './platform/observability/event-spans.js';
import { MeasuredRenderer } from './features/events/measured-renderer.js';
import { serveOps } from './platform/observability/ops-server.js';
import { ServiceMetrics } from './platform/observability/service-metrics.js';
import { serviceInfo } from './platform/build-info.js';

/**
 * The event worker (SPEC §3 step 2): consumer group on tenant.event.received. Per tenant of a
 * fetched batch, one transaction writes its events and their notification logs, a few statements
 * for the whole group (orchestrator.service.ts); the batch's dispatches are published after the
 * commits, in one publish, and the offset is committed after that. Built by hand: a consumer loop
 * needs no DI.
 * Serves /health/live, /health/ready and /metrics on WORKER_HOST:WORKER_PORT (docs/observability.md).
 */
export async function startWorker(config: Config) {
  const logger = createLogger(config.logLevel, 'orqestra-worker');
  const tracing = await startTracing({ serviceName: 'orqestra-worker', otlpEndpoint: config.telemetry.otlpEndpoint });
  const metrics = new ServiceMetrics();
  // Topics are created at start-up when missing; a broker that is not up yet is waited for.
  await ensureTopicsWhenReachable(config.kafka, (error, attempt) =>
    logger.warn({ err: error, attempt }, 'Kafka not reachable yet; retrying topic creation'),
  );
  const database = createDatabase(config.database.url, {
    max: config.database.poolMax,
    applicationName: 'orqestra-worker',
    onError: (error) => logger.warn({ err: error }, 'a database connection failed; the pool replaces it'),
  });
  metrics.watchPool(database.pool);
  // The dispatches of a fetched batch leave in one publish, i.e. one produce request (per broker);
  // nothing else publishes concurrently, so a linger would only delay them (lingerMs: 0).
  const producer = new BusProducer({
    brokers: config.kafka.brokers,
    clientId: 'orqestra-worker',
    topicPrefix: config.kafka.topicPrefix,
    onProduce: metrics.observeProduce,
    lingerMs: 0,
  });
  const orchestrator = new OrchestratorService(database, new MeasuredRenderer(metrics.renderDuration));
  const running = await consume({
    brokers: config.kafka.brokers,
    clientId: 'orqestra-worker',
    topic: 'eventReceived',
    producer,
    handle: async (batch) => {
      metrics.batchSize.observe({ topic: TOPICS.eventReceived.name }, batch.length);
      const spans = startEventSpans(batch, tracing.enabled);
      let result;
      try {
        result = await orchestrator.processBatch(
          batch.map((d) => d.message),
          (event, error) =>
            logContext.run({ traceId: event.traceId, tenantId: event.tenantId, eventId: event.eventId }, () =>
              logger.error({ err: error }, 'event rejected: it cannot be processed (integrity error); skipped'),
            ),
        );
        await producer.publish('dispatch', spans.carry(result.dispatches));
        spans.end();
      } catch (error) {
        spans.end(error);
        throw error;
      }
      for (const [outcome, count] of Object.entries(result.outcomes)) if (count > 0) metrics.orchestrated.inc({ outcome }, count);
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
      metrics.batchSize.observe({ topic: TOPICS.dlq.name }, batch.length);
      await storeDeadLetters(
        database,
        batch.map((d) => d.message),
        (letter, error) =>
          logger.error(
            { err: error, notificationId: letter.notificationId, tenantId: letter.tenantId },
            'dead letter rejected: it cannot be stored; skipped',
          ),
      );
      logger.info({ deadLetters: batch.length }, 'dead letters stored');
    },
    onInvalid: (info) => logger.warn(info, 'parked an invalid dead letter'),
    onError: (error) => logger.error({ err: error }, 'storing dead letters failed; retrying'),
  });
  const lagMeter = new LagMeter(config.kafka.brokers, config.kafka.topicPrefix);
  const measureLag = async () => {
    for (const topic of ['eventReceived', 'dlq'] as const)
      metrics.consumerLag.set({ topic: TOPICS[topic].name }, await lagMeter.lag(topic).catch(() => -1));
  };
  void measureLag();
  const lagTimer = setInterval(() => void measureLag(), 15_000);
  const ops = await serveOps(config.worker, {
    registry: metrics.registry,
    info: serviceInfo('worker'),
    ready: async () => ({
      postgres: (await pingDatabase(database)) ? ('ok' as const) : ('down' as const),
      kafka: await producer.ping().then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
    }),
  }).catch((error: unknown) => {
    // Consuming matters more than being observed: a busy port is reported, and the worker works on.
    logger.error({ err: error, port: config.worker.port }, 'worker health/metrics endpoint could not listen; consuming without it');
    return undefined;
  });
  const address = ops?.address();
  logger.info(
    { port: typeof address === 'object' && address ? address.port : undefined },
    'worker consuming tenant.event.received and notification.dlq',
  );
  return {
    async stop() {
      clearInterval(lagTimer);
      ops?.close();
      await deadLetters.close();
      await running.close();
      await lagMeter.close().catch(() => {});
      await producer.close();
      await database.close();
      await tracing.shutdown();
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
    void worker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
