import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { createProviderBody, listProvidersQuery, updateProviderBody } from './provider.schemas.js';
import { TenantProviderService } from './tenant-provider.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, parseQuery, paginated } from '../../platform/query-params.js';

/** /api/v1/tenant/providers: the tenant's provider configs (SPEC §6). */
@Controller('api/v1/tenant/providers')
@UseGuards(AccessGuard)
export class ProviderTenantController {
  constructor(
    private readonly providers: TenantProviderService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const q = parseQuery(query, listProvidersQuery);
    const { rows, total } = await this.providers.list(this.actors.of(request), q);
    return paginated(rows, q, total);
  }

  @Get(':id')
  @Access('tenant:viewer')
  async get(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.providers.get(this.actors.of(request), idParam(id)) };
  }

  @Post()
  @Access('tenant:admin')
  async create(@Req() request: FastifyRequest) {
    return { success: true, data: await this.providers.create(this.actors.of(request), parseJsonBody(request, createProviderBody)) };
  }

  @Patch(':id')
  @Access('tenant:admin')
  async update(@Req() request: FastifyRequest, @Param('id') id: string) {
    const actor = this.actors.of(request);
    const target = idParam(id);
    return { success: true, data: await this.providers.update(actor, target, parseJsonBody(request, updateProviderBody)) };
  }

  @Delete(':id')
  @Access('tenant:admin')
  @HttpCode(200)
  async remove(@Req() request: FastifyRequest, @Param('id') id: string) {
    await this.providers.remove(this.actors.of(request), idParam(id));
    return { success: true };
  }

  @Post(':id/test')
  @Access('tenant:admin')
  @HttpCode(200)
  async test(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.providers.test(this.actors.of(request), idParam(id)) };
  }
}
