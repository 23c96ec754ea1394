import { Module } from '@nestjs/common';
import { AdminActors } from './admin-actor.js';
import { OperatorAuditController, TenantAuditController } from './audit-log.controller.js';
import { AuditLogService } from './audit-log.service.js';

@Module({ controllers: [TenantAuditController, OperatorAuditController], providers: [AuditLogService, AdminActors] })
export class AuditLogModule {}
