import { HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { Access } from '../../platform/auth/access.js';
import { requestOrigin } from '../../platform/auth/actor.js';
import { parseJsonBody } from '../../platform/json-body.js';
import type { Clock } from '../../platform/tokens.js';
import { clearRefreshCookie, readRefreshCookie, requireCsrfHeader, setRefreshCookie } from './session-cookie.js';
import { changePasswordSchema } from './auth.schemas.js';
import type { AuthService, IssuedAccess, IssuedSession, Realm } from './auth.service.js';

/**
 * The routes both realms share (refresh, logout, and the bodies of me and change-password); the
 * realms' controllers (auth.operator.controller.ts, auth.tenant.controller.ts) differ only in path and login field.
 */
export abstract class AuthRoutes {
  protected abstract readonly realm: Realm;

  constructor(
    protected readonly auth: AuthService,
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
    await this.auth.logout(this.realm, readRefreshCookie(request), request.signedIn, this.meta(request));
    clearRefreshCookie(reply, this.realm, this.config.admin.secureCookies);
    return { success: true as const };
  }

  /** me and change-password: routed by each realm's controller, whose @Access admits only its own realm's tokens. */
  protected async meOf(request: FastifyRequest) {
    return { success: true as const, ...(await this.auth.me(request.signedIn!)) };
  }

  protected async changePasswordOf(request: FastifyRequest) {
    const body = parseJsonBody(request, changePasswordSchema);
    return accessBody(await this.auth.changePassword(request.signedIn!, body.currentPassword, body.newPassword, this.meta(request)));
  }

  protected meta(request: FastifyRequest) {
    return requestOrigin(request, this.config.trustedProxyHops);
  }
}

export function accessBody(issued: IssuedAccess) {
  return {
    success: true as const,
    accessToken: issued.accessToken,
    tokenType: 'Bearer' as const,
    expiresAt: issued.expiresAt.toISOString(),
    mustChangePassword: issued.mustChangePassword,
    user: issued.user,
  };
}
