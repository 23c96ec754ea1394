/**
 * The one catalog of delivery outcome codes (SPEC §3): what an attempt's `error_code`, a log row's
 * `last_error_code`, a retry's and a dead letter's `lastError.code` may say. Each code carries its
 * meaning here, so no other file compares codes as strings: it asks the catalog.
 *
 * - `class` — what the code says about the send:
 *   `retryable` (may work later; uses up a retry), `throttled` (waited for a rate limit or a cap:
 *   retried without using up a retry), `permanent_message` (this message will never go out as it
 *   is), `permanent_provider` (this provider cannot send anything: bad credentials, suspended
 *   account; the next provider takes over), `ambiguous` (the vendor may or may not have sent it).
 *   Adapters return the outcome's kind beside the code, and the kind is what the gateway acts on;
 *   two codes appear with another kind in a corner case: VENDOR_ERROR is ambiguous for an
 *   unexpected 1xx/2xx answer, ABORTED is ambiguous when the request may have gone out.
 * - `deadLettered` — a notification FAILED with this code has a dead letter (replayable). Codes
 *   that fail a notification before any send (no recipient, a template that cannot render) have
 *   nothing to replay: the sweeper never publishes a dead letter for them.
 * - `raisedBy` — who writes the code: a provider adapter, the gateway, the sweeper, or the worker
 *   when it creates the log row.
 */
export type OutcomeClass = 'retryable' | 'throttled' | 'permanent_message' | 'permanent_provider' | 'ambiguous';

export interface DeliveryCodeInfo {
  readonly class: OutcomeClass;
  readonly deadLettered: boolean;
  readonly raisedBy: 'adapter' | 'gateway' | 'sweeper' | 'worker';
  readonly meaning: string;
}

const code = (raisedBy: DeliveryCodeInfo['raisedBy'], cls: OutcomeClass, meaning: string, deadLettered = true): DeliveryCodeInfo => ({ class: cls, deadLettered, raisedBy, meaning });

