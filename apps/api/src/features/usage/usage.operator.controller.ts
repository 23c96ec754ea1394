import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { UsageService } from './usage.service.js';
import { usageQuery, usageRange } from './usage.schemas.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { parseQuery } from '../../platform/query-params.js';

/** /api/v1/admin/stats: the platform's figures across tenants (operators). */
@Controller('api/v1/admin/stats')
@UseGuards(AccessGuard)
export class UsageOperatorController {
  constructor(
    private readonly usage: UsageService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('operator')
  async stats(@Req() request: FastifyRequest, @Query() query: unknown) {
    return { success: true, data: await this.usage.platformStats(this.actors.of(request), usageRange(parseQuery(query, usageQuery))) };
  }
}
