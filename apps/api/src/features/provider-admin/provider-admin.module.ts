import { Module } from '@nestjs/common';
import { AdminActors } from '../audit/admin-actor.js';
import { ProviderAdminController } from './provider-admin.controller.js';
import { ProviderAdminService } from './provider-admin.service.js';

@Module({ controllers: [ProviderAdminController], providers: [ProviderAdminService, AdminActors] })
export class ProviderAdminModule {}
