import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SecretBox } from '@orqestra/crypto';
import type { Database } from '@orqestra/db';
import { AccessDenyList } from '../../platform/auth/access-deny-list.js';
import { LOGGER } from '../../platform/platform.module.js';
import { CLOCK, DATABASE, REDIS, SECRET_BOX, type Clock } from '../../platform/tokens.js';
import { ApiKeyOperatorController } from './api-key.operator.controller.js';
import { ApiKeyTenantController } from './api-key.tenant.controller.js';
import { ApiKeyService } from './api-key.service.js';
import { TenantAdminOperatorController } from './tenant-admin.operator.controller.js';
import { TenantAdminService } from './tenant-admin.service.js';
import { WebhookSecretOperatorController } from './webhook-secret.operator.controller.js';
import { WebhookSecretTenantController } from './webhook-secret.tenant.controller.js';
import { WebhookSecretService } from './webhook-secret.service.js';
import { AuthAnnouncer } from './auth-announcer.js';
import { TenantOperatorController } from './tenant.operator.controller.js';
import { TenantService } from './tenant.service.js';

/**
 * Tenants (SPEC §6): the operator's tenants and tenant admins; API key rotation and the webhook
 * secret for operators and tenant admins.
 */
@Module({
  controllers: [
    TenantOperatorController,
    TenantAdminOperatorController,
    ApiKeyOperatorController,
    ApiKeyTenantController,
    WebhookSecretOperatorController,
    WebhookSecretTenantController,
  ],
  providers: [
    { provide: AuthAnnouncer, inject: [REDIS, LOGGER], useFactory: (redis: Redis, logger: Logger) => new AuthAnnouncer(redis, logger) },
    {
      provide: TenantService,
      inject: [DATABASE, AuthAnnouncer, AccessDenyList],
      useFactory: (db: Database, announcer: AuthAnnouncer, denyList: AccessDenyList) => new TenantService(db, announcer, denyList),
    },
    {
      provide: TenantAdminService,
      inject: [DATABASE, AccessDenyList],
      useFactory: (db: Database, denyList: AccessDenyList) => new TenantAdminService(db, denyList),
    },
    {
      provide: ApiKeyService,
      inject: [DATABASE, CLOCK, AuthAnnouncer],
      useFactory: (db: Database, clock: Clock, announcer: AuthAnnouncer) => new ApiKeyService(db, clock, announcer),
    },
    {
      provide: WebhookSecretService,
      inject: [DATABASE, SECRET_BOX, CLOCK, AuthAnnouncer],
      useFactory: (db: Database, box: SecretBox, clock: Clock, announcer: AuthAnnouncer) =>
        new WebhookSecretService(db, box, clock, announcer),
    },
  ],
})
export class TenantModule {}
