import { Agent, request as send } from 'undici';
import type { Outcome, TestConnectionResult } from '../types.js';
import { ambiguous, permanent, retryable } from './outcomes.js';

export const USER_AGENT = 'orqestra-gateway';

export interface VendorRequest {
  /** Display name used in outcome messages, e.g. `Resend`. */
  vendor: string;
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Response headers by name, case-insensitive (the part of WHATWG Headers the adapters read). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface VendorResponse {
  status: number;
  headers: ResponseHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** How a call failed before a complete answer arrived. */
export type TransportFailure =
  /** Nothing was sent: refused, DNS, TLS, connect timeout. */
  | 'not-sent'
  /** Our timeout fired; the vendor may have acted on the request. */
  | 'timeout'
  /** The caller's signal aborted the call (shutdown) while it was in flight. */
  | 'aborted'
  /** The connection broke after it was established; the request may have been processed. */
  | 'lost';

export type VendorCallResult = { ok: true; response: VendorResponse } | { ok: false; failure: TransportFailure; outcome: Outcome };

/** Joins an operator-configurable base URL (possibly with a path prefix) and an API path. */
export function vendorUrl(baseUrl: string, path: string): URL | undefined {
  try {
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function badBaseUrl(vendor: string): Outcome {
  return permanent('provider', 'PROVIDER_MISCONFIGURED', `${vendor} base URL is not a valid http(s) URL`);
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

function errorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === 'string') return record.code;
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      const code = errorCode(inner, depth + 1);
      if (code) return code;
    }
  }
  return errorCode(record.cause, depth + 1);
}

function isTlsFailure(code: string): boolean {
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('CERT') || code.startsWith('UNABLE_TO_VERIFY');
}

function classifyThrown(vendor: string, error: unknown): { failure: TransportFailure; outcome: Outcome } {
  const code = errorCode(error) ?? 'UNKNOWN';
  if (code === 'ECONNREFUSED') {
    return { failure: 'not-sent', outcome: retryable('CONNECTION_REFUSED', `${vendor} refused the connection`, { failover: true }) };
  }
  if (NOT_SENT_CODES.has(code) || isTlsFailure(code)) {
    return { failure: 'not-sent', outcome: retryable('CONNECTION_FAILED', `could not connect to ${vendor} (${code})`, { failover: true }) };
  }
  return {
    failure: 'lost',
    outcome: ambiguous('CONNECTION_LOST', `connection to ${vendor} lost during the call (${code}); it may have been sent`),
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The process's connections to vendors: keep-alive pools per origin. Vendor calls use undici's
 * request API directly rather than fetch (the same client underneath): fetch wraps every call in
 * WHATWG streams, Headers and a transferable AbortSignal, which cost more CPU per notification than
 * the rest of the gateway's work on a call (issue 10, measured with a CPU profile of the gateway).
 * Redirects are not followed (a vendor API answers, it does not redirect).
 */
const vendors = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });

function headersOf(headers: Record<string, string | string[] | undefined>): ResponseHeaders {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * One HTTP call to a vendor with the adapter's timeout, classifying transport failures the way
 * SPEC §3 needs them: a connection that never opened → retryable with failover (nothing was sent);
 * a timeout, an abort or a connection lost once the request could have been written → ambiguous.
 * The body is read under the same deadline.
 */
export async function callVendor(request: VendorRequest): Promise<VendorCallResult> {
  const { vendor } = request;
  if (request.signal.aborted) {
    return {
      ok: false,
      failure: 'not-sent',
      outcome: retryable('ABORTED', `call to ${vendor} cancelled before it started`, { failover: false }),
    };
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const cancel = () => controller.abort();
  request.signal.addEventListener('abort', cancel, { once: true });
  try {
    const response = await send(request.url, {
      dispatcher: vendors,
      method: request.method,
      headers: { 'user-agent': USER_AGENT, ...request.headers },
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: controller.signal,
    });
    const text = await response.body.text();
    return { ok: true, response: { status: response.statusCode, headers: headersOf(response.headers), text, json: parseJson(text) } };
  } catch (error) {
    if (controller.signal.aborted) {
      return timedOut
        ? {
            ok: false,
            failure: 'timeout',
            outcome: ambiguous('TIMEOUT', `no answer from ${vendor} within ${request.timeoutMs} ms; it may have been sent`),
          }
        : { ok: false, failure: 'aborted', outcome: ambiguous('ABORTED', `call to ${vendor} cancelled in flight; it may have been sent`) };
    }
    return { ok: false, ...classifyThrown(vendor, error) };
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener('abort', cancel);
  }
}

/** testConnection's coded answer for a call that failed in transport. */
export function transportTestResult(failure: TransportFailure): TestConnectionResult {
  return { ok: false, code: failure === 'lost' ? 'VENDOR_ERROR' : 'UNREACHABLE' };
}

/** testConnection's coded answer for a status the vendor-specific code did not claim. */
export function statusTestResult(status: number): TestConnectionResult {
  if (status >= 200 && status < 300) return { ok: true };
  if (status === 401 || status === 403) return { ok: false, code: 'INVALID_CREDENTIALS' };
  if (status === 429) return { ok: false, code: 'VENDOR_RATE_LIMITED' };
  return { ok: false, code: 'VENDOR_ERROR' };
}

/** Object member access for untyped JSON. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

export function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}
