import { Module } from '@nestjs/common';
import { AdminActors } from '../audit/admin-actor.js';
import { PlatformStatsController, TenantUsageController } from './usage.controller.js';
import { UsageService } from './usage.service.js';

@Module({ controllers: [TenantUsageController, PlatformStatsController], providers: [UsageService, AdminActors] })
export class UsageModule {}
