import { Module } from '@nestjs/common';
import { AdminActors } from '../audit/admin-actor.js';
import { OperatorLogsController, TenantLogsController } from './logs.controller.js';
import { LogsService } from './logs.service.js';

@Module({ controllers: [TenantLogsController, OperatorLogsController], providers: [LogsService, AdminActors] })
export class LogsModule {}
