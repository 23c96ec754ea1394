import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponse } from '../../platform/openapi/openapi.js';
import { AUTH_PATHS, REFRESH_COOKIE } from './session-cookie.js';
import { accessSchema, changePasswordSchema, meSchema, okSchema, operatorLoginSchema, tenantLoginSchema } from './auth.schemas.js';
import type { Realm } from './auth.service.js';
import { adminBearer } from '../../platform/openapi/admin-openapi.js';

const csrfHeaders = z.object({
  'x-orqestra-csrf': z.literal('1').meta({ description: 'Required (CSRF): a cross-site page cannot send it' }),
});
const cookieParams = z.object({
  [REFRESH_COOKIE]: z.string().optional().meta({ description: 'The refresh token set by login/refresh (httpOnly; the browser sends it)' }),
});
const setCookie = {
  'Set-Cookie': {
    description: `${REFRESH_COOKIE}=<refresh token>; Path=<this realm's auth path>; Max-Age=<rest of the 8 h session>; HttpOnly; SameSite=Strict (Secure in production)`,
    schema: { type: 'string' as const },
  },
};
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  headers: setCookie,
  content: { 'application/json': { schema } },
});

function registerRealm(registry: OpenAPIRegistry, realm: Realm): void {
  const base = AUTH_PATHS[realm];
  const who = realm === 'operator' ? 'Platform operator' : 'Tenant admin or viewer';
  const tags = [realm === 'operator' ? 'Operator auth' : 'Tenant auth'];
  registry.registerPath({
    method: 'post',
    path: `${base}/login`,
    tags,
    summary: `${who}: log in`,
    description:
      `${realm === 'operator' ? 'Username' : 'Email (unique across tenants)'} and password. Returns an access token (valid ADMIN_ACCESS_TOKEN_SECONDS, 15 minutes by default; see expiresAt) and sets the refresh cookie. ` +
      'After repeated failures per (login, client IP) every attempt is refused for a growing time (429 with Retry-After).',
    security: [],
    request: { body: { content: { 'application/json': { schema: realm === 'operator' ? operatorLoginSchema : tenantLoginSchema } } } },
    responses: {
      200: json('Signed in. mustChangePassword: true means only me and change-password are open', accessSchema),
      401: errorResponse('INVALID_LOGIN (unknown user, wrong password, or disabled account: indistinguishable)'),
      ...(realm === 'tenant' ? { 403: errorResponse('TENANT_SUSPENDED (right password, suspended tenant)') } : {}),
      415: errorResponse('UNSUPPORTED_MEDIA_TYPE'),
      422: errorResponse('VALIDATION_FAILED'),
      429: errorResponse('RATE_LIMITED: too many failed logins; Retry-After says when to try again'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/refresh`,
    tags,
    summary: `${who}: new access token (rotates the refresh cookie)`,
    description:
      'Every refresh token works once. Presenting one that was already used ends the whole session (all its tokens) and is audited as auth.refresh_reuse.',
    security: [],
    request: { headers: csrfHeaders, cookies: cookieParams },
    responses: {
      200: json('A new access token and a new refresh cookie', accessSchema),
      401: errorResponse('REFRESH_TOKEN_INVALID: missing, expired, revoked or already used (the cookie is cleared)'),
      403: errorResponse('CSRF_HEADER_REQUIRED'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/logout`,
    tags,
    summary: `${who}: log out`,
    description:
      'Ends the session of the refresh cookie (and of the bearer token, if sent) and clears the cookie. Access tokens already issued expire on their own (ADMIN_ACCESS_TOKEN_SECONDS, 15 minutes by default).',
    security: [],
    request: { headers: csrfHeaders, cookies: cookieParams },
    responses: { 200: json('Logged out (also when there was no session)', okSchema), 403: errorResponse('CSRF_HEADER_REQUIRED') },
  });
  const bearer = adminBearer(registry);
  const otherRealm = errorResponse(
    `FORBIDDEN: a token of the other realm (${realm === 'operator' ? "a tenant admin's" : "an operator's"})`,
  );
  registry.registerPath({
    method: 'get',
    path: `${base}/me`,
    tags,
    summary: 'Who is signed in',
    security: bearer,
    responses: {
      200: { description: 'The signed-in person', content: { 'application/json': { schema: meSchema } } },
      401: errorResponse('UNAUTHENTICATED'),
      403: otherRealm,
    },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/change-password`,
    tags,
    summary: 'Change the password (required after a temporary one)',
    description:
      'Needs the current password; the new one has at least 12 characters. Ends the other sessions of this person and returns a fresh access token without the temporary-password flag.',
    security: bearer,
    request: { body: { content: { 'application/json': { schema: changePasswordSchema } } } },
    responses: {
      200: { description: 'Changed', content: { 'application/json': { schema: accessSchema } } },
      401: errorResponse('UNAUTHENTICATED'),
      403: otherRealm,
      422: errorResponse('VALIDATION_FAILED: currentPassword wrong, or newPassword too short / unchanged'),
      429: errorResponse('RATE_LIMITED: too many wrong current passwords'),
    },
  });
}

export function registerAuthRoutes(registry: OpenAPIRegistry): void {
  registerRealm(registry, 'operator');
  registerRealm(registry, 'tenant');
}
