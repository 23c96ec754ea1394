import { ERROR_CODES, type ErrorCode } from '@orqestra/contracts';

export interface ErrorDetail {
  path: string;
  message: string;
  /** 1-based position in a template source, when the problem has one. */
  line?: number;
  column?: number;
}

export interface AppErrorOptions {
  message?: string;
  details?: ErrorDetail[];
  /** What a code needs to be actionable (Retry-After, RateLimit-*). */
  headers?: Record<string, string>;
  /** Extra top-level fields of the error body (e.g. `status: "QUEUED"`). */
  body?: Record<string, unknown>;
}

/**
 * A coded error raised by services, with no HTTP notions. Its code is an entry of the one catalog
 * (packages/contracts/src/codes.ts) that has an HTTP status: the HTTP filter maps the code to that
 * status once (ERROR_CODES). The worker's Kafka runner maps a handler's failure to a catalog code
 * and the code to retry / skip / park once (consumer-batch.ts, `consumerDisposition`); the
 * gateway reads delivery codes' dispositions from the same catalog (delivery-codes.ts).
 */
export class AppError extends Error {
  readonly details?: ErrorDetail[];
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    options: AppErrorOptions = {},
  ) {
    super(options.message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
    this.details = options.details;
    this.headers = options.headers ?? {};
    this.body = options.body ?? {};
  }
}
