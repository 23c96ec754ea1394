import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { createTenantAdminSchema } from './tenant.schemas.js';
import { TenantAdminService } from './tenant-admin.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, pageQuerySchema, paginated, parseQuery } from '../../platform/query-params.js';

/** Operator routes for a tenant's console users (SPEC §6). */
@Controller('api/v1/admin/tenants/:id/admins')
@UseGuards(AccessGuard)
export class TenantAdminOperatorController {
  constructor(
    private readonly admins: TenantAdminService,
    private readonly actors: RequestActors,
  ) {}

  @Post()
  @Access('operator')
  async create(@Req() request: FastifyRequest, @Param('id') id: string) {
    const input = parseJsonBody(request, createTenantAdminSchema);
    return { success: true, data: await this.admins.create(this.actors.of(request), idParam(id), input) };
  }

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest, @Param('id') id: string) {
    const page = parseQuery(request.query, pageQuerySchema);
    const { admins, total } = await this.admins.list(this.actors.of(request), idParam(id), page);
    return paginated(admins, page, total);
  }

  @Post(':adminId/reset-password')
  @HttpCode(200)
  @Access('operator')
  async reset(@Req() request: FastifyRequest, @Param('id') id: string, @Param('adminId') adminId: string) {
    return { success: true, data: await this.admins.resetPassword(this.actors.of(request), idParam(id), idParam(adminId)) };
  }

  @Post(':adminId/disable')
  @HttpCode(200)
  @Access('operator')
  async disable(@Req() request: FastifyRequest, @Param('id') id: string, @Param('adminId') adminId: string) {
    return { success: true, data: await this.admins.disable(this.actors.of(request), idParam(id), idParam(adminId)) };
  }

  @Post(':adminId/enable')
  @HttpCode(200)
  @Access('operator')
  async enable(@Req() request: FastifyRequest, @Param('id') id: string, @Param('adminId') adminId: string) {
    return { success: true, data: await this.admins.enable(this.actors.of(request), idParam(id), idParam(adminId)) };
  }
}
