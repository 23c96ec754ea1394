import { Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { CLOCK, CONFIG, type Clock } from '../../platform/tokens.js';
import { operatorLoginSchema } from './auth.schemas.js';
import { AuthService } from './auth.service.js';
import { AuthRoutes } from './auth.routes.js';

/** Platform operators: /api/v1/admin/auth/* (username + password). */
@Controller('api/v1/admin/auth')
@UseGuards(AccessGuard)
export class AuthOperatorController extends AuthRoutes {
  protected readonly realm = 'operator';

  constructor(auth: AuthService, @Inject(CONFIG) config: Config, @Inject(CLOCK) clock: Clock) {
    super(auth, config, clock);
  }

  @Post('login')
  @HttpCode(200)
  @Access('public')
  async login(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = parseJsonBody(request, operatorLoginSchema);
    return this.issue(reply, this.auth.login('operator', body.username, body.password, this.meta(request)));
  }

  @Get('me')
  @Access('operator:session')
  me(@Req() request: FastifyRequest) {
    return this.meOf(request);
  }

  @Post('change-password')
  @HttpCode(200)
  @Access('operator:session')
  changePassword(@Req() request: FastifyRequest) {
    return this.changePasswordOf(request);
  }
}
