import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CHANNELS } from '@orqestra/contracts';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { createProviderBody, updateProviderBody } from './provider.schemas.js';
import { ProviderAdminService } from './provider.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, pageQuery, parseQuery , paginated } from '../../platform/query-params.js';

export const listProvidersQuery = z.object({ channel: z.enum(CHANNELS).optional(), ...pageQuery });

/** /api/v1/tenant/providers: the tenant's provider configs (SPEC §6). */
@Controller('api/v1/tenant/providers')
@UseGuards(AccessGuard)
export class ProviderAdminController {
  constructor(
    private readonly providers: ProviderAdminService,
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

/** /api/v1/admin/tenants/:id/providers: an operator's read-only view of a tenant's provider configs. */
@Controller('api/v1/admin/tenants/:id/providers')
@UseGuards(AccessGuard)
export class OperatorTenantProvidersController {
  constructor(
    private readonly providers: ProviderAdminService,
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
