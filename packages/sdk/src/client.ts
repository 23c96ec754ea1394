import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { OrqestraConnectionError, OrqestraError, type ErrorDetail } from './errors.js';
import { defaultRetryOptions, retryDelay, type AttemptOutcome, type RetryOptions } from './retry-policy.js';
import { signBody } from './signature.js';
import type {
  BulkTriggerResult,
  ErrorCode,
  EventAccepted,
  EventStatus,
  InboxPage,
  MarkAllReadResult,
  MarkReadResult,
  QueuedEvent,
  RealtimeToken,
  TriggerEvent,
  UnreadCount,
} from './types.js';

export const SDK_VERSION = '0.1.0';

export interface OrqestraOptions {
  /** Where the API answers, e.g. `https://notify.example.com` (no path). */
  baseUrl: string;
  /** The tenant's live API key (`oq_live_…`). Keep it on your servers. */
  apiKey: string;
  /** The tenant's webhook secret, when it has one: every call with a body is then signed. */
  webhookSecret?: string;
  /** Bounded retries on 503, 429, 409 IDEMPOTENCY_IN_PROGRESS and unreachable servers. */
  retry?: Partial<RetryOptions>;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** For tests and proxies; default the global fetch. */
  fetch?: typeof fetch;
}

export interface CallOptions {
  /**
   * X-Idempotency-Key. Default: a new UUID per call, sent unchanged with each of the call's
   * retries, so a retried trigger never notifies twice. Give your own (e.g. an order id) to
   * make separate calls deduplicate too.
   */
  idempotencyKey?: string;
  /** X-Trace-Id to use for this call (1–128 of `[A-Za-z0-9._:-]`). */
  traceId?: string;
  signal?: AbortSignal;
}

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  idempotent?: boolean;
  options?: CallOptions;
  /** Statuses answered with a body the caller handles itself (e.g. 404 QUEUED). */
  accept?: number[];
}

/**
 * A client of the Orqestra tenant API. One instance per API key; safe to share.
 *
 * ```ts
 * const orqestra = new Orqestra({ baseUrl, apiKey, webhookSecret });
 * await orqestra.trigger({ eventType: 'order.shipped', eventId: 'order-1042-shipped', payload: { userId: 'u-17' } });
 * ```
 */
export class Orqestra {
  private readonly baseUrl: string;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  /** The in-app inbox of one of your users, read and marked from your backend. */
  readonly inbox: InboxApi;

  constructor(private readonly options: OrqestraOptions) {
    if (!options.baseUrl) throw new TypeError('Orqestra: baseUrl is required');
    if (!options.apiKey) throw new TypeError('Orqestra: apiKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...defaultRetryOptions, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.inbox = new InboxApi((request) => this.request(request));
  }

  /** POST /api/v1/events/trigger. Resolves once the event is durably queued. */
  async trigger(event: TriggerEvent, options: CallOptions = {}): Promise<EventAccepted> {
    return (await this.request<EventAccepted>({ method: 'POST', path: '/api/v1/events/trigger', body: event, idempotent: true, options }))
      .body;
  }

  /**
   * POST /api/v1/events/trigger/bulk: up to 100 events. The call succeeds as a whole; each
   * result is either accepted or carries its own error (e.g. RATE_LIMITED part-way).
   */
  async triggerBulk(events: TriggerEvent[], options: CallOptions = {}): Promise<BulkTriggerResult> {
    return (
      await this.request<BulkTriggerResult>({
        method: 'POST',
        path: '/api/v1/events/trigger/bulk',
        body: { events },
        idempotent: true,
        options,
      })
    ).body;
  }

  /**
   * GET /api/v1/events/{eventId}: the outcome per channel, or `{status: 'QUEUED'}` while the
   * worker has not handled the event yet (also the answer for an eventId never accepted).
   */
  async getEvent(eventId: string, options: Omit<CallOptions, 'idempotencyKey'> = {}): Promise<EventStatus | QueuedEvent> {
    const { status, body } = await this.request<EventStatus>({
      method: 'GET',
      path: `/api/v1/events/${encodeURIComponent(eventId)}`,
      options,
      accept: [404],
    });
    return status === 404 ? { status: 'QUEUED', eventId } : body;
  }

  /**
   * POST /api/v1/auth/realtime-token: a Centrifugo connection token for one of your users, to
   * hand to their browser (the inbox component's token callback, Centrifugo's getToken).
   */
  async createRealtimeToken(
    userId: string,
    options: Omit<CallOptions, 'idempotencyKey'> & { ttlSeconds?: number } = {},
  ): Promise<RealtimeToken> {
    const { ttlSeconds, ...call } = options;
    const body = ttlSeconds === undefined ? { userId } : { userId, ttlSeconds };
    return (await this.request<RealtimeToken>({ method: 'POST', path: '/api/v1/auth/realtime-token', body, options: call })).body;
  }

  private async request<T>(request: Request): Promise<{ status: number; body: T }> {
    const { options = {} } = request;
    const bytes = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-api-key': this.options.apiKey,
      'user-agent': `orqestra-node/${SDK_VERSION}`,
    };
    if (bytes !== undefined) headers['content-type'] = 'application/json';
    // The API verifies the signature on every method but GET/HEAD, over the raw body (empty when there is none).
    if (request.method !== 'GET' && this.options.webhookSecret)
      headers['x-orqestra-signature'] = signBody(this.options.webhookSecret, bytes ?? '');
    if (request.idempotent) headers['x-idempotency-key'] = options.idempotencyKey ?? randomUUID();
    if (options.traceId) headers['x-trace-id'] = options.traceId;
    const url = `${this.baseUrl}${request.path}`;

    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        const signal = options.signal
          ? AbortSignal.any([options.signal, AbortSignal.timeout(this.timeoutMs)])
          : AbortSignal.timeout(this.timeoutMs);
        response = await this.fetch(url, { method: request.method, headers, body: bytes, signal });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const delay = retryDelay({ kind: 'network' }, attempt, this.retry);
        if (delay === undefined)
          throw new OrqestraConnectionError(`${request.method} ${request.path}: the API could not be reached (${attempt} attempt(s))`, {
            cause: error,
          });
        await sleep(delay, undefined, { signal: options.signal });
        continue;
      }
      const body = await readJson(response);
      if (response.ok || request.accept?.includes(response.status)) return { status: response.status, body: body as T };

