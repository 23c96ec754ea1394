import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { Access, AdminGuard } from '../../platform/auth/admin-access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { CONFIG } from '../../platform/tokens.js';
import { MAX_GRACE_HOURS } from '../api-keys/api-key.service.js';
import { actorOf, ownTenantId, pathId } from '../tenants/admin-request.js';
import { WEBHOOK_SECRET_GRACE_HOURS, WebhookSecretService } from './webhook-secret.service.js';

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

/** An empty body (or none) means the defaults. */
function body<S extends z.ZodType>(request: FastifyRequest, schema: S): z.infer<S> {
  if (!request.rawBody || request.rawBody.length === 0) return schema.parse({});
  return parseJsonBody(request, schema);
}

/** Operator: any tenant's webhook secret. */
@Controller('api/v1/admin/tenants/:id/webhook-secret')
@UseGuards(AdminGuard)
export class OperatorWebhookSecretController {
  constructor(
    private readonly secrets: WebhookSecretService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get()
  @Access('operator')
  async state(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.secrets.state(actorOf(request, this.config), pathId(id)) };
  }

  @Put()
  @Access('operator')
  async set(@Req() request: FastifyRequest, @Param('id') id: string) {
    const { secret } = body(request, setWebhookSecretSchema);
    return { success: true, data: await this.secrets.set(actorOf(request, this.config), pathId(id), secret) };
  }

  @Post('rotate')
  @HttpCode(200)
  @Access('operator')
  async rotate(@Req() request: FastifyRequest, @Param('id') id: string) {
    const options = body(request, rotateWebhookSecretSchema);
    return { success: true, data: await this.secrets.rotate(actorOf(request, this.config), pathId(id), options) };
  }

  @Delete()
  @Access('operator')
  async clear(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.secrets.clear(actorOf(request, this.config), pathId(id)) };
  }
}

/** Tenant admin: the webhook secret of the tenant in the token (viewers see only whether one is set). */
@Controller('api/v1/tenant/webhook-secret')
@UseGuards(AdminGuard)
export class TenantWebhookSecretController {
  constructor(
    private readonly secrets: WebhookSecretService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get()
  @Access('tenant:viewer')
  async state(@Req() request: FastifyRequest) {
    return { success: true, data: await this.secrets.state(actorOf(request, this.config), ownTenantId(request)) };
  }

  @Put()
  @Access('tenant:admin')
  async set(@Req() request: FastifyRequest) {
    const { secret } = body(request, setWebhookSecretSchema);
    return { success: true, data: await this.secrets.set(actorOf(request, this.config), ownTenantId(request), secret) };
  }

  @Post('rotate')
  @HttpCode(200)
  @Access('tenant:admin')
  async rotate(@Req() request: FastifyRequest) {
    const options = body(request, rotateWebhookSecretSchema);
    return { success: true, data: await this.secrets.rotate(actorOf(request, this.config), ownTenantId(request), options) };
  }

  @Delete()
  @Access('tenant:admin')
  async clear(@Req() request: FastifyRequest) {
    return { success: true, data: await this.secrets.clear(actorOf(request, this.config), ownTenantId(request)) };
  }
}
