import { Controller, Delete, Get, HttpCode, Post, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { rotateWebhookSecretSchema, setWebhookSecretSchema } from './tenant.schemas.js';
import { WebhookSecretService } from './webhook-secret.service.js';
import { RequestActors, tenantOf } from '../../platform/auth/actor.js';
import { parseOptionalJsonBody } from '../../platform/query-params.js';

/** Tenant admin: the webhook secret of the tenant in the token (viewers see only whether one is set). */
@Controller('api/v1/tenant/webhook-secret')
@UseGuards(AccessGuard)
export class WebhookSecretTenantController {
  constructor(
    private readonly secrets: WebhookSecretService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('tenant:viewer')
  async state(@Req() request: FastifyRequest) {
    return { success: true, data: await this.secrets.state(this.actors.of(request), tenantOf(this.actors.of(request))) };
  }

  @Put()
  @Access('tenant:admin')
  async set(@Req() request: FastifyRequest) {
    const { secret } = parseOptionalJsonBody(request, setWebhookSecretSchema);
    return { success: true, data: await this.secrets.set(this.actors.of(request), tenantOf(this.actors.of(request)), secret) };
  }

  @Post('rotate')
  @HttpCode(200)
  @Access('tenant:admin')
  async rotate(@Req() request: FastifyRequest) {
    const options = parseOptionalJsonBody(request, rotateWebhookSecretSchema);
    return { success: true, data: await this.secrets.rotate(this.actors.of(request), tenantOf(this.actors.of(request)), options) };
  }

  @Delete()
  @Access('tenant:admin')
  async clear(@Req() request: FastifyRequest) {
    return { success: true, data: await this.secrets.clear(this.actors.of(request), tenantOf(this.actors.of(request))) };
  }
}
