import { Module } from '@nestjs/common';
import { OperatorDlqController, TenantDlqController } from './dead-letter.controller.js';
import { DlqAdminService } from './dead-letter.service.js';
import { OperatorDlqBulkController } from './dead-letter-bulk.operator.controller.js';
import { DlqBulkService } from './dead-letter-bulk.service.js';

@Module({ controllers: [TenantDlqController, OperatorDlqController, OperatorDlqBulkController], providers: [DlqAdminService, DlqBulkService] })
export class DlqAdminModule {}
