import { Inject, Injectable } from '@nestjs/common';
import { withOperator, type Database, type TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { DATABASE } from '../../platform/tokens.js';
import { findEventStatus } from '../events/event-status.repository.js';
import { eventLogStatuses, findLog, listEvents, listLogs, type EventFilter, type LogFilter } from './delivery-log.repository.js';
import { eventView, logCsvColumns, logDetailView, logView } from './delivery-log.views.js';
import { type Actor, auditBy, inOwnTenant, isViewer } from '../../platform/auth/actor.js';
import { exportAuditRecord, toCsv, type CsvExport } from '../../platform/csv-export.js';
import { appendAudit } from '../audit/audit.repository.js';

/**
 * Reading deliveries (SPEC §6): a tenant's logs and events inside its tenant (RLS, actor
 * tenant_admin), and an operator's view across tenants (the operator actor of the policies).
 * Viewers see every delivery but no message content (rendered content is hidden like dead-letter
 * payloads; lists and events carry no content at all).
 *
 * Exports (CSV of the current filters, newest first, at most `limit` rows) read and write their audit
 * entry (`logs.export`: who, the filters, how many rows) in one transaction: no export without its entry.
 */
@Injectable()
export class DeliveryLogService {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async tenantLogs(actor: Actor, filter: Omit<LogFilter, 'tenantId'>, page: { limit: number; cursor?: string }) {
    return this.inTenant(actor, async (tx) => {
      const { rows, nextCursor } = await listLogs(tx, { ...filter, tenantId: tx.tenantId }, page);
      return { success: true as const, data: rows.map((r) => logView(r)), pagination: { nextCursor, limit: page.limit } };
    });
  }

  async tenantLog(actor: Actor, id: string) {
    const found = await this.inTenant(actor, (tx) => findLog(tx, id, tx.tenantId));
    if (!found) throw new AppError('NOT_FOUND', { message: 'No such notification in this tenant' });
    return logDetailView(found, { hideContent: isViewer(actor) });
  }

  async tenantEvents(actor: Actor, filter: EventFilter, page: { page: number; limit: number }) {
    return this.inTenant(actor, async (tx) => {
      const { rows, total } = await listEvents(tx, tx.tenantId, filter, page);
      // Per-channel statuses of the page's events in one query.
      const ids = rows.map((r) => r.event_id);
      const logs = ids.length ? await eventLogStatuses(tx, ids) : [];
      const data = rows.map((event) =>
        eventView(
          event,
          logs.filter((l) => l.event_id === event.event_id && l.mode === event.mode),
        ),
      );
      return { data, total };
    });
  }

  async tenantEvent(actor: Actor, eventId: string, mode: 'live' | 'sandbox') {
    const found = await this.inTenant(actor, (tx) => findEventStatus(tx, mode, eventId));
    if (!found) throw new AppError('NOT_FOUND', { message: 'The event has not been processed yet, or does not exist' });
    return eventView(found.event, found.logs);
  }

  async operatorLogs(actor: Actor, filter: LogFilter, page: { limit: number; cursor?: string }) {
    return withOperator(this.database, actor.id, async (tx) => {
      const { rows, nextCursor } = await listLogs(tx, filter, page);
      return { success: true as const, data: rows.map((r) => logView(r, true)), pagination: { nextCursor, limit: page.limit } };
    });
  }

  async operatorLog(actor: Actor, id: string) {
    const found = await withOperator(this.database, actor.id, (tx) => findLog(tx, id));
    if (!found) throw new AppError('NOT_FOUND');
    return logDetailView(found, { withTenant: true });
  }

  async tenantExport(actor: Actor, filter: Omit<LogFilter, 'tenantId'>, limit: number): Promise<CsvExport> {
    return this.inTenant(actor, async (tx) => {
      const { rows, nextCursor } = await listLogs(tx, { ...filter, tenantId: tx.tenantId }, { limit });
      const result = {
        csv: toCsv(
          rows.map((r) => logView(r)),
          logCsvColumns(false),
        ),
        rows: rows.length,
        truncated: nextCursor !== null,
      };
      await appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: 'logs.export',
        resourceType: 'notification_logs',
        after: exportAuditRecord(filter, limit, result),
      });
      return result;
    });
  }

  /** Across tenants; with a tenant filter the entry goes to that tenant's trail too (it sees who read its logs). */
  async operatorExport(actor: Actor, filter: LogFilter, limit: number): Promise<CsvExport> {
    const scope = filter.tenantId ? { tenantId: filter.tenantId } : {};
    return withOperator(
      this.database,
      actor.id,
      async (tx) => {
        const { rows, nextCursor } = await listLogs(tx, filter, { limit });
        const result = {
          csv: toCsv(
            rows.map((r) => logView(r, true)),
            logCsvColumns(true),
          ),
          rows: rows.length,
          truncated: nextCursor !== null,
        };
        await appendAudit(tx, {
          tenantId: filter.tenantId ?? null,
          ...auditBy(actor),
          action: 'logs.export',
          resourceType: 'notification_logs',
          after: exportAuditRecord(filter, limit, result),
        });
        return result;
      },
      scope,
    );
  }

  private inTenant<T>(actor: Actor, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return inOwnTenant(this.database, actor, fn);
  }
}
