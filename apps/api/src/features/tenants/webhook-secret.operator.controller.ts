import { Controller, Delete, Get, HttpCode, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { rotateWebhookSecretSchema, setWebhookSecretSchema } from './tenant.schemas.js';
import { WebhookSecretService } from './webhook-secret.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, parseOptionalJsonBody } from '../../platform/query-params.js';

/** Operator: any tenant's webhook secret. */
@Controller('api/v1/admin/tenants/:id/webhook-secret')
@UseGuards(AccessGuard)
export class WebhookSecretOperatorController {
  constructor(
    private readonly secrets: WebhookSecretService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('operator')
  async state(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.secrets.state(this.actors.of(request), idParam(id)) };
  }

  @Put()
  @Access('operator')
  async set(@Req() request: FastifyRequest, @Param('id') id: string) {
    const { secret } = parseOptionalJsonBody(request, setWebhookSecretSchema);
    return { success: true, data: await this.secrets.set(this.actors.of(request), idParam(id), secret) };
  }

  @Post('rotate')
  @HttpCode(200)
  @Access('operator')
  async rotate(@Req() request: FastifyRequest, @Param('id') id: string) {
    const options = parseOptionalJsonBody(request, rotateWebhookSecretSchema);
    return { success: true, data: await this.secrets.rotate(this.actors.of(request), idParam(id), options) };
  }

  @Delete()
  @Access('operator')
  async clear(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.secrets.clear(this.actors.of(request), idParam(id)) };
  }
}
