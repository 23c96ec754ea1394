import { Module } from '@nestjs/common';
import type { Database } from '@orqestra/db';
import type { Config } from '../../config.js';
import { CONFIG, DATABASE } from '../../platform/tokens.js';
import { ProviderBaseUrlOperatorController } from './base-url.operator.controller.js';
import { ProviderBaseUrlService } from './base-url.service.js';
import { ProviderBreakerStore } from './provider-breaker.store.js';
import { ProviderOperatorController } from './provider.operator.controller.js';
import { ProviderTenantController } from './provider.tenant.controller.js';
import { TenantProviderService } from './tenant-provider.service.js';

/** Provider configs (SPEC §5, §6): a tenant's configs, an operator's read-only view of them, and the operator's base-URL overrides. */
@Module({
  controllers: [ProviderTenantController, ProviderOperatorController, ProviderBaseUrlOperatorController],
  providers: [
    TenantProviderService,
    ProviderBreakerStore,
    {
      provide: ProviderBaseUrlService,
      inject: [DATABASE, CONFIG],
      useFactory: (db: Database, config: Config) => new ProviderBaseUrlService(db, config.allowPrivateProviderUrls),
    },
  ],
})
export class ProviderModule {}
