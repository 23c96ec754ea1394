import { Module } from '@nestjs/common';
import { OperatorDlqController, TenantDlqController } from './dlq-admin.controller.js';
import { DlqAdminService } from './dlq-admin.service.js';
import { OperatorDlqBulkController } from './dlq-bulk.controller.js';
import { DlqBulkService } from './dlq-bulk.service.js';

@Module({ controllers: [TenantDlqController, OperatorDlqController, OperatorDlqBulkController], providers: [DlqAdminService, DlqBulkService] })
export class DlqAdminModule {}
