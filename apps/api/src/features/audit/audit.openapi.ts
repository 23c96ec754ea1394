import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { auditEntrySchema, auditExportQuery, auditQuery, operatorAuditExportQuery, operatorAuditQuery } from './audit.schemas.js';
import { csvExportResponse, EXPORT_MAX_ROWS } from '../../platform/csv-export.js';
import { adminBearer, adminErrors, json, pageOf } from '../../platform/openapi/admin-openapi.js';

export function registerAuditRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tenant/audit',
    tags: ['Tenant: audit'],
    security,
    summary: "The tenant's audit trail, newest first (tenant:viewer; before/after hidden from viewers)",
    request: { query: auditQuery },
    responses: { 200: json('A page of entries', pageOf(auditEntrySchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/audit',
    tags: ['Operator: audit'],
    security,
    summary: 'The platform and every tenant audit trail (operator)',
    request: { query: operatorAuditQuery },
    responses: { 200: json('A page of entries', pageOf(auditEntrySchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tenant/audit/export',
    tags: ['Tenant: audit'],
    security,
    summary: "The tenant's audit entries matching the list's filters as CSV (tenant:viewer; audited)",
    description: `The same filters as GET /api/v1/tenant/audit, newest first, at most ${EXPORT_MAX_ROWS} rows (limit). before/after are JSON text, empty for viewers (values_hidden true). Each export writes an audit entry audit.export with the caller, the filters and the row count.`,
    request: { query: auditExportQuery },
    responses: { 200: csvExportResponse('The CSV file (Content-Disposition: attachment)'), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/audit/export',
    tags: ['Operator: audit'],
    security,
    summary: "The platform and every tenant audit trail (or one tenant's) matching the filters as CSV (operator; audited)",
    description: `The same filters as GET /api/v1/admin/audit, newest first, at most ${EXPORT_MAX_ROWS} rows (limit), with a tenant_id column. Each export writes an audit entry audit.export (a platform entry; with tenantId, in that tenant's trail).`,
    request: { query: operatorAuditExportQuery },
    responses: { 200: csvExportResponse('The CSV file (Content-Disposition: attachment)'), ...adminErrors() },
  });
}
