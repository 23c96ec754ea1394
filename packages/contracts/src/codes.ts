/**
 * The one catalog of codes (decision 0004). Every code a client, a consumer, the gateway or the
 * delivery log can see is one entry here, with one meaning, and the entry says how each transport
 * treats it:
 *
 * - `http` — the status (and default message) of an HTTP error body carrying the code. Only codes
 *   with `http` may be raised as an `AppError` (`ErrorCode`); the API's filter reads the status
 *   here. Delivery and test-connection codes reach HTTP clients as data (the delivery log, a
 *   test-connection answer), in 200 bodies: they have no `http` unless they are raised too.
 *   `http.retryLater` marks the answers a client may turn into a success by sending the same request
 *   again later (`retryLater()`; the bulk trigger does not freeze those into its idempotent replay).
 * - `consumer` — what the worker's Kafka runner does with a batch whose handling failed with the
 *   code: `retry` (handled again with back-off, offsets not committed: nothing is skipped), `skip`
 *   (reported and committed past; the orchestrator first records the event as rejected), `park`
 *   (moved to `<topic>.invalid` with the reason and committed past). `consumerDisposition()`.
 * - `delivery` — a delivery outcome code: what an attempt's `error_code`, a log row's
 *   `last_error_code`, a retry's and a dead letter's `lastError.code` may say (SPEC §3), with its
 *   class, whether a FAILED notification with it has a dead letter, and who writes it. The
 *   gateway's Kafka handling reads it through `deliveryDisposition()`, `isThrottledCode()` and
 *   `isDeadLetteredCode()` (delivery-codes.ts).
 * - `testConnection` — a provider's test-connection answer `{ ok: false, code }` (SPEC §5).
 *
 * A name means one thing. Where two former catalogs used one name for two things, the side SPEC.md
 * names kept it: `RATE_LIMITED` is the API's own rate limit (SPEC §2.1) and a vendor throttling us
 * is `VENDOR_RATE_LIMITED`; `INVALID_CREDENTIALS` is a vendor refusing a provider config's
 * credentials and an admin login refused is `INVALID_LOGIN`. Stored rows written before may still
 * say `RATE_LIMITED` for the vendor's limit: `FORMER_DELIVERY_NAMES` reads them.
 *
 * Browser-safe: no Node globals, no imports but types.
 */
export type OutcomeClass = 'retryable' | 'throttled' | 'permanent_message' | 'permanent_provider' | 'ambiguous';
export type ConsumerDisposition = 'retry' | 'skip' | 'park';
export type DeliveryRaiser = 'adapter' | 'gateway' | 'sweeper' | 'worker';

export interface HttpMapping {
  readonly status: number;
  readonly message: string;
  /** The same request may succeed if sent again later (a limit or a lock that passes, a dependency that returns). */
  readonly retryLater?: true;
}

export interface DeliveryMapping {
  /**
   * What the code says about the send: `retryable` (may work later; uses up a retry), `throttled`
   * (waited for a rate limit or a cap: retried without using up a retry), `permanent_message`
   * (this message will never go out as it is), `permanent_provider` (this provider cannot send
   * anything; the next provider takes over), `ambiguous` (the vendor may or may not have sent it).
   * Adapters return the outcome's kind beside the code, and the kind is what the gateway acts on;
   * two codes appear with another kind in a corner case: VENDOR_ERROR is ambiguous for an
   * unexpected 1xx/2xx answer, ABORTED is ambiguous when the request may have gone out.
   */
  readonly class: OutcomeClass;
  /**
   * A notification FAILED with this code has a dead letter (replayable). Codes that fail a
   * notification before any send have nothing to replay: the sweeper never dead-letters them.
   */
  readonly deadLettered: boolean;
  readonly raisedBy: DeliveryRaiser;
}

export interface CodeInfo {
  readonly meaning: string;
  readonly http?: HttpMapping;
  readonly consumer?: ConsumerDisposition;
  readonly delivery?: DeliveryMapping;
  readonly testConnection?: true;
}

