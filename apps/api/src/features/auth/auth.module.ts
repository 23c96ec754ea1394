import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { CONFIG, REDIS } from '../../platform/tokens.js';
import { OperatorAuthController, TenantAuthController } from './auth.controller.js';
import { AdminAuthService, LOGIN_THROTTLE } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';

/** Sign-in of operators and tenant admins (SPEC §6): sessions, refresh rotation, password change. */
@Module({
  controllers: [OperatorAuthController, TenantAuthController],
  providers: [
    AdminAuthService,
    { provide: LOGIN_THROTTLE, inject: [REDIS, CONFIG], useFactory: (redis: Redis, config: Config) => new LoginThrottle(redis, config.admin.loginThrottle) },
  ],
})
export class AdminAuthModule {}
