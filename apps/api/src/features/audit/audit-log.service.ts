import { Inject, Injectable } from '@nestjs/common';
import { withOperator, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';
import { DATABASE } from '../../platform/tokens.js';
import { type AdminActor, inOwnTenant, isViewer } from '../../platform/auth/admin-context.js';

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

/**
 * Reading the audit trail (SPEC §6, §7): a tenant's entries for its admins (viewers never see the
 * before/after values); for operators every tenant's entries and the platform's own (tenant_id
 * NULL), which only the global operator actor of the policies can read.
 */
@Injectable()
export class AuditLogService {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async tenantLog(actor: AdminActor, filter: AuditFilter, page: { page: number; limit: number }) {
    const hide = isViewer(actor);
    return inOwnTenant(this.database, actor, (tx) =>
      this.query(tx, filter, page, { tenantId: tx.tenantId }, hide, false),
    );
  }

  /** `scope`: `platform` (operator entries with no tenant), `tenants` (tenant entries), `all` (default). */
  async operatorLog(actor: AdminActor, filter: AuditFilter & { tenantId?: string; scope: 'all' | 'platform' | 'tenants' }, page: { page: number; limit: number }) {
    return withOperator(this.database, actor.id, (tx) => this.query(tx, filter, page, filter, false, true));
  }

  private async query(
    tx: TenantTx | OperatorTx,
    filter: AuditFilter,
    page: { page: number; limit: number },
    scope: { tenantId?: string; scope?: 'all' | 'platform' | 'tenants' },
    hideValues: boolean,
    withTenantId: boolean,
  ) {
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
    const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const rows = await query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset((page.page - 1) * page.limit).execute();
    return {
      total,
      rows: rows.map((r) => ({
        id: r.id,
        ...(withTenantId ? { tenantId: r.tenant_id } : {}),
        actorType: r.actor_type,
        actorId: r.actor_id,
        action: r.action,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        before: hideValues ? null : (r.before ?? null),
        after: hideValues ? null : (r.after ?? null),
        valuesHidden: hideValues,
        ip: r.ip,
        userAgent: r.user_agent,
        traceId: r.trace_id,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }
}
