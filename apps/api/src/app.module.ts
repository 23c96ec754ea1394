import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { EventsModule } from './features/events/events.module.js';
import { PlatformModule } from './platform/platform.module.js';

/** The HTTP API: the platform (connections, auth) and one module per feature. */
@Module({})
export class AppModule {
  static forRoot(config: Config, logger: Logger): DynamicModule {
    return { module: AppModule, imports: [PlatformModule.forRoot(config, logger), EventsModule] };
  }
}
