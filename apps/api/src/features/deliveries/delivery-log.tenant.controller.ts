import { Controller, Get, Inject, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { eventQuery, eventsQuery, logsExportQuery, logsQuery } from './delivery-log.schemas.js';
import { DeliveryLogService } from './delivery-log.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, paginated, parseQuery, timeRange } from '../../platform/query-params.js';
import { sendCsv } from '../../platform/csv-export.js';
import { CLOCK, type Clock } from '../../platform/tokens.js';

/** /api/v1/tenant/logs and /api/v1/tenant/events: the tenant's deliveries (SPEC §6). */
@Controller('api/v1/tenant')
@UseGuards(AccessGuard)
export class DeliveryLogTenantController {
  constructor(
    private readonly logs: DeliveryLogService,
    private readonly actors: RequestActors,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('logs')
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const { cursor, limit, from, to, ...filter } = parseQuery(query, logsQuery);
    return this.logs.tenantLogs(
      this.actors.of(request),
      { ...filter, ...timeRange({ from, to }) },
      { limit, ...(cursor ? { cursor } : {}) },
    );
  }

  /** The list's filters as a CSV download (audited as logs.export). */
  @Get('logs/export')
  @Access('tenant:viewer')
  async export(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: unknown) {
    const { limit, from, to, ...filter } = parseQuery(query, logsExportQuery);
    return sendCsv(
      reply,
      'orqestra-logs',
      await this.logs.tenantExport(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, limit),
      this.clock.now(),
    );
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
    const { data, total } = await this.logs.tenantEvents(
      this.actors.of(request),
      { ...filter, ...timeRange({ from, to }) },
      { page: p, limit },
    );
    return paginated(data, { page: p, limit }, total);
  }

  @Get('events/:eventId')
  @Access('tenant:viewer')
  async event(@Req() request: FastifyRequest, @Param('eventId') eventId: string, @Query() query: unknown) {
    const { mode } = parseQuery(query, eventQuery);
    return { success: true, data: await this.logs.tenantEvent(this.actors.of(request), eventId, mode) };
  }
}
