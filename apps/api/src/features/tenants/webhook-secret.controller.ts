import { Controller, Delete, Get, HttpCode, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { MAX_GRACE_HOURS } from './api-key.service.js';
import { WEBHOOK_SECRET_GRACE_HOURS, WebhookSecretService } from './webhook-secret.service.js';
import { RequestActors, tenantOf } from '../../platform/auth/actor.js';
import { idParam, parseOptionalJsonBody } from '../../platform/query-params.js';

const secretSchema = z
  .string()
  .regex(/^[\x21-\x7E]{16,256}$/, 'must be 16-256 printable ASCII characters without spaces')
  .meta({ description: 'Your own secret; omit it to have one generated (whsec_…).' });

export const setWebhookSecretSchema = z.object({ secret: secretSchema.optional() }).strict().meta({ id: 'WebhookSecretSet' });

export const rotateWebhookSecretSchema = z
  .object({
    secret: secretSchema.optional(),
    graceHours: z
      .number()
      .min(0)
      .max(MAX_GRACE_HOURS)
      .default(WEBHOOK_SECRET_GRACE_HOURS)
      .meta({ description: `How long the old secret keeps verifying, in hours (default ${WEBHOOK_SECRET_GRACE_HOURS}; 0 = not at all).` }),
  })
  .strict()
  .meta({ id: 'WebhookSecretRotate' });

/** Operator: any tenant's webhook secret. */
@Controller('api/v1/admin/tenants/:id/webhook-secret')
@UseGuards(AccessGuard)
export class OperatorWebhookSecretController {
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

/** Tenant admin: the webhook secret of the tenant in the token (viewers see only whether one is set). */
@Controller('api/v1/tenant/webhook-secret')
@UseGuards(AccessGuard)
export class TenantWebhookSecretController {
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
