import { Controller, Get, Inject, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { operatorLogsExportQuery, operatorLogsQuery } from './delivery-log.schemas.js';
import { DeliveryLogService } from './delivery-log.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, parseQuery, timeRange } from '../../platform/query-params.js';
import { sendCsv } from '../../platform/csv-export.js';
import { CLOCK, type Clock } from '../../platform/tokens.js';

/** /api/v1/admin/logs: every tenant's deliveries, for platform operators. */
@Controller('api/v1/admin/logs')
@UseGuards(AccessGuard)
export class DeliveryLogOperatorController {
  constructor(
    private readonly logs: DeliveryLogService,
    private readonly actors: RequestActors,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const { cursor, limit, from, to, ...filter } = parseQuery(query, operatorLogsQuery);
    return this.logs.operatorLogs(
      this.actors.of(request),
      { ...filter, ...timeRange({ from, to }) },
      { limit, ...(cursor ? { cursor } : {}) },
    );
  }

  /** Every tenant's logs (or one tenant's, with tenantId) as a CSV download (audited as logs.export). */
  @Get('export')
  @Access('operator')
  async export(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: unknown) {
    const { limit, from, to, ...filter } = parseQuery(query, operatorLogsExportQuery);
    return sendCsv(
      reply,
      'orqestra-logs',
      await this.logs.operatorExport(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, limit),
      this.clock.now(),
    );
  }

  @Get(':id')
  @Access('operator')
  async get(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.logs.operatorLog(this.actors.of(request), idParam(id)) };
  }
}
