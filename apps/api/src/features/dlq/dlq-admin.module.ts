import { Module } from '@nestjs/common';
import { AdminActors } from '../audit/admin-actor.js';
import { OperatorDlqController, TenantDlqController } from './dlq-admin.controller.js';
import { DlqAdminService } from './dlq-admin.service.js';

@Module({ controllers: [TenantDlqController, OperatorDlqController], providers: [DlqAdminService, AdminActors] })
export class DlqAdminModule {}
