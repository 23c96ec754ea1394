import { Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyGuard } from '../../platform/auth/api-key.guard.js';
import { AdmitsSandboxKeys } from '../../platform/auth/sandbox-access.js';
import { createHash } from 'node:crypto';
import { bulkBodySchema } from './event.schemas.js';
import { canonicalJson } from './canonical-json.js';
import { TriggerService } from './trigger.service.js';
import { EventStatusService } from './event-status.service.js';
import { validated } from './trigger-request.js';

/**
 * The event routes served through Nest. The single trigger (POST /api/v1/events/trigger) is not
 * here: it is the hot path and is a plain Fastify route with the same checks (trigger.route.ts).
 */
@Controller('api/v1/events')
@UseGuards(ApiKeyGuard)
// Sandbox keys trigger events and read their status, from their session's address and device (SPEC §7).
@AdmitsSandboxKeys()
export class EventController {
  constructor(
    private readonly trigger: TriggerService,
    private readonly status: EventStatusService,
  ) {}

  @Post('trigger/bulk')
  @HttpCode(200)
  async bulk(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const [body, key] = validated(request, bulkBodySchema);
    const result = await this.trigger.acceptBulk(request.principal!, body.events, {
      traceId: request.traceId,
      idempotencyKey: key,
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
