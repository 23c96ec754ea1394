import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ApiKeyGuard } from '../../platform/auth/api-key.guard.js';
import { sendException } from '../../platform/http-error.filter.js';
import { refuseBadInputText } from '../../platform/input-text.interceptor.js';
import { triggerBodySchema } from './event.schemas.js';
import type { TriggerService } from './trigger.service.js';
import { validated } from './trigger-request.js';

export const TRIGGER_PATH = '/api/v1/events/trigger';

export interface TriggerRouteDeps {
  guard: Pick<ApiKeyGuard, 'authenticate'>;
  trigger: Pick<TriggerService, 'accept'>;
  logger: Logger;
}

/**
 * POST /api/v1/events/trigger (SPEC §2.1) as a plain Fastify route on the API's Fastify instance,
 * off Nest's per-request pipeline (execution context, guard and interceptor chains, rxjs), which
 * cost about as much per event as the route's own work (docs/benchmarks.md, "trigger-notes").
 * Everything a client sees is what the Nest route did, from the same code:
 *  - the instance's hooks run as for every route: trace id and x-trace-id, the log context
 *    (configureHttp), security headers, metrics and spans (observeHttp, which also counts
 *    accepted/refused events on this path), body limits and raw bytes;
 *  - ApiKeyGuard's own checks (key → tenant active → sandbox session → signature), sandbox keys
 *    admitted as @AdmitsSandboxKeys() admits them on the events controller;
 *  - InputTextInterceptor's query-string check, after authentication;
 *  - the same body and X-Idempotency-Key validation and TriggerService.accept, answering 200;
 *  - every error through HttpErrorFilter's mapping (codes, statuses, Retry-After, RateLimit-*).
 * Its OpenAPI entry is event.openapi.ts's, as before.
 */
export function registerTriggerRoute(fastify: FastifyInstance, deps: TriggerRouteDeps): void {
  const { guard, trigger, logger } = deps;
  fastify.route({
    method: 'POST',
    url: TRIGGER_PATH,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const principal = await guard.authenticate(request, true);
        refuseBadInputText(request);
        const [body, idempotencyKey] = validated(request, triggerBodySchema);
        const result = await trigger.accept(principal, body, { traceId: request.traceId, idempotencyKey });
        return reply.code(200).headers(result.headers).send(result.body);
      } catch (error) {
        sendException(error, request, reply, logger);
        return reply;
      }
    },
  });
}
