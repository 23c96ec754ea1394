import { Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { requestOrigin } from '../../platform/auth/actor.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { CLOCK, CONFIG, type Clock } from '../../platform/tokens.js';
import { clearRefreshCookie, readRefreshCookie, requireCsrfHeader, setRefreshCookie } from './session-cookie.js';
import { changePasswordSchema, operatorLoginSchema, tenantLoginSchema } from './auth.schemas.js';
import { AdminAuthService, type IssuedAccess, type IssuedSession, type Realm } from './auth.service.js';

/** The routes both realms share; the two controllers below differ only in path and login field. */
abstract class AuthRoutes {
  protected abstract readonly realm: Realm;

  constructor(
    protected readonly auth: AdminAuthService,
    protected readonly config: Config,
    protected readonly clock: Clock,
  ) {}

  protected async issue(reply: FastifyReply, session: Promise<IssuedSession>) {
    const issued = await session;
    setRefreshCookie(reply, this.realm, issued.refreshToken, issued.refreshExpiresAt, this.config.admin.secureCookies, this.clock.now());
    return accessBody(issued);
  }

  @Post('refresh')
  @HttpCode(200)
  @Access('public')
  async refresh(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    requireCsrfHeader(request);
    try {
      return await this.issue(reply, this.auth.refresh(this.realm, readRefreshCookie(request), this.meta(request)));
    } catch (error) {
      clearRefreshCookie(reply, this.realm, this.config.admin.secureCookies);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(200)
  @Access('public')
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    requireCsrfHeader(request);
    await this.auth.logout(this.realm, readRefreshCookie(request), request.admin, this.meta(request));
    clearRefreshCookie(reply, this.realm, this.config.admin.secureCookies);
    return { success: true as const };
  }

  /** me and change-password: routed by each realm's controller, whose @Access admits only its own realm's tokens. */
  protected async meOf(request: FastifyRequest) {
    return { success: true as const, ...(await this.auth.me(request.admin!)) };
  }

  protected async changePasswordOf(request: FastifyRequest) {
    const body = parseJsonBody(request, changePasswordSchema);
    return accessBody(await this.auth.changePassword(request.admin!, body.currentPassword, body.newPassword, this.meta(request)));
  }

  protected meta(request: FastifyRequest) {
    return requestOrigin(request, this.config.trustedProxyHops);
  }
}

/** Platform operators: /api/v1/admin/auth/* (username + password). */
@Controller('api/v1/admin/auth')
@UseGuards(AccessGuard)
export class OperatorAuthController extends AuthRoutes {
  protected readonly realm = 'operator';

  constructor(auth: AdminAuthService, @Inject(CONFIG) config: Config, @Inject(CLOCK) clock: Clock) {
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

/** Tenant admins and viewers: /api/v1/tenant/auth/* (email + password). */
@Controller('api/v1/tenant/auth')
@UseGuards(AccessGuard)
export class TenantAuthController extends AuthRoutes {
  protected readonly realm = 'tenant';

  constructor(auth: AdminAuthService, @Inject(CONFIG) config: Config, @Inject(CLOCK) clock: Clock) {
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

function accessBody(issued: IssuedAccess) {
  return {
    success: true as const,
    accessToken: issued.accessToken,
    tokenType: 'Bearer' as const,
    expiresAt: issued.expiresAt.toISOString(),
    mustChangePassword: issued.mustChangePassword,
    user: issued.user,
  };
}
