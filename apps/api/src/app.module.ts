import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { AdminAuthModule } from './features/admin-auth/admin-auth.module.js';
import { EventsModule } from './features/events/events.module.js';
import { SandboxModule } from './features/sandbox/sandbox.module.js';
import { DemoModule } from './features/demo/demo.module.js';
import { InboxModule } from './features/inbox/inbox.module.js';
import { RealtimeModule } from './features/realtime/realtime.module.js';
import { ProviderAdminModule } from './features/provider-admin/provider-admin.module.js';
import { TemplateAdminModule } from './features/template-admin/template-admin.module.js';
import { TenantManagementModule } from './features/tenants/tenant-management.module.js';
import { AuditLogModule } from './features/audit/audit-log.module.js';
import { DlqAdminModule } from './features/dlq/dlq-admin.module.js';
import { LogsModule } from './features/logs/logs.module.js';
import { UsageModule } from './features/usage/usage.module.js';
import { SystemModule } from './features/system/system.module.js';
import { PlatformModule } from './platform/platform.module.js';
import type { ServiceMetrics } from './platform/observability/service-metrics.js';

/** The HTTP API: the platform (connections, auth) and one module per feature. */
@Module({})
export class AppModule {
  static forRoot(config: Config, logger: Logger, metrics?: ServiceMetrics): DynamicModule {
    return { module: AppModule, imports: [PlatformModule.forRoot(config, logger, metrics), TenantManagementModule, ProviderAdminModule, TemplateAdminModule, LogsModule, DlqAdminModule, UsageModule, AuditLogModule, SystemModule, SandboxModule, AdminAuthModule, EventsModule, RealtimeModule, InboxModule, DemoModule] };
  }
}