const http = (status: number, message: string, options: { retryLater?: true } = {}): HttpMapping => ({ status, message, ...options });
const delivery = (raisedBy: DeliveryRaiser, cls: OutcomeClass, deadLettered = true): DeliveryMapping => ({
  class: cls,
  deadLettered,
  raisedBy,
});

export const CODES = {
  // §2.1 trigger API
  INVALID_API_KEY: {
    meaning: 'the x-api-key is missing, unknown, revoked or expired',
    http: http(401, 'Missing, unknown, revoked or expired API key'),
  },
  SIGNATURE_REQUIRED: {
    meaning: 'the tenant signs requests and X-Orqestra-Signature is missing',
    http: http(401, 'This tenant signs requests: X-Orqestra-Signature is required'),
  },
  INVALID_SIGNATURE: {
    meaning: 'X-Orqestra-Signature does not match the body',
    http: http(401, 'X-Orqestra-Signature does not match the request body'),
  },
  SANDBOX_SESSION_INVALID: {
    meaning: 'a sandbox key used from another address or device, or after expiry',
    http: http(401, 'Sandbox key used from another address or device, or after expiry'),
  },
  TENANT_SUSPENDED: { meaning: 'the tenant is suspended by the operator', http: http(403, 'The tenant is suspended') },
  IDEMPOTENCY_KEY_REUSED: {
    meaning: 'an idempotency key used again with a different body',
    http: http(409, 'This idempotency key was used with a different body'),
  },
  IDEMPOTENCY_IN_PROGRESS: {
    // One meaning on both sides: whoever received the key (our API, or a vendor that deduplicates on ours) is still working on it; asking again shortly is safe.
    meaning:
      'a request with the same idempotency key is still being processed by the side that received it (our API, or the vendor): ask again shortly',
    http: http(409, 'A request with this idempotency key is still being accepted', { retryLater: true }),
    delivery: delivery('adapter', 'retryable'),
  },
  PAYLOAD_TOO_LARGE: { meaning: 'the request body is over the limit', http: http(413, 'Request body over the limit') },
  UNSUPPORTED_MEDIA_TYPE: {
    meaning: 'the request body is not JSON',
    http: http(415, 'The body must be JSON (Content-Type: application/json)'),
  },
  VALIDATION_FAILED: { meaning: 'the request is invalid (details list every bad field)', http: http(422, 'The request is invalid') },
  RATE_LIMITED: {
    meaning: "our API's rate limit for the caller (tenant quota, login throttle, per-user limits): retry after Retry-After",
    http: http(429, 'Rate limit exceeded', { retryLater: true }),
  },
  UNAVAILABLE: {
    meaning: 'Kafka, Redis or the database is unreachable or too slow: retrying is safe',
    http: http(503, 'Temporarily unavailable; retrying with the same idempotency key is safe', { retryLater: true }),
  },
  // generic
  NOT_FOUND: { meaning: 'no such resource here', http: http(404, 'Not found') },
  UNAUTHENTICATED: { meaning: 'no valid session or token', http: http(401, 'Authentication required') },
  FORBIDDEN: { meaning: 'the actor may not do this', http: http(403, 'Not allowed') },
  PASSWORD_CHANGE_REQUIRED: {
    meaning: 'the temporary password must be changed first',
    http: http(403, 'Change the temporary password first (POST .../auth/change-password)'),
  },
  // §6 admin sessions
  INVALID_LOGIN: {
    meaning: 'an admin login or password check refused: unknown user, wrong password or disabled account, indistinguishably',
    http: http(401, 'Unknown user or wrong password'),
  },
  REFRESH_TOKEN_INVALID: {
    meaning: 'the refresh token is missing, expired, revoked or already used',
    http: http(401, 'The refresh token is missing, expired, revoked or already used: log in again'),
  },
  CSRF_HEADER_REQUIRED: {
    meaning: 'a cookie-authenticated write without X-Orqestra-CSRF',
    http: http(403, 'This request needs the header X-Orqestra-CSRF: 1'),
  },
  CONFLICT: { meaning: 'the request conflicts with the current state', http: http(409, 'Conflicts with the current state') },
  INTERNAL: {
    meaning:
      'a failure nothing classified (a bug, or a dependency failing in an unexpected way); a consumer retries its batch with back-off',
    http: http(500, 'Internal error'),
    consumer: 'retry',
  },
  // §5/§6 tenant-admin provider configs
  BASE_URL_OPERATOR_ONLY: {
    meaning: 'only a platform operator may set a provider base URL',
    http: http(403, 'Only a platform operator may set a provider base URL'),
  },
  // §2.3 per-channel outcomes of an event
  NO_ACTIVE_TEMPLATE: {
    meaning: 'no active template for the event type and channel: the channel is skipped',
    http: http(422, 'No active template for this event type and channel'),
  },
  CHANNEL_NOT_ALLOWED: {
    meaning: 'the channel is not enabled for the tenant: the channel is skipped',
    http: http(422, 'Channel not enabled for this tenant'),
  },
  MISSING_RECIPIENT: {
    meaning: 'the recipient field the channel needs is missing: the worker creates the row FAILED (an adapter may say so too)',
    http: http(422, 'The recipient field this channel needs is missing'),
    delivery: delivery('worker', 'permanent_message', false),
  },
  DUPLICATE_EVENT_ID: {
    meaning: 'an eventId reused after the idempotency window: accepted, not delivered again',
    http: http(409, 'This eventId was already processed'),
  },
  EVENT_DATA_INVALID: {
    meaning: 'an event whose data PostgreSQL refuses (e.g. NUL, an unpaired surrogate): recorded as rejected, nothing delivered',
    http: http(422, 'The event holds data that cannot be stored (e.g. NUL or an unpaired surrogate); it was not delivered'),
  },
  // §3 delivery
  AMBIGUOUS_SEND: {
    meaning: 'a send whose outcome is unknown: retried on the same provider, or FAILED under the tenant policy `fail`',
    http: http(502, 'The vendor may or may not have sent the message'),
    delivery: delivery('gateway', 'ambiguous'),
  },
  RETRIES_EXHAUSTED: {
    meaning: 'every retry of the schedule failed',
    http: http(502, 'Every retry failed'),
    delivery: delivery('gateway', 'permanent_message'),
  },
  NO_PROVIDER: {
    meaning: 'no enabled provider for the channel',
    http: http(422, 'No enabled provider for this channel'),
    delivery: delivery('gateway', 'permanent_provider'),
  },
  // §4 templates (also the FAILED log rows the worker creates before any send)
  TEMPLATE_NOT_FOUND: { meaning: 'no such template', http: http(404, 'Template not found') },
  TEMPLATE_INVALID: {
    meaning: 'the template does not compile',
    http: http(422, 'The template does not compile'),
    delivery: delivery('worker', 'permanent_message', false),
  },
  TEMPLATE_TOO_LARGE: {
    meaning: 'the template source is over 100 KiB',
    http: http(422, 'Template source over 100 KiB'),
    delivery: delivery('worker', 'permanent_message', false),
  },
  TEMPLATE_RENDER_TIMEOUT: {
    meaning: 'rendering took longer than its budget',
    http: http(422, 'Rendering took longer than 50 ms'),
    delivery: delivery('worker', 'permanent_message', false),
  },
  TEMPLATE_OUTPUT_TOO_LARGE: {
    meaning: 'the rendered output is over 256 KiB',
    http: http(422, 'Rendered output over 256 KiB'),
    delivery: delivery('worker', 'permanent_message', false),
  },
  // §5 provider base URLs (operator only)
  BASE_URL_NOT_ALLOWED: {
    meaning: 'a base URL that is not https or resolves to a loopback or private address',
    http: http(422, 'The base URL must be https and must not resolve to a loopback or private address'),
  },
  // bus
  MESSAGE_INVALID: {
    meaning: 'a Kafka message that is not JSON or fails its topic schema',
    http: http(400, 'Message does not match its schema'),
    consumer: 'park',
  },
  DATA_REJECTED: {
    meaning:
      "PostgreSQL refused a consumed message's data for good (SQLSTATE class 22 data exception or 23 integrity violation, e.g. a tenant that no longer exists): a retry cannot fix it",
    consumer: 'skip',
  },

  // delivery outcomes — adapters: transport
  CONNECTION_REFUSED: { meaning: 'the vendor refused the connection: nothing was sent', delivery: delivery('adapter', 'retryable') },
  CONNECTION_FAILED: {
    meaning: 'no connection to the vendor (DNS, TLS, network): nothing was sent',
    delivery: delivery('adapter', 'retryable'),
  },
  CONNECTION_LOST: { meaning: 'the connection ended after the request was written', delivery: delivery('adapter', 'ambiguous') },
  TIMEOUT: { meaning: 'no answer within the send timeout', delivery: delivery('adapter', 'ambiguous') },
  ABORTED: { meaning: 'the call was cancelled (the gateway is stopping or the lease ran out)', delivery: delivery('adapter', 'retryable') },
  // adapters: vendor side, transient
  VENDOR_RATE_LIMITED: {
    meaning:
      "the vendor's rate limit (429, or its own throttling code): the vendor throttled us, not our API's limit (that is RATE_LIMITED); stored rows before decision 0004 say RATE_LIMITED",
    delivery: delivery('adapter', 'throttled'),
    testConnection: true,
  },
  QUOTA_EXCEEDED: { meaning: "the vendor's daily or monthly quota", delivery: delivery('adapter', 'throttled') },
  VENDOR_UNAVAILABLE: { meaning: 'the vendor is unavailable (502, 503, 504)', delivery: delivery('adapter', 'retryable') },
  VENDOR_ERROR: {
    meaning: 'the vendor failed (5xx, or an answer we do not understand)',
    delivery: delivery('adapter', 'retryable'),
    testConnection: true,
  },
  // adapters: this message
  INVALID_RECIPIENT: { meaning: 'the vendor rejected the recipient address', delivery: delivery('adapter', 'permanent_message') },
  UNSUPPORTED_RECIPIENT: {
    meaning: 'the vendor cannot send to this kind of recipient',
    delivery: delivery('adapter', 'permanent_message'),
  },
  UNREACHABLE_RECIPIENT: { meaning: 'the recipient cannot be reached', delivery: delivery('adapter', 'permanent_message') },
  RECIPIENT_UNSUBSCRIBED: { meaning: 'the recipient opted out', delivery: delivery('adapter', 'permanent_message') },
  CONTENT_REJECTED: { meaning: 'the vendor rejected the content', delivery: delivery('adapter', 'permanent_message') },
  REQUEST_REJECTED: { meaning: 'the vendor rejected the request (4xx)', delivery: delivery('adapter', 'permanent_message') },
  IDEMPOTENCY_CONFLICT: {
    meaning: 'the idempotency key was used with another request',
    delivery: delivery('adapter', 'permanent_message'),
  },
  // adapters: this provider
  INVALID_CREDENTIALS: {
    meaning: "the vendor refused a provider config's credentials (or the account they name); an admin login refused is INVALID_LOGIN",
    delivery: delivery('adapter', 'permanent_provider'),
    testConnection: true,
  },
  PERMISSION_DENIED: { meaning: 'the credentials may not send', delivery: delivery('adapter', 'permanent_provider') },
  SENDER_REJECTED: {
    meaning: 'the vendor refused the sender (unverified domain or number)',
    delivery: delivery('adapter', 'permanent_provider'),
  },
  INSUFFICIENT_BALANCE: { meaning: 'the account has no balance left', delivery: delivery('adapter', 'permanent_provider') },
  ACCOUNT_SUSPENDED: { meaning: 'the account is suspended', delivery: delivery('adapter', 'permanent_provider') },
  PROVIDER_MISCONFIGURED: {
    meaning: 'the provider config cannot work (base URL, stored credentials)',
    delivery: delivery('adapter', 'permanent_provider'),
  },
  // gateway
  ADAPTER_ERROR: { meaning: 'the adapter threw instead of classifying the outcome', delivery: delivery('gateway', 'ambiguous') },
  SEND_RATE_LIMITED: { meaning: "waiting for the provider config's send-rate limit", delivery: delivery('gateway', 'throttled') },
  TENANT_INFLIGHT_CAP: {
    meaning: 'deferred unsent: it waited too long for a send slot (the tenant has too many sends in flight on this gateway)',
    delivery: delivery('gateway', 'throttled'),
  },
  GATEWAY_ERROR: {
    meaning: 'not sent: the gateway could not prepare the send (its database or Redis was unreachable)',
    delivery: delivery('gateway', 'retryable'),
  },
  BREAKER_OPEN: {
    meaning: 'not called: every provider of the channel is paused after failures (circuit breakers open)',
    delivery: delivery('gateway', 'retryable'),
  },
  // sweeper, when a row lacks the code it should carry
  LOST_RETRY: { meaning: 'a RETRYING row whose retry message went missing, republished', delivery: delivery('sweeper', 'retryable') },
  UNKNOWN: { meaning: 'a FAILED row without an error code', delivery: delivery('sweeper', 'permanent_message') },

  // test connection only (SPEC §5): a coded answer, never the vendor's body
  INSUFFICIENT_PERMISSIONS: {
    meaning: 'test connection: the credentials are valid but may not send (e.g. a SendGrid key without mail.send)',
    testConnection: true,
  },
  ACCOUNT_INACTIVE: { meaning: 'test connection: the credentials are valid, the account is suspended or closed', testConnection: true },
  UNREACHABLE: { meaning: 'test connection: no connection to the vendor (refused, DNS, TLS) or no answer in time', testConnection: true },
  BASE_URL_REFUSED: {
    meaning: "test connection: the config's base URL or host resolves to an address the deployment refuses",
    testConnection: true,
  },
} as const satisfies Record<string, CodeInfo>;

