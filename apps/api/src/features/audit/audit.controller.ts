import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { AuditLogService } from './audit.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { pageQuery, paginated, parseQuery, timeRange, timeRangeQuery } from '../../platform/query-params.js';
import { exportLimitQuery, sendCsv } from '../../platform/csv-export.js';
import { CLOCK, type Clock } from '../../platform/tokens.js';

export const auditQuery = z.object({
  action: z.string().max(200).optional(),
  actorType: z.enum(['operator', 'tenant_admin', 'api_key', 'system_tenant', 'system', 'anonymous']).optional(),
  actorId: z.string().max(200).optional(),
  resourceType: z.string().max(100).optional(),
  resourceId: z.string().max(200).optional(),
  traceId: z.string().max(128).optional(),
  ...timeRangeQuery,
  ...pageQuery,
});
export const operatorAuditQuery = auditQuery.extend({
  tenantId: z.uuid().optional(),
  scope: z.enum(['all', 'platform', 'tenants']).default('all').meta({ description: 'platform: entries with no tenant (operator actions, unknown-user logins)' }),
});
/** The list's filters (no page: an export starts at the newest) and the export's own row cap. */
export const auditExportQuery = auditQuery.omit({ page: true, limit: true }).extend(exportLimitQuery);
export const operatorAuditExportQuery = operatorAuditQuery.omit({ page: true, limit: true }).extend(exportLimitQuery);

/** /api/v1/tenant/audit: the tenant's audit trail, newest first (SPEC §6). */
@Controller('api/v1/tenant/audit')
@UseGuards(AccessGuard)
export class TenantAuditController {
  constructor(
    private readonly audit: AuditLogService,
    private readonly actors: RequestActors,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const { page: p, limit, from, to, ...filter } = parseQuery(query, auditQuery);
    const { rows, total } = await this.audit.tenantLog(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, { page: p, limit });
    return paginated(rows, { page: p, limit }, total);
  }

  /** The list's filters as a CSV download (audited as audit.export). */
  @Get('export')
  @Access('tenant:viewer')
  async export(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: unknown) {
    const { limit, from, to, ...filter } = parseQuery(query, auditExportQuery);
    return sendCsv(reply, 'orqestra-audit', await this.audit.tenantExport(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, limit), this.clock.now());
  }
}

/** /api/v1/admin/audit: the platform's and every tenant's audit trail (operators). */
@Controller('api/v1/admin/audit')
@UseGuards(AccessGuard)
export class OperatorAuditController {
  constructor(
    private readonly audit: AuditLogService,
    private readonly actors: RequestActors,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const { page: p, limit, from, to, ...filter } = parseQuery(query, operatorAuditQuery);
    const { rows, total } = await this.audit.operatorLog(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, { page: p, limit });
    return paginated(rows, { page: p, limit }, total);
  }

  /** The platform's and every tenant's trail (or one tenant's) as a CSV download (audited as audit.export). */
  @Get('export')
  @Access('operator')
  async export(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: unknown) {
    const { limit, from, to, ...filter } = parseQuery(query, operatorAuditExportQuery);
    return sendCsv(reply, 'orqestra-audit', await this.audit.operatorExport(this.actors.of(request), { ...filter, ...timeRange({ from, to }) }, limit), this.clock.now());
  }
}
