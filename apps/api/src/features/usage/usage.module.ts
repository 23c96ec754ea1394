import { Module } from '@nestjs/common';
import { PlatformStatsController, TenantUsageController } from './usage.controller.js';
import { UsageService } from './usage.service.js';

@Module({ controllers: [TenantUsageController, PlatformStatsController], providers: [UsageService] })
export class UsageModule {}
