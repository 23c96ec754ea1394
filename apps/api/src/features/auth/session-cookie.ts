import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import type { Realm } from './auth.service.js';

/**
 * The browser side of admin sessions: the refresh-token cookie (httpOnly, SameSite=Strict, its
 * Path scoped to the realm's auth routes, so operator and tenant-admin sessions never see each
 * other's cookie) and the CSRF header that refresh and logout require. A cross-site form or
 * image cannot set a custom header, and a cross-site script cannot without a CORS preflight,
 * which only the admin UI's origin passes.
 */
export const REFRESH_COOKIE = 'orqestra_refresh';
export const CSRF_HEADER = 'x-orqestra-csrf';

export const AUTH_PATHS: Record<Realm, string> = {
  operator: '/api/v1/admin/auth',
  tenant: '/api/v1/tenant/auth',
};

/** The refresh token from the Cookie header, if any (our tokens are base64url: no decoding needed). */
export function readRefreshCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === REFRESH_COOKIE) {
      const value = part.slice(index + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function setRefreshCookie(reply: FastifyReply, realm: Realm, token: string, expiresAt: Date, secure: boolean, now: Date): void {
  const maxAge = Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 1000));
  void reply.header('set-cookie', cookie(realm, token, maxAge, secure));
}

export function clearRefreshCookie(reply: FastifyReply, realm: Realm, secure: boolean): void {
  void reply.header('set-cookie', cookie(realm, '', 0, secure));
}

function cookie(realm: Realm, value: string, maxAge: number, secure: boolean): string {
  return `${REFRESH_COOKIE}=${value}; Path=${AUTH_PATHS[realm]}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Refresh and logout: 403 CSRF_HEADER_REQUIRED unless `X-Orqestra-CSRF: 1`. */
export function requireCsrfHeader(request: FastifyRequest): void {
  if (request.headers[CSRF_HEADER] !== '1') throw new AppError('CSRF_HEADER_REQUIRED');
}
