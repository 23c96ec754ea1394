import { Module } from '@nestjs/common';
import { GlobalTemplateDraftController, TemplateAdminController } from './template-admin.controller.js';
import { TemplateAdminService } from './template-admin.service.js';

@Module({ controllers: [TemplateAdminController, GlobalTemplateDraftController], providers: [TemplateAdminService] })
export class TemplateAdminModule {}
