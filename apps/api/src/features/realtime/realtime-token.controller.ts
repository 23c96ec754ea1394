import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiKeyGuard } from '../../platform/auth/api-key.guard.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { RealtimeTokenService } from './realtime-token.service.js';
import { realtimeTokenBodySchema } from './realtime-token.schemas.js';

/** POST /api/v1/auth/realtime-token (SPEC §2.4): called by the tenant's backend, never by browsers directly. */
@Controller('api/v1/auth')
@UseGuards(ApiKeyGuard)
export class RealtimeTokenController {
  constructor(private readonly tokens: RealtimeTokenService) {}

  @Post('realtime-token')
  @HttpCode(200)
  async token(@Req() request: FastifyRequest) {
    const body = parseJsonBody(request, realtimeTokenBodySchema);
    return this.tokens.mint(request.principal!, body.userId, body.ttlSeconds);
  }
}
