import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { AuditService } from './audit.service.js';
import { auditExportQuery, auditQuery } from './audit.schemas.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { paginated, parseQuery, timeRange } from '../../platform/query-params.js';
import { sendCsv } from '../../platform/csv-export.js';
import { CLOCK, type Clock } from '../../platform/tokens.js';

/** /api/v1/tenant/audit: the tenant's audit trail, newest first (SPEC §6). */
@Controller('api/v1/tenant/audit')
@UseGuards(AccessGuard)
export class AuditTenantController {
  constructor(
    private readonly audit: AuditService,
    private readonly actors: RequestActors,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const { page: p, limit, from, to, ...filter } = parseQuery(query, auditQuery);
    const { rows, total } = await this.audit.tenantLog(
      this.actors.of(request),
      { ...filter, ...timeRange({ from, to }) },
      { page: p, limit },
    );
    return paginated(rows, { page: p, limit }, total);
  }

  /** The list's filters as a CSV download (audited as audit.export). */
  @Get('export')
  @Access('tenant:viewer')
  async export(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: unknown) {
    const { limit, from, to, ...filter } = parseQuery(query, auditExportQuery);
    return sendCsv(
      reply,
      'orqestra-audit',
      await this.audit.tenantExport(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, limit),
      this.clock.now(),
    );
  }
}
