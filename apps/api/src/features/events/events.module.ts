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
import { EventsController } from './events.controller.js';
import { EventsService, TRIGGER_GATE } from './events.service.js';
import { TriggerGate } from './trigger-gate.js';
import { registerTriggerRoute } from './trigger.route.js';

@Module({
  controllers: [EventsController],
  providers: [
    EventsService,
    EventStatusService,
    {
      provide: TRIGGER_GATE,
      inject: [REDIS, CONFIG],
      useFactory: (redis: Redis, config: Config) =>
        new TriggerGate(redis, { windowSeconds: config.trigger.idempotencyWindowSeconds, reservationSeconds: config.trigger.reservationSeconds }),
    },
  ],
})
export class EventsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly guard: ApiKeyGuard,
    private readonly events: EventsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The single trigger is a plain Fastify route (trigger.route.ts), registered with the controllers' routes. */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    registerTriggerRoute(adapter.getInstance<FastifyInstance>(), { guard: this.guard, events: this.events, logger: this.logger });
  }
}
