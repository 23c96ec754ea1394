import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { auditExportQuery, auditQuery, operatorAuditExportQuery, operatorAuditQuery } from './audit.controller.js';
import { csvExportResponse, EXPORT_MAX_ROWS } from '../../platform/csv-export.js';
import { adminBearer, adminErrors, json, pageOf } from '../../platform/openapi/admin-openapi.js';

const entrySchema = z
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

export function registerAuditLogRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  registry.registerPath({
    method: 'get', path: '/api/v1/tenant/audit', tags: ['Tenant: audit'], security, summary: "The tenant's audit trail, newest first (tenant:viewer; before/after hidden from viewers)",
    request: { query: auditQuery },
    responses: { 200: json('A page of entries', pageOf(entrySchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/admin/audit', tags: ['Operator: audit'], security, summary: 'The platform and every tenant audit trail (operator)',
    request: { query: operatorAuditQuery },
    responses: { 200: json('A page of entries', pageOf(entrySchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/tenant/audit/export', tags: ['Tenant: audit'], security, summary: "The tenant's audit entries matching the list's filters as CSV (tenant:viewer; audited)",
    description: `The same filters as GET /api/v1/tenant/audit, newest first, at most ${EXPORT_MAX_ROWS} rows (limit). before/after are JSON text, empty for viewers (values_hidden true). Each export writes an audit entry audit.export with the caller, the filters and the row count.`,
    request: { query: auditExportQuery },
    responses: { 200: csvExportResponse('The CSV file (Content-Disposition: attachment)'), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/admin/audit/export', tags: ['Operator: audit'], security, summary: 'The platform and every tenant audit trail (or one tenant\'s) matching the filters as CSV (operator; audited)',
    description: `The same filters as GET /api/v1/admin/audit, newest first, at most ${EXPORT_MAX_ROWS} rows (limit), with a tenant_id column. Each export writes an audit entry audit.export (a platform entry; with tenantId, in that tenant's trail).`,
    request: { query: operatorAuditExportQuery },
    responses: { 200: csvExportResponse('The CSV file (Content-Disposition: attachment)'), ...adminErrors() },
  });
}
