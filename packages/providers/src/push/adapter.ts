import { GLOBAL_NAMESPACE, userChannel } from '@orqestra/contracts';
import { realtimeSubject } from '@orqestra/crypto';
import { ambiguous, byStatus, permanent, retryable, sent } from '../http/outcomes.js';
import { redactVendorText } from '../http/redact.js';
import { badBaseUrl, callVendor, field, stringField, transportTestResult, vendorUrl, type VendorResponse } from '../http/vendor-call.js';
import type { Outcome, ProviderAdapter, SendRequest, TestConnectionResult } from '../types.js';

export const PUSH_PROVIDER_ID = 'push';
const VENDOR = 'Centrifugo';

/** Deployment settings (the gateway's config), not tenant credentials: tenants supply nothing for PUSH. */
export interface PushAdapterOptions {
  /** Centrifugo's HTTP base, e.g. `http://127.0.0.1:8000` (the API lives under `/api`). */
  apiUrl: string;
  /** Centrifugo's `http_api.key`. */
  apiKey: string;
  timeoutMs: number;
}

/** The publication a browser receives (SPEC §2.6). */
export interface PushPublication {
  id: string;
  title: string;
  body: string;
  category: string;
  eventType?: string;
  createdAt?: string;
  data?: Record<string, unknown>;
}

/** The user's personal channel: `global_system#<realtimeSubject(tenantId, userId)>`. */
export function pushChannel(tenantId: string, userId: string): string {
  return userChannel(GLOBAL_NAMESPACE, realtimeSubject(tenantId, userId));
}

export function pushPublication(request: SendRequest): PushPublication {
  const { content } = request;
  return {
    id: request.notificationId,
    title: content.title ?? content.subject ?? '',
    body: content.body ?? content.text ?? '',
    category: content.category ?? 'info',
    ...(request.eventType ? { eventType: request.eventType } : {}),
    ...(request.receivedAt ? { createdAt: request.receivedAt } : {}),
    ...(content.data ? { data: content.data } : {}),
  };
}

/**
 * Centrifugo answers API errors with HTTP 200 and `{"error": {code, message}}`
 * (https://centrifugal.dev/docs/server/codes). Temporary ones are retried; the others mean the
 * deployment is misconfigured (every publication would fail) or this publication is malformed.
 */
export function pushPublishOutcome(response: VendorResponse): Outcome {
  const { status } = response;
  if (status === 200) {
    const error = field(response.json, 'error');
    if (error === undefined) {
      const result = field(response.json, 'result');
      const offset = field(result, 'offset');
      const epoch = stringField(result, 'epoch');
      return sent(typeof offset === 'number' && epoch ? `${epoch}:${offset}` : undefined, status);
    }
    const code = field(error, 'code');
    const text = `Centrifugo ${typeof code === 'number' ? code : '?'}: ${redactVendorText(stringField(error, 'message'))}`;
    switch (code) {
      case 100: // internal
      case 108: // not available
        return retryable('VENDOR_ERROR', text, { httpStatus: status, failover: false });
      case 106: // limit exceeded
      case 111: // too many requests
        return retryable('VENDOR_RATE_LIMITED', text, { httpStatus: status, failover: true, throttled: true });
      case 107: // bad request
        return permanent('message', 'REQUEST_REJECTED', text, { httpStatus: status });
      default: // 101 unauthorized, 102 unknown channel, 103 permission denied, 104 method not found
        return permanent('provider', 'PROVIDER_MISCONFIGURED', text, { httpStatus: status });
    }
  }
  return byStatus(VENDOR, status, { parsedBody: response.json !== undefined });
}

/** Most publications in one `/api/batch` request. */
export const PUSH_BATCH_MAX = 500;

interface QueuedPublication {
  command: { channel: string; data: PushPublication; idempotency_key: string };
  resolve: (outcome: Outcome) => void;
}

