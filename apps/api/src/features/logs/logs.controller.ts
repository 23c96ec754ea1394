import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AdminGuard } from '../../platform/auth/admin-access.js';
import { eventQuery, eventsQuery, logsQuery, operatorLogsQuery } from './logs.schemas.js';
import { LogsService } from './logs.service.js';
import { AdminActors } from '../../platform/auth/admin-context.js';
import { idParam, paginated, parseQuery, timeRange } from '../../platform/admin-query.js';

/** /api/v1/tenant/logs and /api/v1/tenant/events: the tenant's deliveries (SPEC §6). */
@Controller('api/v1/tenant')
@UseGuards(AdminGuard)
export class TenantLogsController {
  constructor(
    private readonly logs: LogsService,
    private readonly actors: AdminActors,
  ) {}

  @Get('logs')
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const { cursor, limit, from, to, ...filter } = parseQuery(query, logsQuery);
    return this.logs.tenantLogs(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, { limit, ...(cursor ? { cursor } : {}) });
  }

  @Get('logs/:id')
  @Access('tenant:viewer')
  async get(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.logs.tenantLog(this.actors.of(request), idParam(id)) };
  }

  @Get('events')
  @Access('tenant:viewer')
  async events(@Req() request: FastifyRequest, @Query() query: unknown) {
    const { page: p, limit, from, to, ...filter } = parseQuery(query, eventsQuery);
    const { data, total } = await this.logs.tenantEvents(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, { page: p, limit });
    return paginated(data, { page: p, limit }, total);
  }

  @Get('events/:eventId')
  @Access('tenant:viewer')
  async event(@Req() request: FastifyRequest, @Param('eventId') eventId: string, @Query() query: unknown) {
    const { mode } = parseQuery(query, eventQuery);
    return { success: true, data: await this.logs.tenantEvent(this.actors.of(request), eventId, mode) };
  }
}

/** /api/v1/admin/logs: every tenant's deliveries, for platform operators. */
@Controller('api/v1/admin/logs')
@UseGuards(AdminGuard)
export class OperatorLogsController {
  constructor(
    private readonly logs: LogsService,
    private readonly actors: AdminActors,
  ) {}

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const { cursor, limit, from, to, ...filter } = parseQuery(query, operatorLogsQuery);
    return this.logs.operatorLogs(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, { limit, ...(cursor ? { cursor } : {}) });
  }

  @Get(':id')
  @Access('operator')
  async get(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.logs.operatorLog(this.actors.of(request), idParam(id)) };
  }
}
