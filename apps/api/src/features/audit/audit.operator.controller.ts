import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { AuditService } from './audit.service.js';
import { operatorAuditExportQuery, operatorAuditQuery } from './audit.schemas.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { paginated, parseQuery, timeRange } from '../../platform/query-params.js';
import { sendCsv } from '../../platform/csv-export.js';
import { CLOCK, type Clock } from '../../platform/tokens.js';

/** /api/v1/admin/audit: the platform's and every tenant's audit trail (operators). */
@Controller('api/v1/admin/audit')
@UseGuards(AccessGuard)
export class AuditOperatorController {
  constructor(
    private readonly audit: AuditService,
    private readonly actors: RequestActors,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const { page: p, limit, from, to, ...filter } = parseQuery(query, operatorAuditQuery);
    const { rows, total } = await this.audit.operatorLog(
      this.actors.of(request),
      { ...filter, ...timeRange({ from, to }) },
      { page: p, limit },
    );
    return paginated(rows, { page: p, limit }, total);
  }

  /** The platform's and every tenant's trail (or one tenant's) as a CSV download (audited as audit.export). */
  @Get('export')
  @Access('operator')
  async export(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: unknown) {
    const { limit, from, to, ...filter } = parseQuery(query, operatorAuditExportQuery);
    return sendCsv(
      reply,
      'orqestra-audit',
      await this.audit.operatorExport(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, limit),
      this.clock.now(),
    );
  }
}
