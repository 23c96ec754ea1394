import { Inject, Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { withOperator, type Database, type DB, type OperatorTx, type TenantTx } from '@orqestra/db';
import { DATABASE } from '../../platform/tokens.js';
import { type Actor, auditBy, inOwnTenant, isViewer } from '../../platform/auth/actor.js';
import { exportAuditRecord, toCsv, type CsvColumn, type CsvExport } from '../../platform/csv-export.js';
import { appendAudit } from './audit.repository.js';

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
 *
 * Exports (CSV, newest first, at most `limit` rows) show what the reader's list shows (viewers: no
 * before/after values) and write their own `audit.export` entry in the same transaction.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async tenantLog(actor: Actor, filter: AuditFilter, page: { page: number; limit: number }) {
    const hide = isViewer(actor);
    return inOwnTenant(this.database, actor, (tx) =>
      this.query(tx, filter, page, { tenantId: tx.tenantId }, hide, false),
    );
  }

  /** `scope`: `platform` (operator entries with no tenant), `tenants` (tenant entries), `all` (default). */
  async operatorLog(actor: Actor, filter: AuditFilter & { tenantId?: string; scope: 'all' | 'platform' | 'tenants' }, page: { page: number; limit: number }) {
    return withOperator(this.database, actor.id, (tx) => this.query(tx, filter, page, filter, false, true));
  }

  async tenantExport(actor: Actor, filter: AuditFilter, limit: number): Promise<CsvExport> {
    const hide = isViewer(actor);
    return inOwnTenant(this.database, actor, async (tx) => {
      const result = await this.export(tx, filter, limit, { tenantId: tx.tenantId }, hide, false);
      await appendAudit(tx, { tenantId: tx.tenantId, ...auditBy(actor), action: 'audit.export', resourceType: 'audit_logs', after: exportAuditRecord(filter, limit, result) });
      return result;
    });
  }

  /** With a tenant filter the entry goes to that tenant's trail too (it sees who read its trail); else it is a platform entry. */
  async operatorExport(actor: Actor, filter: AuditFilter & { tenantId?: string; scope: 'all' | 'platform' | 'tenants' }, limit: number): Promise<CsvExport> {
    return withOperator(
      this.database,
      actor.id,
      async (tx) => {
        const result = await this.export(tx, filter, limit, filter, false, true);
        await appendAudit(tx, { tenantId: filter.tenantId ?? null, ...auditBy(actor), action: 'audit.export', resourceType: 'audit_logs', after: exportAuditRecord(filter, limit, result) });
        return result;
      },
      filter.tenantId ? { tenantId: filter.tenantId } : {},
    );
  }

  private async export(tx: TenantTx | OperatorTx, filter: AuditFilter, limit: number, scope: Scope, hideValues: boolean, withTenantId: boolean): Promise<CsvExport> {
    const rows = await this.filtered(tx, filter, scope).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const kept = rows.slice(0, limit).map((r) => entryView(r, hideValues, withTenantId));
    return { csv: toCsv(kept, auditCsvColumns(withTenantId)), rows: kept.length, truncated: rows.length > limit };
  }

  private filtered(tx: TenantTx | OperatorTx, filter: AuditFilter, scope: Scope) {
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

  private async query(tx: TenantTx | OperatorTx, filter: AuditFilter, page: { page: number; limit: number }, scope: Scope, hideValues: boolean, withTenantId: boolean) {
    const query = this.filtered(tx, filter, scope);
    const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const rows = await query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset((page.page - 1) * page.limit).execute();
    return { total, rows: rows.map((r) => entryView(r, hideValues, withTenantId)) };
  }
}

type Scope = { tenantId?: string; scope?: 'all' | 'platform' | 'tenants' };
type AuditRow = Selectable<DB['audit_logs']>;

/** One entry as the lists show it; viewers (hideValues) get no before/after values. */
function entryView(r: AuditRow, hideValues: boolean, withTenantId: boolean) {
  return {
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
  };
}

type EntryView = ReturnType<typeof entryView>;
const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

/** The columns of an audit CSV export; before/after as JSON text, empty where the reader may not see them (values_hidden). */
function auditCsvColumns(withTenantId: boolean): CsvColumn<EntryView>[] {
  return [
    { header: 'created_at', value: (e) => e.createdAt },
    ...(withTenantId ? [{ header: 'tenant_id', value: (e: EntryView) => e.tenantId }] : []),
    { header: 'entry_id', value: (e) => e.id },
    { header: 'actor_type', value: (e) => e.actorType },
    { header: 'actor_id', value: (e) => e.actorId },
    { header: 'action', value: (e) => e.action },
    { header: 'resource_type', value: (e) => e.resourceType },
    { header: 'resource_id', value: (e) => e.resourceId },
    { header: 'ip', value: (e) => e.ip },
    { header: 'user_agent', value: (e) => e.userAgent },
    { header: 'trace_id', value: (e) => e.traceId },
    { header: 'values_hidden', value: (e) => e.valuesHidden },
    { header: 'before', value: (e) => json(e.before) },
    { header: 'after', value: (e) => json(e.after) },
  ];
}
