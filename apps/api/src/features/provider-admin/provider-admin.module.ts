import { Module } from '@nestjs/common';
import { ProviderAdminController } from './provider-admin.controller.js';
import { ProviderAdminService } from './provider-admin.service.js';

@Module({ controllers: [ProviderAdminController], providers: [ProviderAdminService] })
export class ProviderAdminModule {}
