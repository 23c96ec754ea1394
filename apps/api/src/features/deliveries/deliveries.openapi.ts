import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  cursorPageOf,
  eventQuery,
  eventSchema,
  eventsQuery,
  logDetailSchema,
  logSchema,
  logsExportQuery,
  logsQuery,
  operatorLogsExportQuery,
  operatorLogsQuery,
} from './delivery-log.schemas.js';
import {
  bulkDryRunSchema,
  bulkReplayBody,
  bulkResultSchema,
  deadLetterDetailSchema,
  deadLetterSchema,
  dlqListQuery,
  operatorBulkBody,
  operatorDlqListQuery,
  reasonBody,
} from './dead-letter.schemas.js';
import { csvExportResponse, EXPORT_MAX_ROWS } from '../../platform/csv-export.js';
import { adminBearer, adminErrors, dataOf, idParams, json, jsonBody, pageOf } from '../../platform/openapi/admin-openapi.js';

/** The deliveries aggregate's part of the OpenAPI document: the delivery log, then the dead letters. */
export function registerDeliveriesRoutes(registry: OpenAPIRegistry): void {
  registerDeliveryLogRoutes(registry);
  registerDeadLetterRoutes(registry);
}

function registerDeliveryLogRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  const tags = ['Tenant: logs and events'];
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tenant/logs',
    tags,
    security,
    summary: "The tenant's notification logs, newest first (tenant:viewer)",
    description: 'Cursor pagination: pass pagination.nextCursor as ?cursor= for the next page; null when there is none.',
    request: { query: logsQuery },
    responses: { 200: json('A page of logs', cursorPageOf(logSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tenant/logs/export',
    tags,
    security,
    summary: "The tenant's logs matching the list's filters as CSV (tenant:viewer; audited)",
    description: `The same filters as GET /api/v1/tenant/logs, newest first, at most ${EXPORT_MAX_ROWS} rows (limit). Columns: what the list shows (no message content, for any role). Each export writes an audit entry logs.export with the caller, the filters and the row count.`,
    request: { query: logsExportQuery },
    responses: { 200: csvExportResponse('The CSV file (Content-Disposition: attachment)'), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tenant/logs/{id}',
    tags,
    security,
    summary: 'One notification with its rendered content (hidden from viewers) and attempt timeline (tenant:viewer)',
    request: { params: idParams },
    responses: { 200: json('The log', dataOf(logDetailSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tenant/events',
    tags,
    security,
    summary: "The tenant's processed events with their outcome per channel (tenant:viewer)",
    request: { query: eventsQuery },
    responses: { 200: json('A page of events', pageOf(eventSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tenant/events/{eventId}',
    tags,
    security,
    summary: 'One event with its outcome per channel (tenant:viewer)',
    request: { params: z.object({ eventId: z.string() }), query: eventQuery },
    responses: { 200: json('The event', dataOf(eventSchema)), ...adminErrors({ 404: 'NOT_FOUND: not processed yet, or no such event' }) },
  });
  const operatorTags = ['Operator: logs'];
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/logs',
    tags: operatorTags,
    security,
    summary: "Every tenant's notification logs (operator)",
    request: { query: operatorLogsQuery },
    responses: { 200: json('A page of logs, each with its tenantId', cursorPageOf(logSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/logs/export',
    tags: operatorTags,
    security,
    summary: "Every tenant's logs (or one tenant's) matching the filters as CSV (operator; audited)",
    description: `The same filters as GET /api/v1/admin/logs, newest first, at most ${EXPORT_MAX_ROWS} rows (limit), with a tenant_id column. Each export writes an audit entry logs.export (a platform entry; with tenantId, in that tenant's trail).`,
    request: { query: operatorLogsExportQuery },
    responses: { 200: csvExportResponse('The CSV file (Content-Disposition: attachment)'), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/logs/{id}',
    tags: operatorTags,
    security,
    summary: 'One notification of any tenant with its attempt timeline (operator)',
    request: { params: idParams },
    responses: { 200: json('The log', dataOf(logDetailSchema)), ...adminErrors() },
  });
}

const replayedSchema = z.object({ notificationId: z.uuid(), attemptSeries: z.number().int() });
const discardedSchema = z.object({ notificationId: z.uuid(), status: z.literal('discarded') });

function registerDeadLetterRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  const tags = ['Tenant: dead letters'];
  const base = '/api/v1/tenant/dlq';
  registry.registerPath({
    method: 'get',
    path: base,
    tags,
    security,
    summary: "The tenant's dead letters (tenant:viewer); default status dead",
    request: { query: dlqListQuery },
    responses: { 200: json('A page of dead letters (no payloads)', pageOf(deadLetterSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: `${base}/{id}`,
    tags,
    security,
    summary: 'One dead letter by notification id: attempts, last error, payload (payload hidden from viewers)',
    request: { params: idParams },
    responses: { 200: json('The dead letter', dataOf(deadLetterDetailSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/{id}/replay`,
    tags,
    security,
    summary: 'Replay one dead letter under a new attempt series (tenant:admin; reason required)',
    request: { params: idParams, body: jsonBody(reasonBody) },
    responses: {
      200: json('Back to PENDING and dispatched', dataOf(replayedSchema)),
      ...adminErrors({ 404: 'NOT_FOUND: no dead letter (already replayed or discarded, or not this tenant)' }),
    },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/replay`,
    tags,
    security,
    summary: 'Replay every dead letter matching a filter (tenant:admin): dry-run count first, capped per call',
    request: { body: jsonBody(bulkReplayBody) },
    description:
      'A dry run also answers the limit, whether more match than one call replays (exceedsLimit), counts by error code and provider, and the 20 oldest matching letters (no payloads).',
    responses: {
      200: json(
        'What matched and what was replayed',
        dataOf(
          z
            .object({ dryRun: z.boolean(), matched: z.number().int(), replayed: z.number().int() })
            .merge(bulkDryRunSchema.omit({ dryRun: true, matched: true, byTenant: true }).partial()),
        ),
      ),
      ...adminErrors(),
    },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/{id}/discard`,
    tags,
    security,
    summary: 'Discard a dead letter (tenant:admin; reason required)',
    request: { params: idParams, body: jsonBody(reasonBody) },
    responses: { 200: json('Discarded', dataOf(discardedSchema)), ...adminErrors() },
  });
  const operatorTags = ['Operator: dead letters'];
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/dlq',
    tags: operatorTags,
    security,
    summary: "Every tenant's dead letters (operator)",
    request: { query: operatorDlqListQuery },
    responses: { 200: json('A page of dead letters, each with its tenantId', pageOf(deadLetterSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/dlq/{id}',
    tags: operatorTags,
    security,
    summary: "Any tenant's dead letter with its payload (operator)",
    request: { params: idParams },
    responses: { 200: json('The dead letter', dataOf(deadLetterDetailSchema)), ...adminErrors() },
  });
  for (const action of ['replay', 'discard'] as const) {
    registry.registerPath({
      method: 'post',
      path: `/api/v1/admin/dlq/${action}`,
      tags: operatorTags,
      security,
      summary: `${action === 'replay' ? 'Replay' : 'Discard'} dead letters matching a filter across tenants (operator): dry run first, capped per call`,
      description:
        'Without filter.tenantId the action spans every tenant and requires confirm: "all tenants" (a dry run does not). ' +
        'A dry run answers counts by tenant, error code and provider and a sample of 20, and changes nothing. A run acts on up to `limit` letters, ' +
        `oldest tenant first, each with its own ${action === 'replay' ? 'dlq.replay' : 'dlq.discard'} audit entry, plus one dlq.bulk_${action} entry for the call; call again while remaining > 0.`,
      request: { body: jsonBody(operatorBulkBody) },
      responses: {
        200: json('Dry-run counts, or what this call did', dataOf(z.union([bulkDryRunSchema, bulkResultSchema]))),
        ...adminErrors({ 422: 'VALIDATION_FAILED: reason missing, or confirm missing for all tenants' }),
      },
    });
  }
  registry.registerPath({
    method: 'post',
    path: '/api/v1/admin/dlq/{id}/replay',
    tags: operatorTags,
    security,
    summary: "Replay any tenant's dead letter (operator; reason required)",
    request: { params: idParams, body: jsonBody(reasonBody) },
    responses: { 200: json('Back to PENDING and dispatched', dataOf(replayedSchema)), ...adminErrors() },
  });
}