type Catalog = typeof CODES;
type CodesWith<F extends keyof CodeInfo> = {
  [K in keyof Catalog]: Catalog[K] extends { readonly [P in F]: unknown } ? K : never;
}[keyof Catalog];

export type Code = keyof Catalog;
/** A code an `AppError` may carry: it has an HTTP status. */
export type ErrorCode = CodesWith<'http'>;
/** A delivery outcome code. */
export type DeliveryCode = CodesWith<'delivery'>;
/** A code a failed consumer batch may carry. */
export type ConsumerCode = CodesWith<'consumer'>;
/** A provider's test-connection answer. */
export type TestConnectionCode = CodesWith<'testConnection'>;

export function isCode(value: string): value is Code {
  return Object.hasOwn(CODES, value);
}

function codesWith<F extends keyof CodeInfo>(field: F): string[] {
  return Object.keys(CODES).filter((c) => (CODES as Record<string, CodeInfo>)[c]![field] !== undefined);
}

/** Every test-connection answer, in catalog order. */
export const TEST_CONNECTION_CODES = codesWith('testConnection') as readonly TestConnectionCode[];

/** Whether an HTTP answer with this code may turn into a success when the same request is sent again later. */
export function retryLater(code: string): boolean {
  return isCode(code) && (CODES as Record<string, CodeInfo>)[code]!.http?.retryLater === true;
}

/** What the worker's Kafka runner does with a batch whose handling failed with this code. */
export function consumerDisposition(code: ConsumerCode): ConsumerDisposition {
  return CODES[code].consumer;
}

/** The catalog's entries that have a mapping for one transport, in catalog order. */
export function entriesWith<F extends 'http' | 'delivery'>(field: F): [Code, CodeInfo & Required<Pick<CodeInfo, F>>][] {
  return codesWith(field).map((c) => [c as Code, (CODES as Record<string, CodeInfo>)[c] as CodeInfo & Required<Pick<CodeInfo, F>>]);
}
