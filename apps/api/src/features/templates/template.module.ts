import { Module } from '@nestjs/common';
import type { Database } from '@orqestra/db';
import { DATABASE } from '../../platform/tokens.js';
import { GlobalTemplateOperatorController } from './global-template.operator.controller.js';
import { GlobalTemplateService } from './global-template.service.js';
import { TemplateService } from './template.service.js';
import { TemplateTenantController } from './template.tenant.controller.js';
import { TenantTemplateService } from './tenant-template.service.js';

/** Templates (SPEC §4, §6): a tenant's own templates, and the platform's global templates (operators). */
@Module({
  controllers: [TemplateTenantController, GlobalTemplateOperatorController],
  providers: [
    TenantTemplateService,
    {
      provide: GlobalTemplateService,
      inject: [DATABASE],
      useFactory: (db: Database) => new GlobalTemplateService(db, new TemplateService(db)),
    },
  ],
})
export class TemplateModule {}
