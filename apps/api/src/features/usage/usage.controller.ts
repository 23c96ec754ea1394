import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { UsageService } from './usage.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { parseQuery, timeRange, timeRangeQuery } from '../../platform/query-params.js';

export const usageQuery = z.object({ ...timeRangeQuery, granularity: z.enum(['hour', 'day']).default('hour') });

const range = (q: z.infer<typeof usageQuery>) => ({ granularity: q.granularity, ...timeRange(q) });

/** /api/v1/tenant/usage: the tenant's delivery counts and rate-limit usage (SPEC §6). */
@Controller('api/v1/tenant/usage')
@UseGuards(AccessGuard)
export class TenantUsageController {
  constructor(
    private readonly usage: UsageService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('tenant:viewer')
  async stats(@Req() request: FastifyRequest, @Query() query: unknown) {
    return { success: true, data: await this.usage.tenantStats(this.actors.of(request), range(parseQuery(query, usageQuery))) };
  }

  @Get('rate-limit')
  @Access('tenant:viewer')
  async rateLimit(@Req() request: FastifyRequest) {
    return { success: true, data: await this.usage.rateLimit(this.actors.of(request)) };
  }
}

/** /api/v1/admin/stats: the platform's figures across tenants (operators). */
@Controller('api/v1/admin/stats')
@UseGuards(AccessGuard)
export class PlatformStatsController {
  constructor(
    private readonly usage: UsageService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('operator')
  async stats(@Req() request: FastifyRequest, @Query() query: unknown) {
    return { success: true, data: await this.usage.platformStats(this.actors.of(request), range(parseQuery(query, usageQuery))) };
  }
}
