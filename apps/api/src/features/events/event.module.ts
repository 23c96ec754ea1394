import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { ApiKeyGuard } from '../../platform/auth/api-key.guard.js';
import { LOGGER } from '../../platform/platform.module.js';
import { CONFIG, REDIS } from '../../platform/tokens.js';
import { EventStatusService } from './event-status.service.js';
import { EventController } from './event.controller.js';
import { TriggerService, TRIGGER_GATE } from './trigger.service.js';
import { TriggerGateStore } from './trigger-gate.store.js';
import { registerTriggerRoute } from './trigger.route.js';

@Module({
  controllers: [EventController],
  providers: [
    TriggerService,
    EventStatusService,
    {
      provide: TRIGGER_GATE,
      inject: [REDIS, CONFIG],
      useFactory: (redis: Redis, config: Config) =>
        new TriggerGateStore(redis, {
          windowSeconds: config.trigger.idempotencyWindowSeconds,
          reservationSeconds: config.trigger.reservationSeconds,
        }),
    },
  ],
})
export class EventModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly guard: ApiKeyGuard,
    private readonly trigger: TriggerService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The single trigger is a plain Fastify route (trigger.route.ts), registered with the controllers' routes. */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    registerTriggerRoute(adapter.getInstance<FastifyInstance>(), { guard: this.guard, trigger: this.trigger, logger: this.logger });
  }
}
