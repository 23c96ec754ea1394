import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isUuid, withOperator, withTenant, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';
import type { Config } from '../../config.js';
import { clientIp } from '../../platform/client-ip.js';
import { AppError } from '../../platform/errors.js';
import { toDetails } from '../../platform/json-body.js';
import type { AuditEntry } from '../audit/audit.repository.js';

/**
 * Who performs an admin action and from where: what every audit entry of the tenant-management
 * routes records (SPEC §7: who, IP by the configured proxy hops, user agent, trace id).
 */
export interface AdminActor {
  type: 'operator' | 'tenant_admin';
  id: string;
  ip?: string;
  userAgent?: string;
  traceId?: string;
}

export function actorOf(request: FastifyRequest, config: Config): AdminActor {
  const admin = request.admin;
  if (!admin) throw new AppError('UNAUTHENTICATED');
  const userAgent = request.headers['user-agent'];
  return {
    type: admin.subjectType,
    id: admin.subjectId,
    ip: clientIp(request, config.trustedProxyHops),
    ...(typeof userAgent === 'string' ? { userAgent: userAgent.slice(0, 512) } : {}),
    traceId: request.traceId,
  };
}

/** The tenant of a tenant admin's request: always the token's, never the URL's. */
export function ownTenantId(request: FastifyRequest): string {
  const tenantId = request.admin?.tenantId;
  if (!tenantId) throw new AppError('FORBIDDEN');
  return tenantId;
}

/** A path id that is not a uuid names nothing (404 rather than a database cast error). */
export function pathId(value: string): string {
  if (!isUuid(value)) throw new AppError('NOT_FOUND');
  return value;
}

export function auditEntry(
  actor: AdminActor,
  entry: Omit<AuditEntry, 'actorType' | 'actorId' | 'ip' | 'userAgent' | 'traceId'>,
): AuditEntry {
  return { ...entry, actorType: actor.type, actorId: actor.id, ip: actor.ip, userAgent: actor.userAgent, traceId: actor.traceId };
}

/**
 * One unit of work inside a tenant on behalf of an admin: an operator confined to that tenant
 * (RLS operator actor), or the tenant's own admin. Either way RLS sees only that tenant.
 */
export function inTenantScope<T>(database: Database, actor: AdminActor, tenantId: string, fn: (tx: OperatorTx | TenantTx) => Promise<T>): Promise<T> {
  if (actor.type === 'operator') return withOperator(database, actor.id, fn, { tenantId });
  return withTenant(database, { tenantId, actorType: 'tenant_admin', actorId: actor.id }, fn);
}

/** The tenant row's status inside a scope: missing → 404; deleted → 409 (nothing changes on a deleted tenant). */
export async function assertLiveTenant(tx: OperatorTx | TenantTx, tenantId: string): Promise<void> {
  const row = await tx.db.selectFrom('tenants').select('status').where('id', '=', tenantId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { message: 'Tenant not found' });
  if (row.status === 'deleted') throw new AppError('CONFLICT', { message: 'The tenant is deleted' });
}

export const paginationQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type Pagination = z.infer<typeof paginationQuerySchema>;

/** Query-string parameters, validated like a body (422 listing every problem). */
export function parseQuery<S extends z.ZodType>(request: FastifyRequest, schema: S): z.infer<S> {
  const result = schema.safeParse(request.query ?? {});
  if (!result.success) throw new AppError('VALIDATION_FAILED', { details: toDetails(result.error.issues) });
  return result.data;
}

/** SPEC §6 list shape. */
export function paginated<T>(data: T[], pagination: Pagination, total: number) {
  return { success: true as const, data, pagination: { page: pagination.page, limit: pagination.limit, total } };
}

/** How a secret appears in an audit entry: whether it is set, never its value. */
export const REDACTED = '[REDACTED]';
