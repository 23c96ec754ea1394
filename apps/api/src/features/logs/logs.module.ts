import { Module } from '@nestjs/common';
import { OperatorLogsController, TenantLogsController } from './logs.controller.js';
import { LogsService } from './logs.service.js';

@Module({ controllers: [TenantLogsController, OperatorLogsController], providers: [LogsService] })
export class LogsModule {}
