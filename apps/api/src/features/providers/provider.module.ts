import { Module } from '@nestjs/common';
import { OperatorTenantProvidersController, ProviderAdminController } from './provider.controller.js';
import { ProviderAdminService } from './provider.service.js';
import { ProviderBreakerRepository } from './provider-breaker.repository.js';

@Module({ controllers: [ProviderAdminController, OperatorTenantProvidersController], providers: [ProviderAdminService, ProviderBreakerRepository] })
export class ProviderAdminModule {}