      const error = toError(response, body);
      const outcome: AttemptOutcome = {
        kind: 'response',
        status: response.status,
        code: error.code,
        retryAfter: response.headers.get('retry-after'),
      };
      const delay = retryDelay(outcome, attempt, this.retry);
      if (delay === undefined) throw error;
      await sleep(delay, undefined, { signal: options.signal });
    }
  }
}

type Send = <T>(request: Request) => Promise<{ status: number; body: T }>;

/** Inbox routes with the API key and `?userId=` (SPEC §2.5), for tenant backends. */
export class InboxApi {
  constructor(private readonly send: Send) {}

  /** Newest first; pass `pagination.nextCursor` back as `cursor` for the next page. */
  async list(
    userId: string,
    query: { status?: 'unread' | 'all'; cursor?: string; limit?: number } = {},
    options: Pick<CallOptions, 'signal' | 'traceId'> = {},
  ): Promise<InboxPage> {
    const params = new URLSearchParams({ userId });
    if (query.status) params.set('status', query.status);
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return (await this.send<InboxPage>({ method: 'GET', path: `/api/v1/inbox/notifications?${params}`, options })).body;
  }

  async unreadCount(userId: string, options: Pick<CallOptions, 'signal' | 'traceId'> = {}): Promise<number> {
    return (await this.send<UnreadCount>({ method: 'GET', path: `/api/v1/inbox/unread-count?${new URLSearchParams({ userId })}`, options }))
      .body.unreadCount;
  }

  /** Marks one notification read; a second call keeps the first read time. */
  async markRead(userId: string, notificationId: string, options: Pick<CallOptions, 'signal' | 'traceId'> = {}): Promise<MarkReadResult> {
    const path = `/api/v1/inbox/notifications/${encodeURIComponent(notificationId)}/read?${new URLSearchParams({ userId })}`;
    return (await this.send<MarkReadResult>({ method: 'POST', path, options })).body;
  }

  /** Marks every unread notification of the user read; resolves with how many changed. */
  async markAllRead(userId: string, options: Pick<CallOptions, 'signal' | 'traceId'> = {}): Promise<number> {
    return (
      await this.send<MarkAllReadResult>({ method: 'POST', path: `/api/v1/inbox/read-all?${new URLSearchParams({ userId })}`, options })
    ).body.updated;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toError(response: Response, body: unknown): OrqestraError {
  const traceId =
    (isRecord(body) && typeof body.traceId === 'string' ? body.traceId : undefined) ?? response.headers.get('x-trace-id') ?? undefined;
  const retryAfter = response.headers.get('retry-after');
  const retryAfterSeconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error && typeof error.code === 'string') {
    const details = Array.isArray(error.details) ? (error.details as ErrorDetail[]) : [];
    const message = typeof error.message === 'string' ? error.message : error.code;
    return new OrqestraError(response.status, error.code as ErrorCode, message, traceId, details, retryAfterSeconds);
  }
  return new OrqestraError(
    response.status,
    'UNEXPECTED_RESPONSE',
    `HTTP ${response.status} without an Orqestra error body`,
    traceId,
    [],
    retryAfterSeconds,
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
