import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { AppError } from './errors.js';
import { badTextDetails } from './input-text.js';

/**
 * Query strings and path parameters of every route are refused with 422 when a value holds NUL
 * or an unpaired surrogate (input-text.ts), before any handler can hand them to PostgreSQL. An
 * interceptor runs after the guards, so an unauthenticated caller still learns only 401.
 */
@Injectable()
export class InputTextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') refuseBadInputText(context.switchToHttp().getRequest<FastifyRequest>());
    return next.handle();
  }
}

/** The interceptor's check, for routes that Nest does not run (call it after authentication). */
export function refuseBadInputText(request: FastifyRequest): void {
  const details = [...badTextDetails(request.query, 'query'), ...badTextDetails(request.params, 'params')];
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', { details });
}
