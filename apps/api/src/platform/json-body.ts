import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, type ErrorDetail } from './errors.js';
import { badTextDetails, jsonDepthExceeds, MAX_JSON_DEPTH, mayHoldBadCharacter } from './input-text.js';

/**
 * Reads a JSON body from the raw bytes (routes see every content type as bytes, so that
 * authentication comes first): 415 unless the content type is JSON, 422 listing every problem.
 * Nesting deeper than MAX_JSON_DEPTH is refused before parsing, and no string may hold NUL or an
 * unpaired surrogate (input-text.ts), whatever the route's schema says.
 */
export function parseJsonBody<S extends z.ZodType>(request: FastifyRequest, schema: S): z.infer<S> {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  const text = (request.rawBody ?? Buffer.alloc(0)).toString('utf8');
  if (jsonDepthExceeds(text)) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'The body is nested too deeply',
      details: [{ path: '', message: `must not nest more than ${MAX_JSON_DEPTH} levels of arrays and objects` }],
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', {
      message: 'The body is not valid JSON',
      details: [{ path: '', message: 'must be valid JSON' }],
    });
  }
  const bad = mayHoldBadCharacter(text) ? badTextDetails(value) : [];
  if (bad.length > 0) throw new AppError('VALIDATION_FAILED', { details: bad });
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('VALIDATION_FAILED', { details: toDetails(result.error.issues) });
  return result.data;
}

export function toDetails(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ErrorDetail[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
