import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { CONFIG, REDIS } from '../../platform/tokens.js';
import { AuthOperatorController } from './auth.operator.controller.js';
import { AuthTenantController } from './auth.tenant.controller.js';
import { AuthService, LOGIN_THROTTLE } from './auth.service.js';
import { LoginThrottle } from './login-throttle.store.js';

/** Sign-in of operators and tenant admins (SPEC §6): sessions, refresh rotation, password change. */
@Module({
  controllers: [AuthOperatorController, AuthTenantController],
  providers: [
    AuthService,
    {
      provide: LOGIN_THROTTLE,
      inject: [REDIS, CONFIG],
      useFactory: (redis: Redis, config: Config) => new LoginThrottle(redis, config.admin.loginThrottle),
    },
  ],
})
export class AuthModule {}
