import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { AdminAuthModule } from './features/auth/auth.module.js';
import { EventsModule } from './features/events/events.module.js';
import { SandboxModule } from './features/sandbox/sandbox.module.js';
import { DemoModule } from './features/demo/demo.module.js';
import { InboxModule } from './features/realtime/inbox.module.js';
import { RealtimeModule } from './features/realtime/realtime.module.js';
import { ProviderAdminModule } from './features/providers/provider.module.js';
import { TemplateAdminModule } from './features/templates/template.module.js';
import { TenantManagementModule } from './features/tenants/tenant.module.js';
import { AuditLogModule } from './features/audit/audit.module.js';
import { DlqAdminModule } from './features/deliveries/dead-letter.module.js';
import { LogsModule } from './features/deliveries/log.module.js';
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
