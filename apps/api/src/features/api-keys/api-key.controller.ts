import { Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { Access, AdminGuard } from '../../platform/auth/admin-access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { CONFIG } from '../../platform/tokens.js';
import { actorOf, ownTenantId, paginated, paginationQuerySchema, parseQuery, pathId } from '../tenants/admin-request.js';
import { ApiKeyService, DEFAULT_GRACE_HOURS, MAX_GRACE_HOURS } from './api-key.service.js';

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

/** An empty body (or none) means the defaults. */
function rotateBody(request: FastifyRequest) {
  if (!request.rawBody || request.rawBody.length === 0) return rotateApiKeySchema.parse({});
  return parseJsonBody(request, rotateApiKeySchema);
}

/** Operator: any tenant's live keys. */
@Controller('api/v1/admin/tenants/:id/api-keys')
@UseGuards(AdminGuard)
export class OperatorApiKeyController {
  constructor(
    private readonly keys: ApiKeyService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post('rotate')
  @HttpCode(200)
  @Access('operator')
  async rotate(@Req() request: FastifyRequest, @Param('id') id: string) {
    const { graceHours } = rotateBody(request);
    return { success: true, data: await this.keys.rotate(actorOf(request, this.config), pathId(id), graceHours) };
  }

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest, @Param('id') id: string) {
    const page = parseQuery(request, paginationQuerySchema);
    const { keys, total } = await this.keys.list(actorOf(request, this.config), pathId(id), page);
    return paginated(keys, page, total);
  }
}

/** Tenant admin: the keys of the tenant in the token (viewers may list, only admins rotate). */
@Controller('api/v1/tenant/api-keys')
@UseGuards(AdminGuard)
export class TenantApiKeyController {
  constructor(
    private readonly keys: ApiKeyService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post('rotate')
  @HttpCode(200)
  @Access('tenant:admin')
  async rotate(@Req() request: FastifyRequest) {
    const { graceHours } = rotateBody(request);
    return { success: true, data: await this.keys.rotate(actorOf(request, this.config), ownTenantId(request), graceHours) };
  }

  @Get()
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest) {
    const page = parseQuery(request, paginationQuerySchema);
    const { keys, total } = await this.keys.list(actorOf(request, this.config), ownTenantId(request), page);
    return paginated(keys, page, total);
  }
}
