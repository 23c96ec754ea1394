import { entriesWith, isCode, CODES, type ErrorCode, type HttpMapping } from './codes.js';

export type { ErrorCode } from './codes.js';

/**
 * The HTTP view of the one catalog (codes.ts): every code an `AppError` may carry, with its status
 * and default message. The API's filter maps a code to its status here, once; the worker's Kafka
 * runner maps codes to retry / skip / park through `consumerDisposition` (codes.ts).
 */
export const ERROR_CODES = Object.fromEntries(entriesWith('http').map(([c, info]) => [c, info.http])) as {
  readonly [K in ErrorCode]: HttpMapping;
};

export function isErrorCode(value: string): value is ErrorCode {
  return isCode(value) && (CODES[value] as { http?: HttpMapping }).http !== undefined;
}

/** The one error body shape of every HTTP endpoint (SPEC §2.1). */
export interface ErrorBody {
  success: false;
  error: { code: ErrorCode; message: string; details?: { path: string; message: string; line?: number; column?: number }[] };
  traceId: string;
}
