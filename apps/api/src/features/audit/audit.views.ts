import type { CsvColumn } from '../../platform/csv-export.js';
import type { AuditRow } from './audit.repository.js';

/** One entry as the lists show it; viewers (hideValues) get no before/after values. */
export function entryView(r: AuditRow, hideValues: boolean, withTenantId: boolean) {
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
export function auditCsvColumns(withTenantId: boolean): CsvColumn<EntryView>[] {
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
