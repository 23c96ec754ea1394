import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { UsageService } from './usage.service.js';
import { usageQuery, usageRange } from './usage.schemas.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { parseQuery } from '../../platform/query-params.js';

/** /api/v1/tenant/usage: the tenant's delivery counts and rate-limit usage (SPEC §6). */
@Controller('api/v1/tenant/usage')
@UseGuards(AccessGuard)
export class UsageTenantController {
  constructor(
    private readonly usage: UsageService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('tenant:viewer')
  async stats(@Req() request: FastifyRequest, @Query() query: unknown) {
    return { success: true, data: await this.usage.tenantStats(this.actors.of(request), usageRange(parseQuery(query, usageQuery))) };
  }

  @Get('rate-limit')
  @Access('tenant:viewer')
  async rateLimit(@Req() request: FastifyRequest) {
    return { success: true, data: await this.usage.rateLimit(this.actors.of(request)) };
  }
}
