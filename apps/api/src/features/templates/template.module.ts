import { Module } from '@nestjs/common';
import { GlobalTemplateDraftController, TemplateAdminController } from './template.controller.js';
import { TemplateAdminService } from './tenant-template.service.js';

@Module({ controllers: [TemplateAdminController, GlobalTemplateDraftController], providers: [TemplateAdminService] })
export class TemplateAdminModule {}
