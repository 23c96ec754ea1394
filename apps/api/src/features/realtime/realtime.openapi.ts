import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { apiKeyHeader, errorResponse } from '../../platform/openapi/openapi.js';
import { inboxItemSchema, inboxListQuerySchema } from './inbox.schemas.js';
import { realtimeTokenBodySchema, realtimeTokenResponseSchema } from './realtime-token.schemas.js';

/** The realtime aggregate's part of the document: the token route (API-key realm), then the inbox routes. */
export function registerRealtimeRoutes(registry: OpenAPIRegistry): void {
  registerRealtimeTokenRoute(registry);
  registerInboxRoutes(registry);
}

function registerRealtimeTokenRoute(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/realtime-token',
    summary: 'Mint a realtime (Centrifugo) connection token for one of your users',
    description:
      'Call it from your backend with a live API key and hand the token to the browser (Centrifugo getToken callback). ' +
      'The same token opens the inbox routes as a Bearer credential. Signed like every body-carrying call when the tenant has a webhook secret.',
    request: {
      headers: z.object({ ...apiKeyHeader, 'x-orqestra-signature': z.string().optional() }),
      body: { content: { 'application/json': { schema: realtimeTokenBodySchema } } },
    },
    responses: {
      200: {
        description: 'The token and the channels to subscribe to',
        content: { 'application/json': { schema: realtimeTokenResponseSchema } },
      },
      401: errorResponse(
        'INVALID_API_KEY, SIGNATURE_REQUIRED, INVALID_SIGNATURE, or SANDBOX_SESSION_INVALID (sandbox keys cannot mint tokens)',
      ),
      403: errorResponse('TENANT_SUSPENDED'),
      415: errorResponse('UNSUPPORTED_MEDIA_TYPE'),
      422: errorResponse('VALIDATION_FAILED'),
      429: errorResponse('RATE_LIMITED (per tenant, REALTIME_TOKEN_RATE_PER_MINUTE), with Retry-After'),
      503: errorResponse('UNAVAILABLE'),
    },
  });
}

const inboxAuth: Record<string, string[]>[] = [{ realtimeToken: [] }, { apiKey: [] }];
const errors = {
  401: errorResponse('UNAUTHENTICATED (bad or expired realtime token) or INVALID_API_KEY'),
  403: errorResponse('TENANT_SUSPENDED'),
  422: errorResponse('VALIDATION_FAILED (e.g. userId missing with an API key)'),
  429: errorResponse('RATE_LIMITED (per user, INBOX_RATE_PER_MINUTE), with Retry-After'),
};
const userIdQuery = z.object({
  userId: z.string().optional().meta({ description: 'Required with x-api-key; ignored with a Bearer token.' }),
});

function registerInboxRoutes(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'realtimeToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The realtime token from POST /api/v1/auth/realtime-token',
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/inbox/notifications',
    summary: "A user's in-app notifications, newest first",
    security: inboxAuth,
    request: { query: inboxListQuerySchema },
    responses: {
      200: {
        description: 'One page',
        content: {
          'application/json': {
            schema: z.object({
              success: z.literal(true),
              data: z.array(inboxItemSchema),
              pagination: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }),
            }),
          },
        },
      },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/inbox/unread-count',
    summary: 'How many of the user’s notifications are unread',
    security: inboxAuth,
    request: { query: userIdQuery },
    responses: {
      200: {
        description: 'The count',
        content: { 'application/json': { schema: z.object({ success: z.literal(true), unreadCount: z.number().int() }) } },
      },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/inbox/notifications/{id}/read',
    summary: 'Mark one notification read (idempotent: the first read time is kept)',
    security: inboxAuth,
    request: { params: z.object({ id: z.uuid() }), query: userIdQuery },
    responses: {
      200: {
        description: 'Read',
        content: { 'application/json': { schema: z.object({ success: z.literal(true), id: z.uuid(), readAt: z.iso.datetime() }) } },
      },
      404: errorResponse('NOT_FOUND: not a notification of this user'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/inbox/read-all',
    summary: 'Mark every unread notification of the user read',
    security: inboxAuth,
    request: { query: userIdQuery },
    responses: {
      200: {
        description: 'How many changed',
        content: { 'application/json': { schema: z.object({ success: z.literal(true), updated: z.number().int() }) } },
      },
      ...errors,
    },
  });
}
