import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { ApiKeyService, DEFAULT_GRACE_HOURS, MAX_GRACE_HOURS } from './api-key.service.js';
import { RequestActors, tenantOf } from '../../platform/auth/actor.js';
import { idParam, pageQuerySchema, paginated, parseQuery, parseOptionalJsonBody } from '../../platform/query-params.js';

export const rotateApiKeySchema = z
  .object({
    graceHours: z
      .number()
      .min(0)
      .max(MAX_GRACE_HOURS)
      .default(DEFAULT_GRACE_HOURS)
      .meta({ description: `How long the replaced keys keep working, in hours (fractions allowed; 0 revokes them now; at most ${MAX_GRACE_HOURS}).` }),
  })
  .strict()
  .meta({ id: 'ApiKeyRotate' });

/** Operator: any tenant's live keys. */
@Controller('api/v1/admin/tenants/:id/api-keys')
@UseGuards(AccessGuard)
export class OperatorApiKeyController {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly actors: RequestActors,
  ) {}

  @Post('rotate')
  @HttpCode(200)
  @Access('operator')
  async rotate(@Req() request: FastifyRequest, @Param('id') id: string) {
    const { graceHours } = parseOptionalJsonBody(request, rotateApiKeySchema);
    return { success: true, data: await this.keys.rotate(this.actors.of(request), idParam(id), graceHours) };
  }

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest, @Param('id') id: string) {
    const page = parseQuery(request.query, pageQuerySchema);
    const { keys, total } = await this.keys.list(this.actors.of(request), idParam(id), page);
    return paginated(keys, page, total);
  }
}

/** Tenant admin: the keys of the tenant in the token (viewers may list, only admins rotate). */
@Controller('api/v1/tenant/api-keys')
@UseGuards(AccessGuard)
export class TenantApiKeyController {
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
