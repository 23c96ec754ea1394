import { Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { CLOCK, CONFIG, type Clock } from '../../platform/tokens.js';
import { tenantLoginSchema } from './auth.schemas.js';
import { AuthService } from './auth.service.js';
import { AuthRoutes } from './auth.routes.js';

/** Tenant admins and viewers: /api/v1/tenant/auth/* (email + password). */
@Controller('api/v1/tenant/auth')
@UseGuards(AccessGuard)
export class AuthTenantController extends AuthRoutes {
  protected readonly realm = 'tenant';

  constructor(auth: AuthService, @Inject(CONFIG) config: Config, @Inject(CLOCK) clock: Clock) {
    super(auth, config, clock);
  }

  @Post('login')
  @HttpCode(200)
  @Access('public')
  async login(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = parseJsonBody(request, tenantLoginSchema);
    return this.issue(reply, this.auth.login('tenant', body.email, body.password, this.meta(request)));
  }

  @Get('me')
  @Access('tenant:session')
  me(@Req() request: FastifyRequest) {
    return this.meOf(request);
  }

  @Post('change-password')
  @HttpCode(200)
  @Access('tenant:session')
  changePassword(@Req() request: FastifyRequest) {
    return this.changePasswordOf(request);
  }
}
