import { Module } from '@nestjs/common';
import { AuditTenantController } from './audit.tenant.controller.js';
import { AuditOperatorController } from './audit.operator.controller.js';
import { AuditService } from './audit.service.js';

@Module({ controllers: [AuditTenantController, AuditOperatorController], providers: [AuditService] })
export class AuditModule {}
