import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { createTenantSchema, tenantListQuerySchema, updateTenantSchema } from './tenant.schemas.js';
import { TenantService } from './tenant.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, paginated, parseQuery } from '../../platform/query-params.js';

/** Operator routes for tenants (SPEC §6). */
@Controller('api/v1/admin/tenants')
@UseGuards(AccessGuard)
export class TenantOperatorController {
  constructor(
    private readonly tenants: TenantService,
    private readonly actors: RequestActors,
  ) {}

  @Post()
  @Access('operator')
  async create(@Req() request: FastifyRequest) {
    const created = await this.tenants.create(this.actors.of(request), parseJsonBody(request, createTenantSchema));
    return { success: true, data: { tenant: created.tenant, apiKey: created.apiKey, apiKeyPrefix: created.apiKeyPrefix } };
  }

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest) {
    const query = parseQuery(request.query, tenantListQuerySchema);
    const { tenants, total } = await this.tenants.list(this.actors.of(request).id, query);
    return paginated(tenants, query, total);
  }

  @Get(':id')
  @Access('operator')
  async get(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.tenants.get(this.actors.of(request).id, idParam(id)) };
  }

  @Patch(':id')
  @Access('operator')
  async update(@Req() request: FastifyRequest, @Param('id') id: string) {
    const tenantId = idParam(id);
    return {
      success: true,
      data: await this.tenants.update(this.actors.of(request), tenantId, parseJsonBody(request, updateTenantSchema)),
    };
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @Access('operator')
  async suspend(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.tenants.setSuspended(this.actors.of(request), idParam(id), true) };
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @Access('operator')
  async reactivate(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.tenants.setSuspended(this.actors.of(request), idParam(id), false) };
  }

  @Delete(':id')
  @Access('operator')
  async remove(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.tenants.softDelete(this.actors.of(request), idParam(id)) };
  }
}
