import { Controller, HttpCode, Inject, Param, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Access, AdminGuard } from '../../platform/auth/admin-access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import type { Config } from '../../config.js';
import { CONFIG } from '../../platform/tokens.js';
import { actorOf, pathId } from '../tenants/admin-request.js';
import { ProviderBaseUrlService } from './base-url.service.js';

export const setBaseUrlSchema = z
  .object({
    baseUrl: z
      .string()
      .max(2048)
      .nullable()
      .meta({ description: "https URL replacing the vendor's base URL (regional endpoint, proxy); null restores the vendor's own." }),
  })
  .strict()
  .meta({ id: 'ProviderBaseUrl' });

/** Operator only (SPEC §5): tenant admins cannot reach this route, and their provider routes refuse baseUrl. */
@Controller('api/v1/admin/tenants/:id/providers/:providerId/base-url')
@UseGuards(AdminGuard)
export class ProviderBaseUrlController {
  constructor(
    private readonly baseUrls: ProviderBaseUrlService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Put()
  @HttpCode(200)
  @Access('operator')
  async set(@Req() request: FastifyRequest, @Param('id') id: string, @Param('providerId') providerId: string) {
    const { baseUrl } = parseJsonBody(request, setBaseUrlSchema);
    return { success: true, data: await this.baseUrls.set(actorOf(request, this.config), pathId(id), pathId(providerId), baseUrl) };
  }
}
