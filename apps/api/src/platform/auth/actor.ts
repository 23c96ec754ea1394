import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { tenantStatus, withOperator, withTenant, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';
import type { Config } from '../../config.js';
import { clientIp } from '../client-ip.js';
import { AppError } from '../errors.js';
import { CONFIG } from '../tokens.js';
import type { PrincipalRole } from './access.js';

/**
 * Who is calling an admin route, with what the audit trail records about the call (SPEC §7):
 * the person from the access token (set by AccessGuard), the client IP as configuration says to
 * trust it (TRUSTED_PROXY_HOPS), the user agent and the trace id. Tenant routes take the tenant
 * from here, never from the URL or body.
 */
export interface Actor {
  type: 'tenant_admin' | 'operator';
  id: string;
  role: PrincipalRole;
  /** The tenant of a tenant admin or viewer; null for operators. */
  tenantId: string | null;
  ip: string;
  userAgent?: string;
  traceId: string;
}

/** Where an admin request comes from, as audit entries record it (also for sign-in, before there is an actor). */
export interface RequestOrigin {
  ip: string;
  userAgent?: string;
  traceId: string;
}

export function requestOrigin(request: FastifyRequest, trustedProxyHops: number): RequestOrigin {
  const ua = request.headers['user-agent'];
  return {
    ip: clientIp(request, trustedProxyHops),
    ...(typeof ua === 'string' ? { userAgent: ua.slice(0, 512) } : {}),
    traceId: request.traceId,
  };
}

/** Builds the Actor of a request; provided by PlatformModule to every controller. */
@Injectable()
export class RequestActors {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  of(request: FastifyRequest): Actor {
    const principal = request.signedIn;
    if (!principal) throw new AppError('UNAUTHENTICATED');
    return {
      type: principal.subjectType,
      id: principal.subjectId,
      role: principal.role,
      tenantId: principal.tenantId,
      ...requestOrigin(request, this.config.trustedProxyHops),
    };
  }
}

/** The tenant a tenant route acts in (the guard admits only tenant admins and viewers to them). */
export function tenantOf(actor: Actor): string {
  if (actor.tenantId === null) throw new AppError('FORBIDDEN', { message: 'This route acts inside the tenant of a tenant admin' });
  return actor.tenantId;
}

/** Viewers read, but never see dead-letter payloads, secrets or audit before/after values (SPEC §6). */
export function isViewer(actor: Actor): boolean {
  return actor.role === 'viewer';
}

/** How a secret appears in a response or an audit entry: whether it is set, never its value. */
export const REDACTED = '[REDACTED]';

/** What an audit entry needs of its actor: an admin request's Actor, or a CLI's bare id. */
export type AuditedActor = Pick<Actor, 'type' | 'id'> & Partial<Pick<Actor, 'ip' | 'userAgent' | 'traceId'>>;

/** Audit fields of this actor; the caller adds tenant, action, resource and before/after. */
export function auditBy(actor: AuditedActor) {
  return { actorType: actor.type, actorId: actor.id, ip: actor.ip, userAgent: actor.userAgent, traceId: actor.traceId };
}

/** One unit of work in the tenant of a tenant admin or viewer, as the tenant_admin actor of the RLS policies. */
export function inOwnTenant<T>(database: Database, actor: Actor, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(database, { tenantId: tenantOf(actor), actorType: 'tenant_admin', actorId: actor.id }, fn);
}

/**
 * One unit of work inside `tenantId` on behalf of an admin: an operator confined to that tenant
 * (the operator actor of the RLS policies, never a bypass), or that tenant's own admin (another
 * tenant's id is NOT_FOUND). Either way RLS sees only that tenant.
 */
export function inTenantScope<T>(
  database: Database,
  actor: Actor,
  tenantId: string,
  fn: (tx: TenantTx | OperatorTx) => Promise<T>,
): Promise<T> {
  if (actor.type === 'operator') return withOperator(database, actor.id, fn, { tenantId });
  if (actor.tenantId !== tenantId) throw new AppError('NOT_FOUND');
  return withTenant(database, { tenantId, actorType: 'tenant_admin', actorId: actor.id }, fn);
}

/** The tenant row's status inside a scope: missing → 404; deleted → 409 (nothing changes on a deleted tenant). */
export async function assertLiveTenant(tx: OperatorTx | TenantTx, tenantId: string): Promise<void> {
  const status = await tenantStatus(tx, tenantId);
  if (status === undefined) throw new AppError('NOT_FOUND', { message: 'Tenant not found' });
  if (status === 'deleted') throw new AppError('CONFLICT', { message: 'The tenant is deleted' });
}
