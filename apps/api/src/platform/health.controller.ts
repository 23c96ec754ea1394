import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type { BusProducer } from '@orqestra/bus';
import { pingDatabase, type Database } from '@orqestra/db';
import { serviceInfo } from './build-info.js';
import { DATABASE, PRODUCER, REDIS } from './tokens.js';

/** SPEC §8: live = the process answers (with its version and start time, for the console's System page); ready = PostgreSQL, Redis and Kafka answer. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PRODUCER) private readonly producer: BusProducer,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok', ...serviceInfo('api') };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const checks = {
      postgres: (await pingDatabase(this.database)) ? 'ok' : 'down',
      redis: await this.redis.ping().then(
        () => 'ok',
        () => 'down',
      ),
      kafka: await this.producer.ping().then(
        () => 'ok',
        () => 'down',
      ),
    };
    const ready = Object.values(checks).every((c) => c === 'ok');
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'unavailable', checks };
  }
}
