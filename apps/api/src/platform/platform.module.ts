import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BusProducer } from '@orqestra/bus';
import { parseKeyring, SecretBox } from '@orqestra/crypto';
import { createDatabase, type Database } from '@orqestra/db';
import type { Config } from '../config.js';
import { AccessGuard, AccessTokens } from './auth/access.js';
import { RequestActors } from './auth/actor.js';
import { AccessDenyList } from './auth/access-deny-list.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiKeyResolver } from './auth/api-key.resolver.js';
import { SignatureVerifier } from './auth/signature.js';
import { HealthController } from './health.controller.js';
import { InputTextInterceptor } from './input-text.interceptor.js';
import { DocsController } from './openapi/docs.controller.js';
import { CLOCK, CONFIG, DATABASE, OPENAPI_DOCUMENT, PRODUCER, REDIS, SECRET_BOX, systemClock, type Clock } from './tokens.js';
import type { ServiceMetrics } from './observability/service-metrics.js';

export const LOGGER = Symbol('LOGGER');
const REDIS_SUBSCRIBER = Symbol('REDIS_SUBSCRIBER');

/**
 * Redis for request paths: fail fast (no offline queue, bounded command time) so the API can answer
 * 503. Auto-pipelining: commands issued by concurrent requests in the same turn of the event loop
 * (and while a previous pipeline is being answered) leave in one write and come back in one read,
 * so the trigger path's two scripts per request share system calls with their neighbours'.
 */
export function createRedis(config: Config, name: string): Redis {
  return new Redis(config.redis.url, {
    connectionName: name,
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    commandTimeout: config.redisCommandTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
}

/** Connections and shared services of an API process, built once from the parsed config. */
@Global()
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  /**
   * `openApiDocument`: the document the features' registrars built (GET /api/docs.json);
   * `metrics` (the process's Prometheus registry) also watches the pool and the producer.
   */
  static forRoot(config: Config, logger: Logger, openApiDocument: object, metrics?: ServiceMetrics): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController, DocsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: OPENAPI_DOCUMENT, useValue: openApiDocument },
        // Every route: NUL and unpaired surrogates in query strings and path parameters are 422.
        { provide: APP_INTERCEPTOR, useClass: InputTextInterceptor },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: systemClock },
        {
          provide: DATABASE,
          useFactory: () => {
            const database = createDatabase(config.database.url, {
              max: config.database.poolMax,
              applicationName: 'orqestra-api',
              onError: (error) => logger.warn({ err: error }, 'a database connection failed; the pool replaces it'),
            });
            metrics?.watchPool(database.pool);
            return database;
          },
        },
        { provide: REDIS, useFactory: () => createRedis(config, 'orqestra-api') },
        {
          provide: REDIS_SUBSCRIBER,
          useFactory: () =>
            new Redis(config.redis.url, { connectionName: 'orqestra-api-sub', retryStrategy: (n) => Math.min(n * 100, 2_000) }),
        },
        {
          provide: PRODUCER,
          useFactory: () =>
            new BusProducer({
              brokers: config.kafka.brokers,
              clientId: 'orqestra-api',
              timeoutMs: config.trigger.publishTimeoutMs,
              topicPrefix: config.kafka.topicPrefix,
              onProduce: metrics?.observeProduce,
            }),
        },
        { provide: SECRET_BOX, useFactory: () => new SecretBox(parseKeyring(config.credentials.keys, config.credentials.activeKeyId)) },
        {
          provide: ApiKeyResolver,
          inject: [DATABASE, CLOCK, REDIS_SUBSCRIBER],
          useFactory: (database: Database, clock: Clock, subscriber: Redis) => {
            const resolver = new ApiKeyResolver(database, clock, config.trigger.apiKeyCacheSeconds);
            resolver.subscribe(subscriber, logger);
            return resolver;
          },
        },
        { provide: SignatureVerifier, inject: [SECRET_BOX], useFactory: (box: SecretBox) => new SignatureVerifier(box) },
        ApiKeyGuard,
        AccessTokens,
        AccessDenyList,
        AccessGuard,
        RequestActors,
      ],
      exports: [
        CONFIG,
        LOGGER,
        CLOCK,
        DATABASE,
        REDIS,
        PRODUCER,
        SECRET_BOX,
        ApiKeyResolver,
        SignatureVerifier,
        ApiKeyGuard,
        AccessTokens,
        AccessDenyList,
        AccessGuard,
        RequestActors,
      ],
    };
  }

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    @Inject(PRODUCER) private readonly producer: BusProducer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close().catch(() => {});
    this.subscriber.disconnect();
    this.redis.disconnect();
    await this.database.close();
  }
}
