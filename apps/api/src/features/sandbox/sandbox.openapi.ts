import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponse } from '../../platform/openapi/openapi.js';
import {
  activeSessionSchema,
  capturedMessageSchema,
  messagesQuerySchema,
  startSessionBodySchema,
  startedSessionSchema,
} from './sandbox.schemas.js';
import { adminBearer, dataOf, pageOf } from '../../platform/openapi/admin-openapi.js';

const sessionParams = z.object({ id: z.uuid() });

export function registerSandboxRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  registry.registerPath({
    security,
    method: 'post',
    path: '/api/v1/tenant/sandbox/sessions',
    summary: 'Start a sandbox session (tenant admin)',
    description:
      'Returns a sandbox API key (oq_test_…), shown once, that triggers events in sandbox mode: delivered only to the capture provider. ' +
      'It works only from allowedIp (default: the address that started the session, by the TRUSTED_PROXY_HOPS setting), only with the same X-Device-Id when one was given, ' +
      'and only until expiresAt (SANDBOX_SESSION_TTL_SECONDS, default 2 h). Audited as sandbox.start.',
    request: {
      headers: z.object({
        'x-device-id': z
          .string()
          .max(200)
          .optional()
          .meta({ description: 'Binds the key to this device id (1-200 printable ASCII characters)' }),
      }),
      body: { required: false, content: { 'application/json': { schema: startSessionBodySchema } } },
    },
    responses: {
      201: { description: 'The session and its key', content: { 'application/json': { schema: dataOf(startedSessionSchema) } } },
      401: errorResponse('UNAUTHENTICATED'),
      403: errorResponse('FORBIDDEN (viewers, operators) or PASSWORD_CHANGE_REQUIRED'),
      422: errorResponse('VALIDATION_FAILED: allowedIp or X-Device-Id'),
      503: errorResponse('UNAVAILABLE (Redis)'),
    },
  });
  registry.registerPath({
    security,
    method: 'get',
    path: '/api/v1/tenant/sandbox/sessions',
    summary: 'Live sandbox sessions of the tenant, newest first',
    request: { query: messagesQuerySchema },
    responses: {
      200: { description: 'Sessions not yet ended or expired', content: { 'application/json': { schema: pageOf(activeSessionSchema) } } },
      401: errorResponse('UNAUTHENTICATED'),
      403: errorResponse('FORBIDDEN'),
    },
  });
  registry.registerPath({
    security,
    method: 'get',
    path: '/api/v1/tenant/sandbox/sessions/{id}/messages',
    summary: 'What the capture provider stored for a session, newest first',
    description: 'Captured HTML is tenant content: show it only inside a sandboxed iframe. Stays readable after the session ended.',
    request: { params: sessionParams, query: messagesQuerySchema },
    responses: {
      200: {
        description: 'One page of captured messages',
        content: { 'application/json': { schema: pageOf(capturedMessageSchema) } },
      },
      401: errorResponse('UNAUTHENTICATED'),
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND: no session with this id in your tenant'),
      422: errorResponse('VALIDATION_FAILED: page or limit'),
    },
  });
  registry.registerPath({
    security,
    method: 'delete',
    path: '/api/v1/tenant/sandbox/sessions/{id}',
    summary: 'End a sandbox session early (tenant admin)',
    description: 'The key stops working at once on every API process (401 SANDBOX_SESSION_INVALID, reason ended). Audited as sandbox.end.',
    request: { params: sessionParams },
    responses: {
      200: {
        description: 'Ended',
        content: { 'application/json': { schema: dataOf(z.object({ sessionId: z.uuid(), endedAt: z.iso.datetime() })) } },
      },
      401: errorResponse('UNAUTHENTICATED'),
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND: no live session with this id (unknown, already ended or expired)'),
      503: errorResponse('UNAVAILABLE (Redis)'),
    },
  });
}
