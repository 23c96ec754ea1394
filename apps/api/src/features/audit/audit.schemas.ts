import { z } from 'zod';
import { pageQuery, timeRangeQuery } from '../../platform/query-params.js';
import { exportLimitQuery } from '../../platform/csv-export.js';

export const auditQuery = z.object({
  action: z.string().max(200).optional(),
  actorType: z.enum(['operator', 'tenant_admin', 'api_key', 'system_tenant', 'system', 'anonymous']).optional(),
  actorId: z.string().max(200).optional(),
  resourceType: z.string().max(100).optional(),
  resourceId: z.string().max(200).optional(),
  traceId: z.string().max(128).optional(),
  ...timeRangeQuery,
  ...pageQuery,
});
export const operatorAuditQuery = auditQuery.extend({
  tenantId: z.uuid().optional(),
  scope: z
    .enum(['all', 'platform', 'tenants'])
    .default('all')
    .meta({ description: 'platform: entries with no tenant (operator actions, unknown-user logins)' }),
});
/** The list's filters (no page: an export starts at the newest) and the export's own row cap. */
export const auditExportQuery = auditQuery.omit({ page: true, limit: true }).extend(exportLimitQuery);
export const operatorAuditExportQuery = operatorAuditQuery.omit({ page: true, limit: true }).extend(exportLimitQuery);

/** One entry as the lists show it. */
export const auditEntrySchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid().nullable().optional().meta({ description: 'Operator view only; null for platform entries' }),
    actorType: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    resourceType: z.string().nullable(),
    resourceId: z.string().nullable(),
    before: z.unknown().nullable().meta({ description: 'null for viewers (valuesHidden: true); secrets are never recorded' }),
    after: z.unknown().nullable(),
    valuesHidden: z.boolean(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    traceId: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' });
