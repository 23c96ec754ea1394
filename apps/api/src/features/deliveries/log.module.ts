import { Module } from '@nestjs/common';
import { OperatorLogsController, TenantLogsController } from './log.controller.js';
import { LogsService } from './log.service.js';

@Module({ controllers: [TenantLogsController, OperatorLogsController], providers: [LogsService] })
export class LogsModule {}
