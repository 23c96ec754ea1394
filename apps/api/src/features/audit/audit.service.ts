import { Inject, Injectable } from '@nestjs/common';
import { withOperator, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';
import { DATABASE } from '../../platform/tokens.js';
import { type Actor, auditBy, inOwnTenant, isViewer } from '../../platform/auth/actor.js';
import { exportAuditRecord, toCsv, type CsvExport } from '../../platform/csv-export.js';
import { appendAudit, listAuditEntries, newestAuditEntries, type AuditFilter, type AuditScope } from './audit.repository.js';
import { auditCsvColumns, entryView } from './audit.views.js';

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
    return inOwnTenant(this.database, actor, (tx) => this.query(tx, filter, page, { tenantId: tx.tenantId }, hide, false));
  }

  /** `scope`: `platform` (operator entries with no tenant), `tenants` (tenant entries), `all` (default). */
  async operatorLog(
    actor: Actor,
    filter: AuditFilter & { tenantId?: string; scope: 'all' | 'platform' | 'tenants' },
    page: { page: number; limit: number },
  ) {
    return withOperator(this.database, actor.id, (tx) => this.query(tx, filter, page, filter, false, true));
  }

  async tenantExport(actor: Actor, filter: AuditFilter, limit: number): Promise<CsvExport> {
    const hide = isViewer(actor);
    return inOwnTenant(this.database, actor, async (tx) => {
      const result = await this.export(tx, filter, limit, { tenantId: tx.tenantId }, hide, false);
      await appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: 'audit.export',
        resourceType: 'audit_logs',
        after: exportAuditRecord(filter, limit, result),
      });
      return result;
    });
  }

  /** With a tenant filter the entry goes to that tenant's trail too (it sees who read its trail); else it is a platform entry. */
  async operatorExport(
    actor: Actor,
    filter: AuditFilter & { tenantId?: string; scope: 'all' | 'platform' | 'tenants' },
    limit: number,
  ): Promise<CsvExport> {
    return withOperator(
      this.database,
      actor.id,
      async (tx) => {
        const result = await this.export(tx, filter, limit, filter, false, true);
        await appendAudit(tx, {
          tenantId: filter.tenantId ?? null,
          ...auditBy(actor),
          action: 'audit.export',
          resourceType: 'audit_logs',
          after: exportAuditRecord(filter, limit, result),
        });
        return result;
      },
      filter.tenantId ? { tenantId: filter.tenantId } : {},
    );
  }

  private async export(
    tx: TenantTx | OperatorTx,
    filter: AuditFilter,
    limit: number,
    scope: AuditScope,
    hideValues: boolean,
    withTenantId: boolean,
  ): Promise<CsvExport> {
    const rows = await newestAuditEntries(tx, filter, scope, limit + 1);
    const kept = rows.slice(0, limit).map((r) => entryView(r, hideValues, withTenantId));
    return { csv: toCsv(kept, auditCsvColumns(withTenantId)), rows: kept.length, truncated: rows.length > limit };
  }

  private async query(
    tx: TenantTx | OperatorTx,
    filter: AuditFilter,
    page: { page: number; limit: number },
    scope: AuditScope,
    hideValues: boolean,
    withTenantId: boolean,
  ) {
    const { total, rows } = await listAuditEntries(tx, filter, scope, page);
    return { total, rows: rows.map((r) => entryView(r, hideValues, withTenantId)) };
  }
}
