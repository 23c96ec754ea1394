import { Controller, HttpCode, Param, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { ProviderBaseUrlService } from './base-url.service.js';
import { setBaseUrlSchema } from './provider.schemas.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam } from '../../platform/query-params.js';

/** Operator only (SPEC §5): tenant admins cannot reach this route, and their provider routes refuse baseUrl. */
@Controller('api/v1/admin/tenants/:id/providers/:providerId/base-url')
@UseGuards(AccessGuard)
export class ProviderBaseUrlOperatorController {
  constructor(
    private readonly baseUrls: ProviderBaseUrlService,
    private readonly actors: RequestActors,
  ) {}

  @Put()
  @HttpCode(200)
  @Access('operator')
  async set(@Req() request: FastifyRequest, @Param('id') id: string, @Param('providerId') providerId: string) {
    const { baseUrl } = parseJsonBody(request, setBaseUrlSchema);
    return { success: true, data: await this.baseUrls.set(this.actors.of(request), idParam(id), idParam(providerId), baseUrl) };
  }
}
