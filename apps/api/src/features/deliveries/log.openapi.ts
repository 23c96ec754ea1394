import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { cursorPageOf, eventQuery, eventSchema, eventsQuery, logDetailSchema, logSchema, logsExportQuery, logsQuery, operatorLogsExportQuery, operatorLogsQuery } from './log.schemas.js';
import { csvExportResponse, EXPORT_MAX_ROWS } from '../../platform/csv-export.js';
import { adminBearer, adminErrors, dataOf, idParams, json, pageOf } from '../../platform/openapi/admin-openapi.js';

export function registerLogsRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  const tags = ['Tenant: logs and events'];
  registry.registerPath({
    method: 'get', path: '/api/v1/tenant/logs', tags, security, summary: "The tenant's notification logs, newest first (tenant:viewer)",
    description: 'Cursor pagination: pass pagination.nextCursor as ?cursor= for the next page; null when there is none.',
    request: { query: logsQuery },
    responses: { 200: json('A page of logs', cursorPageOf(logSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/tenant/logs/export', tags, security, summary: "The tenant's logs matching the list's filters as CSV (tenant:viewer; audited)",
    description: `The same filters as GET /api/v1/tenant/logs, newest first, at most ${EXPORT_MAX_ROWS} rows (limit). Columns: what the list shows (no message content, for any role). Each export writes an audit entry logs.export with the caller, the filters and the row count.`,
    request: { query: logsExportQuery },
    responses: { 200: csvExportResponse('The CSV file (Content-Disposition: attachment)'), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/tenant/logs/{id}', tags, security, summary: 'One notification with its rendered content (hidden from viewers) and attempt timeline (tenant:viewer)',
    request: { params: idParams },
    responses: { 200: json('The log', dataOf(logDetailSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/tenant/events', tags, security, summary: "The tenant's processed events with their outcome per channel (tenant:viewer)",
    request: { query: eventsQuery },
    responses: { 200: json('A page of events', pageOf(eventSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/tenant/events/{eventId}', tags, security, summary: 'One event with its outcome per channel (tenant:viewer)',
    request: { params: z.object({ eventId: z.string() }), query: eventQuery },
    responses: { 200: json('The event', dataOf(eventSchema)), ...adminErrors({ 404: 'NOT_FOUND: not processed yet, or no such event' }) },
  });
  const operatorTags = ['Operator: logs'];
  registry.registerPath({
    method: 'get', path: '/api/v1/admin/logs', tags: operatorTags, security, summary: "Every tenant's notification logs (operator)",
    request: { query: operatorLogsQuery },
    responses: { 200: json('A page of logs, each with its tenantId', cursorPageOf(logSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/admin/logs/export', tags: operatorTags, security, summary: "Every tenant's logs (or one tenant's) matching the filters as CSV (operator; audited)",
    description: `The same filters as GET /api/v1/admin/logs, newest first, at most ${EXPORT_MAX_ROWS} rows (limit), with a tenant_id column. Each export writes an audit entry logs.export (a platform entry; with tenantId, in that tenant's trail).`,
    request: { query: operatorLogsExportQuery },
    responses: { 200: csvExportResponse('The CSV file (Content-Disposition: attachment)'), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/admin/logs/{id}', tags: operatorTags, security, summary: 'One notification of any tenant with its attempt timeline (operator)',
    request: { params: idParams },
    responses: { 200: json('The log', dataOf(logDetailSchema)), ...adminErrors() },
  });
}
