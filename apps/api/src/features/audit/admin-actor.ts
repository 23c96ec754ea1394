import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { withOperator, withTenant, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';
import type { Config } from '../../config.js';
import type { AdminRole } from '../../platform/auth/admin-access.js';
import { clientIp } from '../../platform/client-ip.js';
import { AppError } from '../../platform/errors.js';
import { CONFIG } from '../../platform/tokens.js';
import type { AuditEntry } from './audit.repository.js';

/**
 * Who is calling an admin route, with what the audit trail records about the call (SPEC §7):
 * the person from the access token, the client IP as configuration says to trust it, the user
 * agent and the trace id. Tenant routes take the tenant from here, never from the URL or body.
 */
export interface AdminActor {
  type: 'tenant_admin' | 'operator';
  id: string;
  role: AdminRole;
  /** The tenant of a tenant admin or viewer; null for operators. */
  tenantId: string | null;
  ip: string;
  userAgent?: string;
  traceId: string;
}

@Injectable()
export class AdminActors {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  of(request: FastifyRequest): AdminActor {
    const admin = request.admin;
    if (!admin) throw new AppError('UNAUTHENTICATED');
    const ua = request.headers['user-agent'];
    return {
      type: admin.subjectType,
      id: admin.subjectId,
      role: admin.role,
      tenantId: admin.tenantId,
      ip: clientIp(request, this.config.trustedProxyHops),
      ...(typeof ua === 'string' ? { userAgent: ua.slice(0, 512) } : {}),
      traceId: request.traceId,
    };
  }
}

/** The tenant a tenant route acts in (the guard admits only tenant admins and viewers to them). */
export function tenantOf(actor: AdminActor): string {
  if (actor.tenantId === null) throw new AppError('FORBIDDEN', { message: 'This route acts inside the tenant of a tenant admin' });
  return actor.tenantId;
}

/** Viewers read, but never see dead-letter payloads, secrets or audit before/after values (SPEC §6). */
export function isViewer(actor: AdminActor): boolean {
  return actor.role === 'viewer';
}

/** Audit fields of this actor; the caller adds tenant, action, resource and before/after. */
export function auditBy(actor: AdminActor): Pick<AuditEntry, 'actorType' | 'actorId' | 'ip' | 'userAgent' | 'traceId'> {
  return { actorType: actor.type, actorId: actor.id, ip: actor.ip, userAgent: actor.userAgent, traceId: actor.traceId };
}

/**
 * One unit of work inside the actor's tenant: a tenant admin through the tenant_admin actor of the
 * RLS policies; an operator confined to `tenantId` (cross-tenant routes, after they found the row's tenant).
 */
export function inActorTenant<T>(database: Database, actor: AdminActor, tenantId: string, fn: (tx: TenantTx | OperatorTx) => Promise<T>): Promise<T> {
  if (actor.type === 'operator') return withOperator(database, actor.id, fn, { tenantId });
  if (actor.tenantId !== tenantId) throw new AppError('NOT_FOUND');
  return withTenant(database, { tenantId, actorType: 'tenant_admin', actorId: actor.id }, fn);
}
