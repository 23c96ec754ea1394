import { Module } from '@nestjs/common';
import { TemplateAdminController } from './template-admin.controller.js';
import { TemplateAdminService } from './template-admin.service.js';

@Module({ controllers: [TemplateAdminController], providers: [TemplateAdminService] })
export class TemplateAdminModule {}
