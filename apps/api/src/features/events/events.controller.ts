import { Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyGuard } from '../../platform/auth/api-key.guard.js';
import { AppError } from '../../platform/errors.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { createHash } from 'node:crypto';
import { bulkBodySchema, triggerBodySchema } from './event.schemas.js';
import { canonicalJson } from './canonical-json.js';
import { EventsService } from './events.service.js';
import { EventStatusService } from './event-status.service.js';

/** 1-255 printable ASCII characters (SPEC §2.1). */
const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/;

@Controller('api/v1/events')
@UseGuards(ApiKeyGuard)
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly status: EventStatusService,
  ) {}

  @Post('trigger')
  @HttpCode(200)
  async trigger(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = parseJsonBody(request, triggerBodySchema);
    const result = await this.events.accept(request.principal!, body, {
      traceId: request.traceId,
      idempotencyKey: idempotencyKey(request.headers['x-idempotency-key']),
    });
    void reply.headers(result.headers);
    return result.body;
  }

  @Post('trigger/bulk')
  @HttpCode(200)
  async bulk(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = parseJsonBody(request, bulkBodySchema);
    const result = await this.events.acceptBulk(request.principal!, body.events, {
      traceId: request.traceId,
      idempotencyKey: idempotencyKey(request.headers['x-idempotency-key']),
      bodyHash: createHash('sha256').update(canonicalJson(body)).digest('hex'),
    });
    void reply.headers(result.headers);
    return result.body;
  }

  @Get(':eventId')
  async get(@Req() request: FastifyRequest, @Param('eventId') eventId: string) {
    return this.status.get(request.principal!, eventId, request.traceId);
  }
}

function idempotencyKey(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'X-Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }] });
  }
  return header;
}
