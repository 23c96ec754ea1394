import { Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { Access, AdminGuard } from '../../platform/auth/admin-access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { CONFIG } from '../../platform/tokens.js';
import { actorOf, paginated, parseQuery, pathId } from './admin-request.js';
import { createTenantSchema, tenantListQuerySchema, updateTenantSchema } from './tenant.schemas.js';
import { TenantService } from './tenant.service.js';

/** Operator routes for tenants (SPEC §6). */
@Controller('api/v1/admin/tenants')
@UseGuards(AdminGuard)
export class TenantController {
  constructor(
    private readonly tenants: TenantService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post()
  @Access('operator')
  async create(@Req() request: FastifyRequest) {
    const created = await this.tenants.create(actorOf(request, this.config), parseJsonBody(request, createTenantSchema));
    return { success: true, data: { tenant: created.tenant, apiKey: created.apiKey, apiKeyPrefix: created.apiKeyPrefix } };
  }

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest) {
    const query = parseQuery(request, tenantListQuerySchema);
    const { tenants, total } = await this.tenants.list(actorOf(request, this.config).id, query);
    return paginated(tenants, query, total);
  }

  @Get(':id')
  @Access('operator')
  async get(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.tenants.get(actorOf(request, this.config).id, pathId(id)) };
  }

  @Patch(':id')
  @Access('operator')
  async update(@Req() request: FastifyRequest, @Param('id') id: string) {
    const tenantId = pathId(id);
    return { success: true, data: await this.tenants.update(actorOf(request, this.config), tenantId, parseJsonBody(request, updateTenantSchema)) };
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @Access('operator')
  async suspend(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.tenants.setSuspended(actorOf(request, this.config), pathId(id), true) };
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @Access('operator')
  async reactivate(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.tenants.setSuspended(actorOf(request, this.config), pathId(id), false) };
  }

  @Delete(':id')
  @Access('operator')
  async remove(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.tenants.softDelete(actorOf(request, this.config), pathId(id)) };
  }
}
