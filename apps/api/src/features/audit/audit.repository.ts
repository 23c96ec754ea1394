import type { Selectable } from 'kysely';
import type { DB, OperatorTx, SystemTx, TenantTx } from '@orqestra/db';

export interface AuditEntry {
  tenantId: string | null;
  actorType: 'operator' | 'tenant_admin' | 'api_key' | 'system_tenant' | 'system' | 'anonymous';
  actorId: string | null;
  action: string;
  resourceType?: string;
  resourceId?: string;
  /** Secrets must already be redacted by the caller. */
  before?: unknown;
  after?: unknown;
  ip?: string;
  userAgent?: string;
  traceId?: string;
}

/**
 * Appends one audit entry in the caller's transaction, so it commits or rolls back with the change.
 * A system handle may append platform entries only (tenant NULL: e.g. failed logins of unknown users).
 */
export async function appendAudit(tx: OperatorTx | TenantTx | SystemTx, entry: AuditEntry): Promise<void> {
  await tx.db
    .insertInto('audit_logs')
    .values({
      tenant_id: entry.tenantId,
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      resource_type: entry.resourceType ?? null,
      resource_id: entry.resourceId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      ip: entry.ip ?? null,
      user_agent: entry.userAgent ?? null,
      trace_id: entry.traceId ?? null,
    })
    .execute();
}

// Reading the trail (the console's audit pages and their CSV exports).

export interface AuditFilter {
  action?: string;
  actorType?: 'operator' | 'tenant_admin' | 'api_key' | 'system_tenant' | 'system' | 'anonymous';
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  traceId?: string;
  from?: Date;
  to?: Date;
}

/** Whose entries: one tenant's, or for operators `platform` (tenant NULL), `tenants`, or `all`. */
export type AuditScope = { tenantId?: string; scope?: 'all' | 'platform' | 'tenants' };
export type AuditRow = Selectable<DB['audit_logs']>;

/** The trail narrowed to a scope and a filter. */
function filtered(tx: TenantTx | OperatorTx, filter: AuditFilter, scope: AuditScope) {
  let query = tx.db.selectFrom('audit_logs');
  if (scope.tenantId) query = query.where('tenant_id', '=', scope.tenantId);
  else if (scope.scope === 'platform') query = query.where('tenant_id', 'is', null);
  else if (scope.scope === 'tenants') query = query.where('tenant_id', 'is not', null);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actorType) query = query.where('actor_type', '=', filter.actorType);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.resourceType) query = query.where('resource_type', '=', filter.resourceType);
  if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId);
  if (filter.traceId) query = query.where('trace_id', '=', filter.traceId);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  return query;
}

/** A page of entries, newest first, with the total matching. */
export async function listAuditEntries(
  tx: TenantTx | OperatorTx,
  filter: AuditFilter,
  scope: AuditScope,
  page: { page: number; limit: number },
) {
  const query = filtered(tx, filter, scope);
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset((page.page - 1) * page.limit)
    .execute();
  return { total, rows };
}

/** Up to `limit` entries, newest first (an export). */
export function newestAuditEntries(tx: TenantTx | OperatorTx, filter: AuditFilter, scope: AuditScope, limit: number): Promise<AuditRow[]> {
  return filtered(tx, filter, scope).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
