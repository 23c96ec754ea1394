import { Module } from '@nestjs/common';
import { AdminActors } from '../audit/admin-actor.js';
import { TemplateAdminController } from './template-admin.controller.js';
import { TemplateAdminService } from './template-admin.service.js';

@Module({ controllers: [TemplateAdminController], providers: [TemplateAdminService, AdminActors] })
export class TemplateAdminModule {}
