import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Access, AdminGuard } from '../../platform/auth/admin-access.js';
import { UsageService } from './usage.service.js';
import { AdminActors } from '../../platform/auth/admin-context.js';
import { parseQuery, timeRange, timeRangeQuery } from '../../platform/admin-query.js';

export const usageQuery = z.object({ ...timeRangeQuery, granularity: z.enum(['hour', 'day']).default('hour') });

const range = (q: z.infer<typeof usageQuery>) => ({ granularity: q.granularity, ...timeRange(q) });

/** /api/v1/tenant/usage: the tenant's delivery counts and rate-limit usage (SPEC §6). */
@Controller('api/v1/tenant/usage')
@UseGuards(AdminGuard)
export class TenantUsageController {
  constructor(
    private readonly usage: UsageService,
    private readonly actors: AdminActors,
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
@UseGuards(AdminGuard)
export class PlatformStatsController {
  constructor(
    private readonly usage: UsageService,
    private readonly actors: AdminActors,
  ) {}

  @Get()
  @Access('operator')
  async stats(@Req() request: FastifyRequest, @Query() query: unknown) {
    return { success: true, data: await this.usage.platformStats(this.actors.of(request), range(parseQuery(query, usageQuery))) };
  }
}
