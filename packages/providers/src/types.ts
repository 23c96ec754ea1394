import type { z } from 'zod';
import type { Channel, DeliveryCode, Dispatch, Mode, TestConnectionCode as CatalogTestConnectionCode } from '@orqestra/contracts';

/**
 * The contract between the gateway and a vendor adapter. Adapters speak only to their vendor:
 * they never touch the database, never log secrets, and return a classified outcome instead of
 * throwing on expected failures. The gateway turns outcomes into statuses, retries, failover and
 * dead letters (SPEC §3 step 3).
 */
export interface SendRequest {
  notificationId: string;
  attemptSeries: number;
  /** `notificationId:attemptSeries` — sent to vendors that support idempotency keys (Resend). */
  idempotencyKey: string;
  tenantId: string;
  mode: Mode;
  channel: Channel;
  recipient: Dispatch['recipient'];
  content: Dispatch['content'];
  /** The event type (PUSH publications carry it, SPEC §2.6). */
  eventType?: string;
  /** When the API accepted the event, ISO 8601 (PUSH publications carry it as `createdAt`). */
  receivedAt?: string;
}

export type Outcome =
  /** The vendor accepted the message. */
  | { kind: 'sent'; vendorMessageId?: string; httpStatus?: number }
  /**
   * Try again later. `failover: true` only for clear failures where the vendor certainly did not
   * send (connection refused, 429, 5xx with an error body): the gateway may then use the next
   * provider. `throttled` (429 / rate limit) waits do not use up a retry. `retryAfterMs` honours the
   * vendor's back-off header.
   */
  | {
      kind: 'retryable';
      code: DeliveryCode;
      message: string;
      httpStatus?: number;
      retryAfterMs?: number;
      throttled?: boolean;
      failover: boolean;
    }
  /**
   * Will never succeed as it is. `message` level (bad recipient, content rejected) → dead letter;
   * `provider` level (bad credentials, no balance, account suspended) → breaker opens, next provider.
   */
  | { kind: 'permanent'; level: 'message' | 'provider'; code: DeliveryCode; message: string; httpStatus?: number }
  /** The outcome is unknown (timeout, connection lost after the request was written): it may have been sent. */
  | { kind: 'ambiguous'; code: DeliveryCode; message: string };

/**
 * The coded answer of `testConnection` — never the vendor's body. The codes are the catalog's
 * test-connection entries (TEST_CONNECTION_CODES in @orqestra/contracts, which says what each means):
 * `INVALID_CREDENTIALS`, `INSUFFICIENT_PERMISSIONS`, `ACCOUNT_INACTIVE`, `VENDOR_RATE_LIMITED` (the
 * vendor throttled the check), `UNREACHABLE`, `VENDOR_ERROR` — and `BASE_URL_REFUSED`, which the API
 * answers itself before any adapter runs.
 */
export type TestConnectionCode = Exclude<CatalogTestConnectionCode, 'BASE_URL_REFUSED'>;

export type TestConnectionResult = { ok: true } | { ok: false; code: TestConnectionCode };

export interface ProviderAdapter {
  send(request: SendRequest, signal: AbortSignal): Promise<Outcome>;
  /** Checks the credentials without sending to anyone where the vendor allows it; a coded result only. */
  testConnection(signal: AbortSignal): Promise<TestConnectionResult>;
}

export interface AdapterOptions<C> {
  credentials: C;
  /**
   * An operator's override of the vendor's base URL (validated by the caller: https only, no
   * private addresses unless the development flag is set). Omitted → the vendor's own
   * (`defaultBaseUrl`, or what the credentials select, e.g. Africa's Talking's sandbox). Passing
   * `defaultBaseUrl` itself is the same as omitting it.
   */
  baseUrl?: string;
  /** Per-request timeout; on expiry the outcome is `ambiguous`. */
  timeoutMs: number;
  /**
   * The deployment's development flag (SPEC §5) for adapters that connect to a host taken from
   * the credentials (SMTP): allows loopback and private addresses. Default false: such an
   * adapter resolves the host, refuses internal addresses and connects to the address it checked.
   */
  allowPrivateAddresses?: boolean;
}

export interface ProviderManifest<C = unknown> {
  /** Stored in provider_configs.provider. */
  id: string;
  /** The channel it delivers; `ANY` for the capture provider of sandbox mode. */
  channel: Channel | 'ANY';
  /**
   * Built into the platform (push, capture): the gateway supplies the options from its own
   * config; tenants and operators do not create provider configs for it.
   */
  builtIn?: boolean;
  /** Validates what the tenant supplies (stored encrypted). */
  credentials: z.ZodType<C>;
  /** The key of the credentials that `last4` shows (e.g. apiKey, authToken). */
  secretField: keyof C & string;
  defaultBaseUrl: string;
  /**
   * The vendor deduplicates on `SendRequest.idempotencyKey` (Resend): an `ambiguous` send may be
   * retried on the same provider without risking a duplicate, whatever `ambiguousSendPolicy` says.
   */
  supportsIdempotencyKey: boolean;
  /**
   * The host the credentials make the adapter connect to (SMTP), for the same address check as a
   * base URL override (`checkHost`) when a config is saved. Absent for vendors with a base URL.
   */
  hostOf?(credentials: C): string;
  create(options: AdapterOptions<C>): ProviderAdapter;
}
