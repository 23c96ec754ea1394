import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { BusProducer } from '@orqestra/bus';
import type { SecretBox } from '@orqestra/crypto';
import type { Database } from '@orqestra/db';
import type { Config } from '../../config.js';
import { CLOCK, CONFIG, DATABASE, PRODUCER, REDIS, SECRET_BOX, type Clock } from '../../platform/tokens.js';
import { SystemOperatorController } from './system.operator.controller.js';
import { SystemProbes } from './system.probes.js';
import { SystemService } from './system.service.js';

@Module({
  controllers: [SystemOperatorController],
  providers: [
    {
      provide: SystemService,
      inject: [CONFIG, DATABASE, REDIS, PRODUCER, SECRET_BOX, CLOCK],
      useFactory: (config: Config, database: Database, redis: Redis, producer: BusProducer, box: SecretBox, clock: Clock) =>
        new SystemService(
          new SystemProbes(database, redis, producer, { url: config.centrifugo.url, apiKey: config.centrifugo.apiKey }),
          {
            services: config.systemProbes,
            apiMetricsUrl: `http://${config.http.host}:${config.http.port}/metrics`,
            activeKeyId: box.activeKeyId,
            retention: {
              automaticPurge: false,
              idempotencyWindowSeconds: config.trigger.idempotencyWindowSeconds,
              sandboxSessionTtlSeconds: config.sandbox.sessionTtlSeconds,
              realtimeTokenTtlSeconds: config.realtime.tokenTtlSeconds,
            },
          },
          clock,
        ),
    },
  ],
})
export class SystemModule {}