export const DELIVERY_CODES = {
  // adapters: transport
  CONNECTION_REFUSED: code('adapter', 'retryable', 'the vendor refused the connection: nothing was sent'),
  CONNECTION_FAILED: code('adapter', 'retryable', 'no connection to the vendor (DNS, TLS, network): nothing was sent'),
  CONNECTION_LOST: code('adapter', 'ambiguous', 'the connection ended after the request was written'),
  TIMEOUT: code('adapter', 'ambiguous', 'no answer within the send timeout'),
  ABORTED: code('adapter', 'retryable', 'the call was cancelled (the gateway is stopping or the lease ran out)'),
  // adapters: vendor side, transient
  RATE_LIMITED: code('adapter', 'throttled', "the vendor's rate limit (429)"),
  QUOTA_EXCEEDED: code('adapter', 'throttled', "the vendor's daily or monthly quota"),
  VENDOR_UNAVAILABLE: code('adapter', 'retryable', 'the vendor is unavailable (502, 503, 504)'),
  VENDOR_ERROR: code('adapter', 'retryable', 'the vendor failed (5xx, or an answer we do not understand)'),
  IDEMPOTENCY_IN_PROGRESS: code('adapter', 'retryable', 'the vendor is still processing a request with the same idempotency key'),
  // adapters: this message
  MISSING_RECIPIENT: code('worker', 'permanent_message', 'the recipient field the channel needs is missing: the worker creates the row FAILED (an adapter may say so too)', false),
  INVALID_RECIPIENT: code('adapter', 'permanent_message', 'the vendor rejected the recipient address'),
  UNSUPPORTED_RECIPIENT: code('adapter', 'permanent_message', 'the vendor cannot send to this kind of recipient'),
  UNREACHABLE_RECIPIENT: code('adapter', 'permanent_message', 'the recipient cannot be reached'),
  RECIPIENT_UNSUBSCRIBED: code('adapter', 'permanent_message', 'the recipient opted out'),
  CONTENT_REJECTED: code('adapter', 'permanent_message', 'the vendor rejected the content'),
  REQUEST_REJECTED: code('adapter', 'permanent_message', 'the vendor rejected the request (4xx)'),
  IDEMPOTENCY_CONFLICT: code('adapter', 'permanent_message', 'the idempotency key was used with another request'),
  // adapters: this provider
  INVALID_CREDENTIALS: code('adapter', 'permanent_provider', 'the vendor refused the credentials'),
  PERMISSION_DENIED: code('adapter', 'permanent_provider', 'the credentials may not send'),
  SENDER_REJECTED: code('adapter', 'permanent_provider', 'the vendor refused the sender (unverified domain or number)'),
  INSUFFICIENT_BALANCE: code('adapter', 'permanent_provider', 'the account has no balance left'),
  ACCOUNT_SUSPENDED: code('adapter', 'permanent_provider', 'the account is suspended'),
  PROVIDER_MISCONFIGURED: code('adapter', 'permanent_provider', 'the provider config cannot work (base URL, stored credentials)'),
  // gateway
  ADAPTER_ERROR: code('gateway', 'ambiguous', 'the adapter threw instead of classifying the outcome'),
  AMBIGUOUS_SEND: code('gateway', 'ambiguous', 'a send whose outcome is unknown: retried on the same provider, or FAILED under the tenant policy `fail`'),
  SEND_RATE_LIMITED: code('gateway', 'throttled', "waiting for the provider config's send-rate limit"),
  TENANT_INFLIGHT_CAP: code('gateway', 'throttled', 'deferred unsent: it waited too long for a send slot (the tenant has too many sends in flight on this gateway)'),
  GATEWAY_ERROR: code('gateway', 'retryable', 'not sent: the gateway could not prepare the send (its database or Redis was unreachable)'),
  BREAKER_OPEN: code('gateway', 'retryable', "not called: every provider of the channel is paused after failures (circuit breakers open)"),
  NO_PROVIDER: code('gateway', 'permanent_provider', 'no enabled provider for the channel'),
  RETRIES_EXHAUSTED: code('gateway', 'permanent_message', 'every retry of the schedule failed'),
  // sweeper, when a row lacks the code it should carry
  LOST_RETRY: code('sweeper', 'retryable', 'a RETRYING row whose retry message went missing, republished'),
  UNKNOWN: code('sweeper', 'permanent_message', 'a FAILED row without an error code'),
  // worker: the log row is created FAILED, before any send
  TEMPLATE_INVALID: code('worker', 'permanent_message', 'the template does not compile', false),
  TEMPLATE_TOO_LARGE: code('worker', 'permanent_message', 'the template source is over 100 KiB', false),
  TEMPLATE_RENDER_TIMEOUT: code('worker', 'permanent_message', 'rendering took longer than its budget', false),
  TEMPLATE_OUTPUT_TOO_LARGE: code('worker', 'permanent_message', 'the rendered output is over 256 KiB', false),
} as const satisfies Record<string, DeliveryCodeInfo>;

export type DeliveryCode = keyof typeof DELIVERY_CODES;

export function isDeliveryCode(value: string): value is DeliveryCode {
  return Object.hasOwn(DELIVERY_CODES, value);
}

/** The class of a recorded code; undefined for a code not in the catalog (or none). */
export function outcomeClassOf(value: string | null | undefined): OutcomeClass | undefined {
  return value && isDeliveryCode(value) ? DELIVERY_CODES[value].class : undefined;
}

/** A wait for a rate limit or a cap: it does not use up a retry. */
export function isThrottledCode(value: string | null | undefined): boolean {
  return outcomeClassOf(value) === 'throttled';
}

/** A notification FAILED with this code has a dead letter (a code not in the catalog has one too: it may be worth a replay). */
export function isDeadLetteredCode(value: string): boolean {
  return !isDeliveryCode(value) || DELIVERY_CODES[value].deadLettered;
}

/** The codes whose FAILED rows have no dead letter (nothing to replay). */
export const NOT_DEAD_LETTERED_CODES: readonly DeliveryCode[] = (Object.keys(DELIVERY_CODES) as DeliveryCode[]).filter((c) => !DELIVERY_CODES[c].deadLettered);
