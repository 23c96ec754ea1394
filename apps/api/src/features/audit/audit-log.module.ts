import { Module } from '@nestjs/common';
import { OperatorAuditController, TenantAuditController } from './audit-log.controller.js';
import { AuditLogService } from './audit-log.service.js';

@Module({ controllers: [TenantAuditController, OperatorAuditController], providers: [AuditLogService] })
export class AuditLogModule {}
