import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { ApiKeyService } from './api-key.service.js';
import { rotateApiKeySchema } from './tenant.schemas.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, pageQuerySchema, paginated, parseQuery, parseOptionalJsonBody } from '../../platform/query-params.js';

/** Operator: any tenant's live keys. */
@Controller('api/v1/admin/tenants/:id/api-keys')
@UseGuards(AccessGuard)
export class ApiKeyOperatorController {
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
