import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { apiKeyHeader, errorResponse } from '../../platform/openapi/openapi.js';
import { realtimeTokenBodySchema, realtimeTokenResponseSchema } from './realtime.schemas.js';

export function registerRealtimeRoutes(registry: OpenAPIRegistry): void {
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
      200: { description: 'The token and the channels to subscribe to', content: { 'application/json': { schema: realtimeTokenResponseSchema } } },
      401: errorResponse('INVALID_API_KEY, SIGNATURE_REQUIRED, INVALID_SIGNATURE, or SANDBOX_SESSION_INVALID (sandbox keys cannot mint tokens)'),
      403: errorResponse('TENANT_SUSPENDED'),
      415: errorResponse('UNSUPPORTED_MEDIA_TYPE'),
      422: errorResponse('VALIDATION_FAILED'),
      429: errorResponse('RATE_LIMITED (per tenant, REALTIME_TOKEN_RATE_PER_MINUTE), with Retry-After'),
      503: errorResponse('UNAVAILABLE'),
    },
  });
}
