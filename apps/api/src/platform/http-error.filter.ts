import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ErrorCode } from '@orqestra/contracts';
import { AppError } from './errors.js';
import { sendError } from './http.js';

/** Fastify's own errors that a client can cause, mapped to our codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_BAD_URL: 'NOT_FOUND',
};

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The one place HTTP errors are shaped (SPEC §2.1): `{success: false, error: {code, message,
 * details?}, traceId}`. Unknown errors become 500 INTERNAL with no stack trace or message leaked.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendException(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

/**
 * The filter's mapping, for routes that Nest does not run (the plain Fastify trigger route): the
 * same codes, statuses, headers and bodies whichever way a route is served.
 */
export function sendException(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  if (exception instanceof AppError) {
    sendError(reply, request, exception.code, {
      message: exception.message,
      details: exception.details,
      headers: exception.headers,
      body: exception.body,
    });
    return;
  }
  // Nest wraps Fastify's own errors in an HttpException whose cause carries the code.
  const fastifyCode = (exception as { code?: string }).code ?? (exception as { cause?: { code?: string } }).cause?.code;
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
    sendError(reply, request, FASTIFY_CODES[fastifyCode]);
    return;
  }
  if (exception instanceof HttpException && HTTP_STATUS_CODES[exception.getStatus()]) {
    sendError(reply, request, HTTP_STATUS_CODES[exception.getStatus()]!);
    return;
  }
  logger.error({ err: exception }, 'unhandled error');
  sendError(reply, request, 'INTERNAL');
}
