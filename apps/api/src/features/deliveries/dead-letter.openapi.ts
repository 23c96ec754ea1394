import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { bulkReplayBody, deadLetterDetailSchema, deadLetterSchema, dlqListQuery, operatorDlqListQuery, reasonBody } from './dead-letter.schemas.js';
import { bulkDryRunSchema, bulkResultSchema, operatorBulkBody } from './dead-letter-bulk.schemas.js';
import { adminBearer, adminErrors, dataOf, idParams, json, jsonBody, pageOf } from '../../platform/openapi/admin-openapi.js';

const replayedSchema = z.object({ notificationId: z.uuid(), attemptSeries: z.number().int() });
const discardedSchema = z.object({ notificationId: z.uuid(), status: z.literal('discarded') });

export function registerDlqAdminRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  const tags = ['Tenant: dead letters'];
  const base = '/api/v1/tenant/dlq';
  registry.registerPath({
    method: 'get', path: base, tags, security, summary: "The tenant's dead letters (tenant:viewer); default status dead",
    request: { query: dlqListQuery },
    responses: { 200: json('A page of dead letters (no payloads)', pageOf(deadLetterSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: `${base}/{id}`, tags, security, summary: 'One dead letter by notification id: attempts, last error, payload (payload hidden from viewers)',
    request: { params: idParams },
    responses: { 200: json('The dead letter', dataOf(deadLetterDetailSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'post', path: `${base}/{id}/replay`, tags, security, summary: 'Replay one dead letter under a new attempt series (tenant:admin; reason required)',
    request: { params: idParams, body: jsonBody(reasonBody) },
    responses: { 200: json('Back to PENDING and dispatched', dataOf(replayedSchema)), ...adminErrors({ 404: 'NOT_FOUND: no dead letter (already replayed or discarded, or not this tenant)' }) },
  });
  registry.registerPath({
    method: 'post', path: `${base}/replay`, tags, security, summary: 'Replay every dead letter matching a filter (tenant:admin): dry-run count first, capped per call',
    request: { body: jsonBody(bulkReplayBody) },
    description: 'A dry run also answers the limit, whether more match than one call replays (exceedsLimit), counts by error code and provider, and the 20 oldest matching letters (no payloads).',
    responses: {
      200: json('What matched and what was replayed', dataOf(z.object({ dryRun: z.boolean(), matched: z.number().int(), replayed: z.number().int() }).merge(bulkDryRunSchema.omit({ dryRun: true, matched: true, byTenant: true }).partial()))),
      ...adminErrors(),
    },
  });
  registry.registerPath({
    method: 'post', path: `${base}/{id}/discard`, tags, security, summary: 'Discard a dead letter (tenant:admin; reason required)',
    request: { params: idParams, body: jsonBody(reasonBody) },
    responses: { 200: json('Discarded', dataOf(discardedSchema)), ...adminErrors() },
  });
  const operatorTags = ['Operator: dead letters'];
  registry.registerPath({
    method: 'get', path: '/api/v1/admin/dlq', tags: operatorTags, security, summary: "Every tenant's dead letters (operator)",
    request: { query: operatorDlqListQuery },
    responses: { 200: json('A page of dead letters, each with its tenantId', pageOf(deadLetterSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get', path: '/api/v1/admin/dlq/{id}', tags: operatorTags, security, summary: "Any tenant's dead letter with its payload (operator)",
    request: { params: idParams },
    responses: { 200: json('The dead letter', dataOf(deadLetterDetailSchema)), ...adminErrors() },
  });
  for (const action of ['replay', 'discard'] as const) {
    registry.registerPath({
      method: 'post', path: `/api/v1/admin/dlq/${action}`, tags: operatorTags, security,
      summary: `${action === 'replay' ? 'Replay' : 'Discard'} dead letters matching a filter across tenants (operator): dry run first, capped per call`,
      description:
        'Without filter.tenantId the action spans every tenant and requires confirm: "all tenants" (a dry run does not). ' +
        'A dry run answers counts by tenant, error code and provider and a sample of 20, and changes nothing. A run acts on up to `limit` letters, ' +
        `oldest tenant first, each with its own ${action === 'replay' ? 'dlq.replay' : 'dlq.discard'} audit entry, plus one dlq.bulk_${action} entry for the call; call again while remaining > 0.`,
      request: { body: jsonBody(operatorBulkBody) },
      responses: { 200: json('Dry-run counts, or what this call did', dataOf(z.union([bulkDryRunSchema, bulkResultSchema]))), ...adminErrors({ 422: 'VALIDATION_FAILED: reason missing, or confirm missing for all tenants' }) },
    });
  }
  registry.registerPath({
    method: 'post', path: '/api/v1/admin/dlq/{id}/replay', tags: operatorTags, security, summary: "Replay any tenant's dead letter (operator; reason required)",
    request: { params: idParams, body: jsonBody(reasonBody) },
    responses: { 200: json('Back to PENDING and dispatched', dataOf(replayedSchema)), ...adminErrors() },
  });
}
