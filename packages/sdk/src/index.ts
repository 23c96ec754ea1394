export { Orqestra, InboxApi, SDK_VERSION, type OrqestraOptions, type CallOptions } from './client.js';
export { OrqestraError, OrqestraConnectionError, type ErrorDetail } from './errors.js';
export { signBody } from './signature.js';
export { retryDelay, parseRetryAfter, defaultRetryOptions, type RetryOptions, type AttemptOutcome } from './retry-policy.js';
export type * from './types.js';
export type { components, paths } from './generated/openapi.js';
