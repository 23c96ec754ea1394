import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import type { Config } from '../../config.js';
import { AppError } from '../errors.js';
import { CLOCK, CONFIG, type Clock } from '../tokens.js';
import { AccessDenyList } from './access-deny-list.js';
import { ApiKeyResolver } from './api-key.resolver.js';

/**
 * Who may call an admin route (SPEC §6), declared on every route under /api/v1/admin and
 * /api/v1/tenant with @Access(...). The guard refuses a route without a declaration, and the
 * authorisation matrix test is generated from these declarations.
 *
 * - `public`        anyone (login, refresh, logout: they carry their own checks)
 * - `operator:session` a signed-in operator, even one who must still change a temporary
 *                   password (the operator realm's me, change-password)
 * - `tenant:session` a signed-in tenant admin or viewer, likewise (the tenant realm's me,
 *                   change-password): a token of one realm is refused on the other's session routes
 * - `operator`      platform operators
 * - `tenant:viewer` tenant admins and viewers of the tenant in the token
 * - `tenant:admin`  tenant admins (not viewers) of the tenant in the token
 */
export type AccessRule = 'public' | 'operator:session' | 'tenant:session' | 'operator' | 'tenant:viewer' | 'tenant:admin';

export const ACCESS_METADATA = 'orqestra:access';

export const Access = (rule: AccessRule) => SetMetadata(ACCESS_METADATA, rule);

export type PrincipalRole = 'platform_operator' | 'admin' | 'viewer';

/** The signed-in person of an admin request, from the access JWT. */
export interface Principal {
  subjectType: 'operator' | 'tenant_admin';
  subjectId: string;
  role: PrincipalRole;
  /** null for operators. */
  tenantId: string | null;
  /** The refresh-token family this access token came from (logout revokes it). */
  sessionFamilyId: string;
  /** A temporary password is in use: only `session` and `public` routes are open. */
  mustChangePassword: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    signedIn?: Principal;
  }
}

const ISSUER = 'orqestra';
const AUDIENCE = 'orqestra-admin';

export interface VerifiedAccessToken {
  principal: Principal;
  /** The token's `iat`, epoch seconds. */
  issuedAt: number;
}

/** Access JWTs of the admin console: HS256, ADMIN_ACCESS_TOKEN_SECONDS (15 minutes by default, SPEC §6). */
@Injectable()
export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly lifetimeSeconds: number;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(config.admin.jwtSecret);
    this.lifetimeSeconds = config.admin.accessTokenSeconds;
  }

  async sign(principal: Principal): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const token = await new SignJWT({
      typ: principal.subjectType,
      role: principal.role,
      tid: principal.tenantId,
      fam: principal.sessionFamilyId,
      mcp: principal.mustChangePassword,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.subjectId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.lifetimeSeconds)
      .sign(this.key);
    return { token, expiresAt: new Date((now + this.lifetimeSeconds) * 1000) };
  }

  /** The principal of a valid token and when it was issued (epoch seconds), or null (bad signature, expired, wrong audience, malformed). */
  async verify(token: string): Promise<VerifiedAccessToken | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: this.clock.now(),
      });
      const { sub, typ, role, tid, fam, mcp, iat } = payload;
      if (typeof sub !== 'string' || typeof fam !== 'string' || typeof mcp !== 'boolean' || typeof iat !== 'number') return null;
      if (typ === 'operator' && role === 'platform_operator' && tid === null) {
        return {
          principal: { subjectType: 'operator', subjectId: sub, role, tenantId: null, sessionFamilyId: fam, mustChangePassword: mcp },
          issuedAt: iat,
        };
      }
      if (typ === 'tenant_admin' && (role === 'admin' || role === 'viewer') && typeof tid === 'string') {
        return {
          principal: { subjectType: 'tenant_admin', subjectId: sub, role, tenantId: tid, sessionFamilyId: fam, mustChangePassword: mcp },
          issuedAt: iat,
        };
      }
      return null;
    } catch {
      return null;
    }
  }
}

/** Whether a principal satisfies a rule (pure: the guard and the matrix test share it). */
export function allows(rule: AccessRule, principal: Principal | undefined): boolean {
  if (rule === 'public') return true;
  if (!principal) return false;
  if (rule === 'operator:session') return principal.subjectType === 'operator';
  if (rule === 'tenant:session') return principal.subjectType === 'tenant_admin';
  if (principal.mustChangePassword) return false;
  if (rule === 'operator') return principal.role === 'platform_operator';
  if (rule === 'tenant:viewer') return principal.role === 'admin' || principal.role === 'viewer';
  return principal.role === 'admin';
}

/**
 * Guards admin controllers: reads the route's @Access rule (refusing routes that have none),
 * verifies `Authorization: Bearer <access JWT>`, refuses tokens on the deny list (ended
 * sessions, reset passwords) and tokens of a tenant that is no longer active (SPEC §7: within
 * 5 s of a suspension or deletion, through the same cache and invalidation as API keys), and
 * sets request.signedIn.
 * No token, a bad one, a denied one or a deleted tenant's → 401 UNAUTHENTICATED; a suspended
 * tenant's → 403 TENANT_SUSPENDED; a valid token without the role →
 * 403 FORBIDDEN; a temporary password not yet changed → 403 PASSWORD_CHANGE_REQUIRED; Redis
 * unreachable while checking the deny list → 503 UNAVAILABLE (fail closed).
 * On `public` routes a bearer token is only read (logout ends its family), never checked against the list.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly denyList: AccessDenyList,
    /** Its tenant-status cache: the same TTL and invalidation as API keys. */
    private readonly tenants: ApiKeyResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (!rule) throw new AppError('FORBIDDEN', { message: 'This route declares no access rule' });
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const verified = token ? await this.tokens.verify(token) : null;
    if (verified) request.signedIn = verified.principal;
    if (rule === 'public') return true;
    if (!verified) throw new AppError('UNAUTHENTICATED');
    // Before the deny list: a suspension also ends the tenant's sessions, and its admins should learn why.
    // Only where the rule would admit the caller: elsewhere the answer is FORBIDDEN whatever the tenant's state.
    const { tenantId, subjectId } = verified.principal;
    if (tenantId !== null && allows(rule, { ...verified.principal, mustChangePassword: false }))
      await this.refuseInactiveTenant(request, tenantId, subjectId);
    if (await this.denyList.refuses({ ...verified.principal, issuedAt: verified.issuedAt })) {
      delete request.signedIn;
      throw new AppError('UNAUTHENTICATED', { message: 'This session has ended: sign in again' });
    }
    const principal = verified.principal;
    if (allows(rule, principal)) return true;
    if (principal.mustChangePassword && allows(rule, { ...principal, mustChangePassword: false }))
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    throw new AppError('FORBIDDEN');
  }

  private async refuseInactiveTenant(request: FastifyRequest, tenantId: string, subjectId: string): Promise<void> {
    const status = await this.tenants.tenantStatus(tenantId, subjectId).catch(() => {
      throw new AppError('UNAVAILABLE', { message: 'Temporarily unavailable: try again', headers: { 'retry-after': '1' } });
    });
    if (status === 'active') return;
    delete request.signedIn;
    if (status === 'suspended') throw new AppError('TENANT_SUSPENDED');
    throw new AppError('UNAUTHENTICATED', { message: 'This tenant no longer exists' });
  }
}
