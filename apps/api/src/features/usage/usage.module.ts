import { Module } from '@nestjs/common';
import { UsageTenantController } from './usage.tenant.controller.js';
import { UsageOperatorController } from './usage.operator.controller.js';
import { UsageService } from './usage.service.js';

@Module({ controllers: [UsageTenantController, UsageOperatorController], providers: [UsageService] })
export class UsageModule {}
