import { randomBytes, randomUUID } from 'node:crypto';
import {
  DEFAULT_BEHAVIOUR,
  FakeVendorServer,
  type FakeBehaviour,
  type FakeResponse,
  type ParsedRequest,
} from '../fakes/fake-vendor-server.js';

export interface FakeResendBehaviour extends FakeBehaviour {
  /** The key is a sending-only key: `GET /domains` answers 401 `restricted_api_key`. */
  restrictedKey: boolean;
}

interface IdempotencyRecord {
  fingerprint: string;
  id: string;
  /** Until then the first request is still "in progress" (its answer is being delayed by `slowMs`). */
  busyUntil: number;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function error(status: number, name: string, message: string, headers?: Record<string, string>): FakeResponse {
  return { status, body: { statusCode: status, name, message }, ...(headers ? { headers } : {}) };
}

/** `Name <a@b>` or `a@b` → the address. */
function addressOf(value: string): string {
  const match = /<([^>]*)>\s*$/.exec(value);
  return (match?.[1] ?? value).trim();
}

function recipients(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

/** A stable fingerprint of a JSON body (key order does not matter). */
function fingerprint(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${fingerprint(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * A fake of the Resend API: `POST /emails` (Bearer key, JSON, `Idempotency-Key` semantics) and
 * `GET /domains`. Error bodies follow https://resend.com/docs/api-reference/errors.
 * Same key + same body → the first email's id again, not a second email (not counted in
 * `acceptedSends()`); same key + other body → 409 `invalid_idempotent_request`; same key while the
 * first request is still being answered → 409 `concurrent_idempotent_requests`.
 */
export class FakeResend extends FakeVendorServer<FakeResendBehaviour> {
  readonly apiKey: string;
  private readonly keys = new Map<string, IdempotencyRecord>();

  constructor(options: { apiKey?: string } = {}) {
    super({ ...DEFAULT_BEHAVIOUR, restrictedKey: false });
    this.apiKey = options.apiKey ?? `re_fake_${randomBytes(12).toString('hex')}`;
  }

  protected override resetState(): void {
    this.keys.clear();
  }

  protected hasValidCredentials(request: ParsedRequest): boolean {
    return request.headers.authorization === `Bearer ${this.apiKey}`;
  }

  protected handle(request: ParsedRequest): FakeResponse {
    const { pathname } = request.url;
    if (pathname !== '/emails' && pathname !== '/domains') return error(404, 'not_found', 'The requested endpoint does not exist.');
    const method = pathname === '/emails' ? 'POST' : 'GET';
    if (request.method !== method) return error(405, 'method_not_allowed', 'Method is not allowed for the requested path.');
    if (!request.headers.authorization) return error(401, 'missing_api_key', 'Missing API key in the authorization header.');
    if (!this.isAuthorized(request)) return error(403, 'invalid_api_key', 'API key is invalid.');
    if (pathname === '/domains') {
      if (this.behaviour.restrictedKey) return error(401, 'restricted_api_key', 'This API key is restricted to only send emails.');
      return {
        status: 200,
        body: {
          object: 'list',
          has_more: false,
          data: [{ id: randomUUID(), name: 'example.test', status: 'verified', region: 'us-east-1', created_at: new Date().toISOString() }],
        },
      };
    }
    return this.sendEmail(request);
  }

  private sendEmail(request: ParsedRequest): FakeResponse {
    const failure = this.takeInjectedFailure();
    if (failure === 'rateLimit') {
      const wait = String(this.behaviour.retryAfterSeconds);
      return error(429, 'rate_limit_exceeded', 'Too many requests. Please limit the number of requests per second.', {
        'retry-after': wait,
        'ratelimit-limit': '2',
        'ratelimit-remaining': '0',
        'ratelimit-reset': wait,
      });
    }
    if (failure === 'fail5xx') return error(500, 'internal_server_error', 'An unexpected error occurred.');
    if (request.contentType !== 'application/json' || typeof request.body !== 'object' || request.body === null) {
      return error(400, 'validation_error', 'Invalid JSON body.');
    }
    const body = request.body as Record<string, unknown>;
    const key = request.headers['idempotency-key'];
    if (typeof key === 'string' && (key.length < 1 || key.length > 256)) {
      return error(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.');
    }
    const missing = ['from', 'to', 'subject'].filter((name) => body[name] === undefined || body[name] === '');
    if (missing.length > 0) return error(422, 'missing_required_field', `Missing \`${missing.join('`, `')}\` field.`);
    if (typeof body.from !== 'string' || !EMAIL.test(addressOf(body.from))) {
      return error(
        422,
        'invalid_from_address',
        'Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
      );
    }
    const to = recipients(body.to);
    if (failure === 'permanent' || !to || to.length === 0 || !to.every((address) => EMAIL.test(addressOf(address)))) {
      return error(
        422,
        'validation_error',
        'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
      );
    }
    if (body.html === undefined && body.text === undefined)
      return error(422, 'validation_error', 'Either `html` or `text` must be provided.');

    const now = Date.now();
    const print = fingerprint(body);
    if (typeof key === 'string') {
      const seen = this.keys.get(key);
      if (seen && seen.fingerprint !== print) {
        return error(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.');
      }
      if (seen && now < seen.busyUntil) {
        return error(409, 'concurrent_idempotent_requests', 'Same idempotency key used while original request is still in progress.');
      }
      if (seen) return { status: 200, body: { id: seen.id } };
    }
    const id = randomUUID();
    if (typeof key === 'string') this.keys.set(key, { fingerprint: print, id, busyUntil: now + this.behaviour.slowMs });
    this.accept(id, body);
    return { status: 200, body: { id } };
  }
}
