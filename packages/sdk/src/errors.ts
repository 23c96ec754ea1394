import type { ErrorCode } from './types.js';

/** One field problem of a 422 VALIDATION_FAILED (or a template's line and column). */
export interface ErrorDetail {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/**
 * The API refused the call. Carries the API's `code` (SPEC §2.1), the HTTP status, and the
 * `traceId` to quote when asking for help. `retryAfterSeconds` is set when the API sent
 * Retry-After (after the client's own bounded retries ran out or the wait was too long).
 */
export class OrqestraError extends Error {
  override readonly name = 'OrqestraError';

  constructor(
    readonly status: number,
    /** An API error code, or `UNEXPECTED_RESPONSE` when the answer was not an Orqestra error body. */
    readonly code: ErrorCode | 'UNEXPECTED_RESPONSE',
    message: string,
    readonly traceId: string | undefined,
    readonly details: ErrorDetail[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The API could not be reached (connection refused, reset, DNS, timeout) after the bounded retries. */
export class OrqestraConnectionError extends Error {
  override readonly name = 'OrqestraConnectionError';

  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}
