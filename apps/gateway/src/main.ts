import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { BusProducer, consume, ensureTopicsWhenReachable, LagMeter, type Delivered, type RunningConsumer } from '@orqestra/bus';
import { parseKeyring, SecretBox } from '@orqestra/crypto';
import { createDatabase, pingDatabase } from '@orqestra/db';
import { ConfigError, loadConfig, type Config } from './config.js';
import { gatewayLogger } from './logger.js';
import { BreakerReport } from './dispatch/breaker-report.js';
import { Breakers } from './dispatch/breakers.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import { inMessageContext, traceDispatch } from './dispatch/dispatch-span.js';
import { GatewayMetrics } from './dispatch/metrics.js';
import { ProviderDirectory } from './dispatch/provider-directory.js';
import { SendRateLimiter } from './dispatch/send-rate.store.js';
import { RetryScheduler } from './retry/retry-scheduler.js';
import { Sweeper } from './sweeper/sweeper.js';
import { serviceInfo, startTracing } from '@orqestra/telemetry';

/**
 * The gateway's one composition root (DESIGN.md): everything is built here from the config and
 * handed down through constructors. Consumes notification.dispatch and notification.retry, runs
 * the sweeper, serves /health/live, /health/ready and /metrics.
 */
export async function startGateway(config: Config) {
  const tracing = await startTracing({ serviceName: 'orqestra-gateway', otlpEndpoint: config.telemetry.otlpEndpoint });
  const logger = gatewayLogger(config.logLevel);
  // Topics are created at start-up when missing; a broker that is not up yet is waited for.
  await ensureTopicsWhenReachable(config.kafka, (error, attempt) =>
    logger.warn({ err: error, attempt }, 'Kafka not reachable yet; retrying topic creation'),
  );
  const database = createDatabase(config.database.url, {
    max: config.database.poolMax,
    applicationName: 'orqestra-gateway',
    onError: (error) => logger.warn({ err: error }, 'a database connection failed; the pool replaces it'),
  });
  const redis = new Redis(config.redis.url, { connectionName: 'orqestra-gateway', maxRetriesPerRequest: 1 });
  // No linger: the dispatcher already publishes a batch's retries, and its dead letters, as one request each.
  const producer = new BusProducer({
    brokers: config.kafka.brokers,
    clientId: 'orqestra-gateway',
    topicPrefix: config.kafka.topicPrefix,
    lingerMs: 0,
  });
  const metrics = new GatewayMetrics();
  const providers = new ProviderDirectory(database, new SecretBox(parseKeyring(config.credentials.keys, config.credentials.activeKeyId)), {
    timeoutMs: config.sendTimeoutMs,
    allowPrivateUrls: config.allowPrivateProviderUrls,
    cacheMs: config.providerCacheMs,
    centrifugo: config.centrifugo,
  });
  const breakerReport = new BreakerReport({ redis, metrics, logger });
  breakerReport.start();
  const dispatcher = new Dispatcher({
    database,
    producer,
    providers,
    // A half-open trial that has not reported back within the lease counts as failed.
    breakers: new Breakers({ ...config.breaker, trialTimeoutMs: config.leaseMs }, Date.now, breakerReport.changed),
    sendRate: new SendRateLimiter(redis, config.sendRateMaxWaitMs),
    metrics,
    logger,
    schedule: config.retry,
    leaseMs: config.leaseMs,
    sendTimeoutMs: config.sendTimeoutMs,
    concurrency: config.concurrency,
    tenantInflightCap: config.tenantInflightCap,
  });
  const scheduler = new RetryScheduler<Delivered<'retry'>>(
    (due) =>
      dispatcher
        .dispatchBatch(
          due.map((d) => ({
            message: d.message,
            key: d.key,
            traced: tracing.enabled ? (send) => inMessageContext(true, d, send) : undefined,
          })),
        )
        .then(() => undefined),
    {
      ...config.retryScheduler,
      onError: (error, due) =>
        logger.error(
          { err: error, notificationIds: due.slice(0, 20).map((d) => d.message.notificationId), count: due.length },
          'retries failed; the sweeper will pick them up',
        ),
      onChange: (n) => metrics.scheduledRetries.set(n),
    },
  );
  const consumers: RunningConsumer[] = [
    await consume({
      brokers: config.kafka.brokers,
      clientId: 'orqestra-gateway',
      topic: 'dispatch',
      producer,
      handle: async (batch) =>
        void (await dispatcher.dispatchBatch(
          batch.map((d) => ({
            message: d.message,
            key: d.key,
            traced: tracing.enabled ? (send) => traceDispatch(true, d, send) : undefined,
          })),
        )),
      onInvalid: (info) => logger.warn(info, 'parked an invalid dispatch message'),
      onError: (error) => logger.error({ err: error }, 'dispatch batch failed; retrying'),
    }),
    await consume({
      brokers: config.kafka.brokers,
      clientId: 'orqestra-gateway',
      topic: 'retry',
      producer,
      handle: async (batch) => {
        for (const d of batch) await scheduler.schedule(d);
      },
      onInvalid: (info) => logger.warn(info, 'parked an invalid retry message'),
      onError: (error) => logger.error({ err: error }, 'retry batch failed; retrying'),
    }),
  ];
  const sweeper = new Sweeper({ database, producer, metrics, logger, ...config.sweeper });
  sweeper.start();
  const lagMeter = new LagMeter(config.kafka.brokers, config.kafka.topicPrefix);
  const measureLag = async () => {
    for (const topic of ['dispatch', 'retry'] as const) {
      metrics.consumerLag.set({ topic }, await lagMeter.lag(topic).catch(() => -1));
    }
  };
  void measureLag();
  const lagTimer = setInterval(() => void measureLag(), 15_000);
  const server = await serveHealth(config, { database, redis, producer, metrics });
  logger.info({ port: (server.address() as { port: number }).port }, 'gateway consuming notification.dispatch and notification.retry');
  return {
    port: (server.address() as { port: number }).port,
    async stop() {
      sweeper.stop();
      breakerReport.stop();
      clearInterval(lagTimer);
      await lagMeter.close().catch(() => {});
      for (const c of consumers) await c.close();
      scheduler.stop();
      server.close();
      await producer.close();
      redis.disconnect();
      await database.close();
      await tracing.shutdown();
    },
  };
}

/** This process's name, version (apps/gateway/package.json, the same path from src/ and dist/), Node.js version and start time. */
const SERVICE_INFO = serviceInfo('gateway', new URL('../package.json', import.meta.url));

async function serveHealth(
  config: Config,
  deps: { database: ReturnType<typeof createDatabase>; redis: Redis; producer: BusProducer; metrics: GatewayMetrics },
): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      // With what the console's System page shows of each service (as the API and the worker answer).
      if (request.url === '/health/live') return send(response, 200, { status: 'ok', ...SERVICE_INFO });
      if (request.url === '/health/ready') {
        const checks = {
          postgres: (await pingDatabase(deps.database)) ? 'ok' : 'down',
          redis: await deps.redis.ping().then(
            () => 'ok',
            () => 'down',
          ),
          kafka: await deps.producer.ping().then(
            () => 'ok',
            () => 'down',
          ),
        };
        const ready = Object.values(checks).every((c) => c === 'ok');
        return send(response, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', checks });
      }
      if (request.url === '/metrics') {
        response.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
        return response.end(await deps.metrics.registry.metrics());
      }
      return send(response, 404, { status: 'not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
  return server;
}

function send(response: import('node:http').ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
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
  const gateway = await startGateway(config);
  const stop = () => {
    void gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
