import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { AuthModule } from './features/auth/auth.module.js';
import { EventModule } from './features/events/event.module.js';
import { SandboxModule } from './features/sandbox/sandbox.module.js';
import { DemoModule } from './features/demo/demo.module.js';
import { RealtimeModule } from './features/realtime/realtime.module.js';
import { ProviderModule } from './features/providers/provider.module.js';
import { TemplateModule } from './features/templates/template.module.js';
import { TenantModule } from './features/tenants/tenant.module.js';
import { AuditModule } from './features/audit/audit.module.js';
import { DeliveriesModule } from './features/deliveries/deliveries.module.js';
import { UsageModule } from './features/usage/usage.module.js';
import { SystemModule } from './features/system/system.module.js';
import { registerAuthRoutes } from './features/auth/auth.openapi.js';
import { registerEventRoutes } from './features/events/event.openapi.js';
import { registerSandboxRoutes } from './features/sandbox/sandbox.openapi.js';
import { registerRealtimeRoutes } from './features/realtime/realtime.openapi.js';
import { registerAuditRoutes } from './features/audit/audit.openapi.js';
import { registerDeliveriesRoutes } from './features/deliveries/deliveries.openapi.js';
import { registerUsageRoutes } from './features/usage/usage.openapi.js';
import { registerProviderBaseUrlRoutes, registerProviderRoutes } from './features/providers/provider.openapi.js';
import { registerGlobalTemplateRoutes, registerTemplateRoutes } from './features/templates/template.openapi.js';
import { registerTenantAdminStatusRoutes, registerTenantRoutes } from './features/tenants/tenant.openapi.js';
import { registerSystemRoutes } from './features/system/system.openapi.js';
import { buildOpenApiDocument } from './platform/openapi/openapi.js';
import { PlatformModule } from './platform/platform.module.js';
import type { ServiceMetrics } from './platform/observability/service-metrics.js';

/** Each feature's part of the OpenAPI document, in the document's order (served by the platform's DocsController). */
const OPENAPI_PARTS = [
  registerAuthRoutes,
  registerTenantRoutes,
  registerProviderBaseUrlRoutes,
  registerGlobalTemplateRoutes,
  registerTenantAdminStatusRoutes,
  registerProviderRoutes,
  registerTemplateRoutes,
  registerDeliveriesRoutes,
  registerUsageRoutes,
  registerAuditRoutes,
  registerSystemRoutes,
  registerEventRoutes,
  registerSandboxRoutes,
  registerRealtimeRoutes,
];

/** The HTTP API: the platform (connections, auth) and one module per feature, each with its OpenAPI part. */
@Module({})
export class AppModule {
  static forRoot(config: Config, logger: Logger, metrics?: ServiceMetrics): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, logger, buildOpenApiDocument(OPENAPI_PARTS), metrics),
        TenantModule,
        ProviderModule,
        TemplateModule,
        DeliveriesModule,
        UsageModule,
        AuditModule,
        SystemModule,
        SandboxModule,
        AuthModule,
        EventModule,
        RealtimeModule,
        DemoModule,
      ],
    };
  }
}
