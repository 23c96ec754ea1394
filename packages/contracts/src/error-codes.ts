/**
 * Every coded error a client or a consumer can see. Services raise these codes without HTTP
 * notions; each transport maps them once (HTTP status in the API's filter; retry / dead-letter /
 * skip in the Kafka runner).
 */
export const ERROR_CODES = {
  // §2.1 trigger API
  INVALID_API_KEY: { status: 401, message: 'Missing, unknown, revoked or expired API key' },
  SIGNATURE_REQUIRED: { status: 401, message: 'This tenant signs requests: X-Orqestra-Signature is required' },
  INVALID_SIGNATURE: { status: 401, message: 'X-Orqestra-Signature does not match the request body' },
  SANDBOX_SESSION_INVALID: { status: 401, message: 'Sandbox key used from another address or device, or after expiry' },
  TENANT_SUSPENDED: { status: 403, message: 'The tenant is suspended' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'This idempotency key was used with a different body' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: 'A request with this idempotency key is still being accepted' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body over the limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The body must be JSON (Content-Type: application/json)' },
  VALIDATION_FAILED: { status: 422, message: 'The request is invalid' },
  RATE_LIMITED: { status: 429, message: 'Rate limit exceeded' },
  UNAVAILABLE: { status: 503, message: 'Temporarily unavailable; retrying with the same idempotency key is safe' },
  // generic
  NOT_FOUND: { status: 404, message: 'Not found' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  FORBIDDEN: { status: 403, message: 'Not allowed' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: 'Change the temporary password first (POST .../auth/change-password)' },
  // §6 admin sessions
  INVALID_CREDENTIALS: { status: 401, message: 'Unknown user or wrong password' },
  REFRESH_TOKEN_INVALID: { status: 401, message: 'The refresh token is missing, expired, revoked or already used: log in again' },
  CSRF_HEADER_REQUIRED: { status: 403, message: 'This request needs the header X-Orqestra-CSRF: 1' },
  CONFLICT: { status: 409, message: 'Conflicts with the current state' },
  INTERNAL: { status: 500, message: 'Internal error' },
  // §5/§6 tenant-admin provider configs
  BASE_URL_OPERATOR_ONLY: { status: 403, message: 'Only a platform operator may set a provider base URL' },
  // §2.3 per-channel outcomes of an event
  NO_ACTIVE_TEMPLATE: { status: 422, message: 'No active template for this event type and channel' },
  CHANNEL_NOT_ALLOWED: { status: 422, message: 'Channel not enabled for this tenant' },
  MISSING_RECIPIENT: { status: 422, message: 'The recipient field this channel needs is missing' },
  DUPLICATE_EVENT_ID: { status: 409, message: 'This eventId was already processed' },
  EVENT_DATA_INVALID: { status: 422, message: 'The event holds data that cannot be stored (e.g. NUL or an unpaired surrogate); it was not delivered' },
  // §3 delivery
  AMBIGUOUS_SEND: { status: 502, message: 'The vendor may or may not have sent the message' },
  RETRIES_EXHAUSTED: { status: 502, message: 'Every retry failed' },
  NO_PROVIDER: { status: 422, message: 'No enabled provider for this channel' },
  // §4 templates
  TEMPLATE_NOT_FOUND: { status: 404, message: 'Template not found' },
  TEMPLATE_INVALID: { status: 422, message: 'The template does not compile' },
  TEMPLATE_TOO_LARGE: { status: 422, message: 'Template source over 100 KiB' },
  TEMPLATE_RENDER_TIMEOUT: { status: 422, message: 'Rendering took longer than 50 ms' },
  TEMPLATE_OUTPUT_TOO_LARGE: { status: 422, message: 'Rendered output over 256 KiB' },
  // §5 provider base URLs (operator only)
  BASE_URL_NOT_ALLOWED: { status: 422, message: 'The base URL must be https and must not resolve to a loopback or private address' },
  // bus
  MESSAGE_INVALID: { status: 400, message: 'Message does not match its schema' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}

/** The one error body shape of every HTTP endpoint (SPEC §2.1). */
export interface ErrorBody {
  success: false;
  error: { code: ErrorCode; message: string; details?: { path: string; message: string; line?: number; column?: number }[] };
  traceId: string;
}
