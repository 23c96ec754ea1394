import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CHANNELS } from '@orqestra/contracts';
import { errorResponse } from '../../platform/openapi/openapi.js';
import { bulkBodySchema, triggerBodySchema } from './event.schemas.js';

const acceptedSchema = z
  .object({
    success: z.literal(true),
    message: z.string().meta({ example: 'Event order.confirmed accepted' }),
    eventId: z.string(),
    traceId: z.string(),
    duplicate: z.boolean().meta({ description: 'true when this is a replay of an earlier accepted request' }),
  })
  .meta({ id: 'EventAccepted' });

const statusSchema = z
  .object({
    success: z.literal(true),
    eventId: z.string(),
    eventType: z.string(),
    status: z
      .enum(['PROCESSING', 'PROCESSED', 'FAILED'])
      .meta({ description: 'FAILED: the worker could not store the event (see error); no channel was delivered.' }),
    acceptedAt: z.iso.datetime(),
    processedAt: z.iso.datetime().nullable(),
    duplicates: z.number().int().meta({
      description: 'Times this eventId was accepted again after the idempotency window (DUPLICATE_EVENT_ID); never delivered again.',
    }),
    channels: z.partialRecord(
      z.enum(CHANNELS),
      z.union([
        z.object({ notificationId: z.uuid(), status: z.string(), errorCode: z.string().optional() }),
        z.object({ skipped: z.enum(['NO_ACTIVE_TEMPLATE', 'CHANNEL_NOT_ALLOWED']) }),
      ]),
    ),
    error: z
      .object({ code: z.literal('EVENT_DATA_INVALID'), message: z.string() })
      .optional()
      .meta({ description: 'Only with status FAILED.' }),
  })
  .meta({ id: 'EventStatus' });

const triggerHeaders = z.object({
  'x-api-key': z.string(),
  'x-orqestra-signature': z
    .string()
    .optional()
    .meta({ description: 'Hex HMAC-SHA256 of the exact raw body with the webhook secret; required when the tenant has one.' }),
  'x-idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: '1-255 printable ASCII characters; repeats within 24 h replay the first answer.' }),
  'x-trace-id': z
    .string()
    .max(128)
    .optional()
    .meta({ description: '1-128 of [A-Za-z0-9._:-]; otherwise a new one is generated. Echoed back.' }),
});

const rateHeaders = {
  'RateLimit-Limit': { description: 'Requests per minute allowed for this tenant and mode', schema: { type: 'integer' as const } },
  'RateLimit-Remaining': { description: 'Requests that could be sent right now', schema: { type: 'integer' as const } },
  'RateLimit-Reset': { description: 'Seconds until the next request would be allowed', schema: { type: 'integer' as const } },
};

export function registerEventRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/api/v1/events/trigger',
    summary: 'Trigger an event',
    description:
      'Accepted only after Kafka acknowledged it. Checks in order: API key, tenant active, signature, body, idempotency, rate limit.',
    request: { headers: triggerHeaders, body: { content: { 'application/json': { schema: triggerBodySchema } } } },
    responses: {
      200: {
        description: 'Accepted (or a replay, with Idempotent-Replayed: true)',
        headers: rateHeaders,
        content: { 'application/json': { schema: acceptedSchema } },
      },
      401: errorResponse('INVALID_API_KEY, SIGNATURE_REQUIRED, INVALID_SIGNATURE or SANDBOX_SESSION_INVALID'),
      403: errorResponse('TENANT_SUSPENDED'),
      409: errorResponse('IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_IN_PROGRESS (Retry-After: 1)'),
      413: errorResponse('PAYLOAD_TOO_LARGE (over 256 KiB)'),
      415: errorResponse('UNSUPPORTED_MEDIA_TYPE'),
      422: errorResponse('VALIDATION_FAILED: details lists every bad field'),
      429: errorResponse('RATE_LIMITED, with Retry-After and RateLimit-*'),
      503: errorResponse('UNAVAILABLE: Kafka or Redis unreachable; retrying with the same key or eventId is safe'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/events/trigger/bulk',
    summary: 'Trigger up to 100 events',
    description:
      'Each event is validated, deduplicated by its own eventId and charged as if sent alone. X-Idempotency-Key replays the whole answer; the signature covers the whole body.',
    request: { headers: triggerHeaders, body: { content: { 'application/json': { schema: bulkBodySchema } } } },
    responses: {
      200: {
        description: 'One result per event, in request order: the single-event success body, or {success: false, error}',
        content: {
          'application/json': {
            schema: z.object({
              results: z.array(
                z.union([
                  acceptedSchema,
                  z.object({ success: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
                ]),
              ),
            }),
          },
        },
      },
      401: errorResponse('INVALID_API_KEY, SIGNATURE_REQUIRED or INVALID_SIGNATURE'),
      403: errorResponse('TENANT_SUSPENDED'),
      409: errorResponse('IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_IN_PROGRESS for the bulk key'),
      413: errorResponse('PAYLOAD_TOO_LARGE'),
      415: errorResponse('UNSUPPORTED_MEDIA_TYPE'),
      422: errorResponse('VALIDATION_FAILED: not {events: [1..100]}'),
      503: errorResponse('UNAVAILABLE'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/events/{eventId}',
    summary: "An event's outcome per channel",
    request: { headers: z.object({ 'x-api-key': z.string() }), params: z.object({ eventId: z.string() }) },
    responses: {
      200: { description: 'Processed by the worker', content: { 'application/json': { schema: statusSchema } } },
      401: errorResponse('INVALID_API_KEY'),
      404: errorResponse('Not processed yet: the body also carries "status": "QUEUED"'),
    },
  });
}