/**
 * The built-in PUSH provider: publishes to the user's channel through Centrifugo's server HTTP API
 * (`X-API-Key`), with the notification id as Centrifugo's idempotency key, so a republished
 * notification is not delivered twice within Centrifugo's idempotency window. Not in `PROVIDERS`:
 * it takes deployment settings, not tenant credentials.
 *
 * Publications asked for in the same turn of the event loop (the PUSH notifications of a batch the
 * gateway sends concurrently) go out together as ONE `POST {apiUrl}/api/batch` request
 * (`{commands: [{publish}], parallel: true}`, at most PUSH_BATCH_MAX), and each caller gets the
 * outcome of its own reply. A transport failure of that request is every caller's outcome (a
 * timeout is ambiguous for each: the idempotency key makes its retry safe).
 */
export function createPushAdapter(options: PushAdapterOptions): ProviderAdapter {
  const { apiKey, timeoutMs } = options;
  const headers = { 'X-API-Key': apiKey, 'Content-Type': 'application/json', Accept: 'application/json' };
  let queue: QueuedPublication[] = [];
  let flushing: NodeJS.Immediate | undefined;

  const publishAll = async (batch: QueuedPublication[]): Promise<void> => {
    const url = vendorUrl(options.apiUrl, '/api/batch');
    if (!url) {
      for (const p of batch) p.resolve(badBaseUrl(VENDOR));
      return;
    }
    const body = JSON.stringify({ commands: batch.map((p) => ({ publish: p.command })), parallel: true });
    const call = await callVendor({ vendor: VENDOR, method: 'POST', url, headers, body, timeoutMs, signal: NEVER });
    if (!call.ok) {
      for (const p of batch) p.resolve(call.outcome);
      return;
    }
    const replies = field(call.response.json, 'replies');
    batch.forEach((p, i) => {
      // A batch refused as a whole (HTTP status, or a top-level error) is each caller's answer.
      if (call.response.status !== 200 || !Array.isArray(replies)) return p.resolve(pushPublishOutcome(call.response));
      // Each reply reads like the answer of a single publish: {result} or {error}.
      const reply: unknown = replies[i];
      const json =
        reply === undefined
          ? { error: { code: 100, message: 'no reply for this publication in the batch' } }
          : { result: field(reply, 'publish'), error: field(reply, 'error') };
      p.resolve(pushPublishOutcome({ ...call.response, json }));
    });
  };

  const flush = () => {
    flushing = undefined;
    const all = queue;
    queue = [];
    for (let i = 0; i < all.length; i += PUSH_BATCH_MAX) {
      const batch = all.slice(i, i + PUSH_BATCH_MAX);
      // Every caller is answered whatever happens (an answer given already is kept).
      void publishAll(batch).catch(() => {
        for (const p of batch)
          p.resolve(ambiguous('VENDOR_ERROR', `${VENDOR} batch publish failed unexpectedly; it may have been published`));
      });
    }
  };

  return {
    async send(request: SendRequest, signal: AbortSignal): Promise<Outcome> {
      if (signal.aborted) return retryable('ABORTED', `call to ${VENDOR} cancelled before it started`, { failover: false });
      const command = {
        channel: pushChannel(request.tenantId, request.recipient.userId),
        data: pushPublication(request),
        idempotency_key: request.notificationId,
      };
      return new Promise<Outcome>((resolve) => {
        queue.push({ command, resolve });
        flushing ??= setImmediate(flush);
      });
    },

    async testConnection(signal: AbortSignal): Promise<TestConnectionResult> {
      const url = vendorUrl(options.apiUrl, '/api/info');
      if (!url) return { ok: false, code: 'UNREACHABLE' };
      const call = await callVendor({ vendor: VENDOR, method: 'POST', url, headers, body: '{}', timeoutMs, signal });
      if (!call.ok) return transportTestResult(call.failure);
      const { status } = call.response;
      if (status === 401 || status === 403) return { ok: false, code: 'INVALID_CREDENTIALS' };
      if (status === 200 && field(call.response.json, 'error') === undefined) return { ok: true };
      return { ok: false, code: 'VENDOR_ERROR' };
    },
  };
}

/** The batch request answers every caller, so no one caller's signal may cancel it; its own timeout bounds it. */
const NEVER = new AbortController().signal;
