import { Module } from '@nestjs/common';
import { OperatorDlqController, TenantDlqController } from './dlq-admin.controller.js';
import { DlqAdminService } from './dlq-admin.service.js';

@Module({ controllers: [TenantDlqController, OperatorDlqController], providers: [DlqAdminService] })
export class DlqAdminModule {}
