import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@orqestra/contracts';
import { logContext } from '@orqestra/telemetry';
import { acceptTraceId } from './request-context.js';
import type { ErrorDetail } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    traceId: string;
    /** The exact bytes of the body (signatures are computed over them). */
    rawBody?: Buffer;
  }
}

/** SPEC §2.1: bodies over 256 KiB are refused with 413. */
export const BODY_LIMIT_BYTES = 256 * 1024;

/** The methods any route of the API answers; others (QUERY, PROPFIND ...) are NOT_FOUND on every path. */
const SERVED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Fastify-level set-up shared by every route: the trace id of each request (validated X-Trace-Id
 * or a new one, echoed in the response), its log context, and body parsing that keeps the raw
 * bytes. Bodies of any content type are read as bytes; routes decide what they accept (so the
 * API key is checked before the media type, as SPEC §2.1 orders it).
 */
export function configureHttp(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    request.traceId = acceptTraceId(request.headers['x-trace-id']);
    void reply.header('x-trace-id', request.traceId);
    if (!SERVED_METHODS.has(request.method)) {
      // Answered here, before Fastify would insist on a content type for a method it thinks has a body.
      sendError(reply, request, 'NOT_FOUND', { message: `No route answers ${request.method}` });
      return;
    }
    logContext.run({ traceId: request.traceId }, done);
  });
  fastify.addHook('onSend', (_request, reply, _payload, done) => {
    void reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    done();
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, body);
  });
}

/**
 * Fastify's framework errors (a URL that does not decode, a bad header) answered before any route
 * or filter runs: the SPEC §2.1 error shape instead of Fastify's own.
 */
export function frameworkError(error: { code?: string; statusCode?: number }, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL') sendError(reply, request, 'NOT_FOUND', { message: 'The URL does not decode' });
  else if ((error.statusCode ?? 500) < 500) sendError(reply, request, 'VALIDATION_FAILED');
  else sendError(reply, request, 'INTERNAL');
}

export function errorBody(code: ErrorCode, traceId: string, message?: string, details?: ErrorDetail[]): ErrorBody {
  return { success: false, error: { code, message: message ?? ERROR_CODES[code].message, ...(details ? { details } : {}) }, traceId };
}

export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  options: { message?: string; details?: ErrorDetail[]; headers?: Record<string, string>; body?: Record<string, unknown> } = {},
): void {
  void reply
    .status(ERROR_CODES[code].status)
    .headers(options.headers ?? {})
    .header('content-type', 'application/json; charset=utf-8')
    .send({ ...options.body, ...errorBody(code, request.traceId ?? acceptTraceId(undefined), options.message, options.details) });
}
