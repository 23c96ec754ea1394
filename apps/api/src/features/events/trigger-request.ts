import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { parseJsonBody } from '../../platform/json-body.js';

/** 1-255 printable ASCII characters (SPEC §2.1). */
const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/;

/**
 * The body and X-Idempotency-Key of a trigger request (single or bulk), with the problems of both
 * reported together (422).
 */
export function validated<S extends z.ZodType>(request: FastifyRequest, schema: S): [z.infer<S>, string | undefined] {
  const header = request.headers['x-idempotency-key'];
  const keyProblem =
    header !== undefined && (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header))
      ? { path: 'X-Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }
      : undefined;
  let body: z.infer<S>;
  try {
    body = parseJsonBody(request, schema);
  } catch (error) {
    if (keyProblem && error instanceof AppError && error.code === 'VALIDATION_FAILED') {
      throw new AppError('VALIDATION_FAILED', { details: [...(error.details ?? []), keyProblem] });
    }
    throw error;
  }
  if (keyProblem) throw new AppError('VALIDATION_FAILED', { details: [keyProblem] });
  return [body, header as string | undefined];
}
