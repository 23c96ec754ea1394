import { Module } from '@nestjs/common';
import { OperatorAuditController, TenantAuditController } from './audit.controller.js';
import { AuditLogService } from './audit.service.js';

@Module({ controllers: [TenantAuditController, OperatorAuditController], providers: [AuditLogService] })
export class AuditLogModule {}
