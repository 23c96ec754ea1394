import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { CONFIG, REDIS } from '../../platform/tokens.js';
import { EventStatusService } from './event-status.service.js';
import { EventsController } from './events.controller.js';
import { EventsService, TRIGGER_GATE } from './events.service.js';
import { TriggerGate } from './trigger-gate.js';

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
export class EventsModule {}
