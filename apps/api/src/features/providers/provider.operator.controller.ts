import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { listProvidersQuery } from './provider.schemas.js';
import { TenantProviderService } from './tenant-provider.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, parseQuery, paginated } from '../../platform/query-params.js';

/** /api/v1/admin/tenants/:id/providers: an operator's read-only view of a tenant's provider configs. */
@Controller('api/v1/admin/tenants/:id/providers')
@UseGuards(AccessGuard)
export class ProviderOperatorController {
  constructor(
    private readonly providers: TenantProviderService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: unknown) {
    const q = parseQuery(query, listProvidersQuery);
    const { rows, total } = await this.providers.listForTenant(this.actors.of(request), idParam(id), q);
    return paginated(rows, q, total);
  }
}
