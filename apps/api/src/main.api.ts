import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { ConfigError, loadConfig } from './config.js';
import { HttpErrorFilter } from './platform/http-error.filter.js';
import { configureBrowserAccess } from './platform/cors.js';
import { BODY_LIMIT_BYTES, configureHttp, frameworkError } from './platform/http.js';
import { PinoNestLogger } from './platform/nest-logger.js';
import { observeHttp } from './platform/observability/http-observability.js';
import { ServiceMetrics } from './platform/observability/service-metrics.js';
import { createLogger, startTracing } from '@orqestra/telemetry';

/** The HTTP API process: the public tenant API, the admin API (operator and tenant realms), the inbox routes and the OpenAPI docs. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, 'orqestra-api');
  const tracing = await startTracing({ serviceName: 'orqestra-api', otlpEndpoint: config.telemetry.otlpEndpoint });
  const metrics = new ServiceMetrics();
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: false, frameworkErrors: frameworkError });
  configureHttp(adapter.getInstance());
  observeHttp(adapter.getInstance(), metrics, { tracing: tracing.enabled });
  adapter
    .getInstance()
    .get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  configureBrowserAccess(adapter.getInstance(), { adminOrigin: config.admin.uiOrigin });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger, metrics), adapter, {
    logger: new PinoNestLogger(logger),
    // Bodies are read as raw bytes by configureHttp (signatures need the exact bytes).
    bodyParser: false,
  });
  app.useGlobalFilters(new HttpErrorFilter(logger));
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  logger.info({ url: `http://${config.http.host}:${config.http.port}` }, 'API listening');
}

void main();
