import { Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { SANDBOX_ACCESS } from '../../platform/auth/sandbox-access.js';
import { REDIS } from '../../platform/tokens.js';
import { SandboxAccessService } from './sandbox-access.service.js';
import { SandboxTenantController } from './sandbox.tenant.controller.js';
import { SandboxService } from './sandbox.service.js';
import { SANDBOX_STORE } from './sandbox.tokens.js';
import { SandboxSessionStore } from './sandbox-session.store.js';

/**
 * Sandbox sessions (SPEC §7). Global so that the API key guard, wherever a controller uses it,
 * finds SANDBOX_ACCESS, its sandbox branch.
 */
@Global()
@Module({
  controllers: [SandboxTenantController],
  providers: [
    { provide: SANDBOX_STORE, inject: [REDIS], useFactory: (redis: Redis) => new SandboxSessionStore(redis) },
    SandboxService,
    SandboxAccessService,
    { provide: SANDBOX_ACCESS, useExisting: SandboxAccessService },
  ],
  exports: [SANDBOX_ACCESS],
})
export class SandboxModule {}
