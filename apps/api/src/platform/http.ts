import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@orqestra/contracts';
import { acceptTraceId, logContext } from './request-context.js';
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
