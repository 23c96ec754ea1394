import { Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ApiKeyGuard } from '../../platform/auth/api-key.guard.js';
import { AdmitsSandboxKeys } from '../../platform/auth/sandbox-access.js';
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
// Sandbox keys trigger events and read their status, from their session's address and device (SPEC §7).
@AdmitsSandboxKeys()
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly status: EventStatusService,
  ) {}

  @Post('trigger')
  @HttpCode(200)
  async trigger(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const [body, key] = validated(request, triggerBodySchema);
    const result = await this.events.accept(request.principal!, body, { traceId: request.traceId, idempotencyKey: key });
    void reply.headers(result.headers);
    return result.body;
  }

  @Post('trigger/bulk')
  @HttpCode(200)
  async bulk(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const [body, key] = validated(request, bulkBodySchema);
    const result = await this.events.acceptBulk(request.principal!, body.events, {
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

/** The body and X-Idempotency-Key, with the problems of both reported together (422). */
function validated<S extends z.ZodType>(request: FastifyRequest, schema: S): [z.infer<S>, string | undefined] {
  const header = request.headers['x-idempotency-key'];
  const keyProblem =
    header !== undefined && (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header))
      ? { path: 'X-Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }
      : undefined;
  let body: z.infer<S>;
  try {
    body = parseJsonBody(request, schema);
  } catch (error) {
    if (keyProblem && error instanceof AppError && error.code === 'VALIDATION_FAILED') {
      throw new AppError('VALIDATION_FAILED', { details: [...(error.details ?? []), keyProblem] });
    }
    throw error;
  }
  if (keyProblem) throw new AppError('VALIDATION_FAILED', { details: [keyProblem] });
  return [body, header as string | undefined];
}
