import { Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { ApiKeyService } from './api-key.service.js';
import { rotateApiKeySchema } from './tenant.schemas.js';
import { RequestActors, tenantOf } from '../../platform/auth/actor.js';
import { pageQuerySchema, paginated, parseQuery, parseOptionalJsonBody } from '../../platform/query-params.js';

/** Tenant admin: the keys of the tenant in the token (viewers may list, only admins rotate). */
@Controller('api/v1/tenant/api-keys')
@UseGuards(AccessGuard)
export class ApiKeyTenantController {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly actors: RequestActors,
  ) {}

  @Post('rotate')
  @HttpCode(200)
  @Access('tenant:admin')
  async rotate(@Req() request: FastifyRequest) {
    const { graceHours } = parseOptionalJsonBody(request, rotateApiKeySchema);
    return { success: true, data: await this.keys.rotate(this.actors.of(request), tenantOf(this.actors.of(request)), graceHours) };
  }

  @Get()
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest) {
    const page = parseQuery(request.query, pageQuerySchema);
    const { keys, total } = await this.keys.list(this.actors.of(request), tenantOf(this.actors.of(request)), page);
    return paginated(keys, page, total);
  }
}
