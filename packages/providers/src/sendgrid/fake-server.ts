import { randomBytes } from 'node:crypto';
import {
  DEFAULT_BEHAVIOUR,
  FakeVendorServer,
  type FakeBehaviour,
  type FakeResponse,
  type ParsedRequest,
} from '../fakes/fake-vendor-server.js';

export interface FakeSendGridBehaviour extends FakeBehaviour {
  /** What `GET /v3/scopes` lists; drop `mail.send` to fake a key that may not send. */
  scopes: string[];
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';

function errors(
  status: number,
  list: { message: string; field?: string | null; help?: string | null }[],
  headers?: Record<string, string>,
): FakeResponse {
  return {
    status,
    body: { errors: list.map((entry) => ({ message: entry.message, field: entry.field ?? null, help: entry.help ?? null })) },
    ...(headers ? { headers } : {}),
  };
}

function emailOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const email = (value as { email?: unknown }).email;
  return typeof email === 'string' ? email : undefined;
}

/**
 * A fake of SendGrid's v3 API: `POST /v3/mail/send` (Bearer key, JSON; 202 with `X-Message-Id`;
 * `{"errors":[{message, field, help}]}` bodies; 429 with `X-RateLimit-*`) and `GET /v3/scopes`.
 */
export class FakeSendGrid extends FakeVendorServer<FakeSendGridBehaviour> {
  readonly apiKey: string;

  constructor(options: { apiKey?: string } = {}) {
    super({ ...DEFAULT_BEHAVIOUR, scopes: ['mail.send', 'user.account.read', 'user.profile.read'] });
    this.apiKey = options.apiKey ?? `SG.${randomBytes(11).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
  }

  protected hasValidCredentials(request: ParsedRequest): boolean {
    return request.headers.authorization === `Bearer ${this.apiKey}`;
  }

  protected handle(request: ParsedRequest): FakeResponse {
    const { pathname } = request.url;
    const route = pathname === '/v3/mail/send' ? 'POST' : pathname === '/v3/scopes' ? 'GET' : undefined;
    if (!route) return errors(404, [{ message: 'resource not found' }]);
    if (request.method !== route) return errors(405, [{ message: 'method not allowed' }]);
    if (!this.isAuthorized(request)) {
      return errors(401, [
        {
          message: request.headers.authorization
            ? 'The provided authorization grant is invalid, expired, or revoked'
            : 'authorization required',
        },
      ]);
    }
    if (route === 'GET') return { status: 200, body: { scopes: this.behaviour.scopes } };
    if (!this.behaviour.scopes.includes('mail.send')) return errors(403, [{ message: 'access forbidden' }]);
    return this.mailSend(request);
  }

  private mailSend(request: ParsedRequest): FakeResponse {
    const failure = this.takeInjectedFailure();
    if (failure === 'rateLimit') {
      const reset = Math.ceil(Date.now() / 1000) + this.behaviour.retryAfterSeconds;
      return errors(429, [{ message: 'too many requests' }], {
        'x-ratelimit-limit': '600',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
      });
    }
    if (failure === 'fail5xx') return errors(500, [{ message: 'internal server error' }]);
    if (request.contentType !== 'application/json' || typeof request.body !== 'object' || request.body === null) {
      return errors(400, [{ message: 'Content-Type should be application/json.' }]);
    }
    const body = request.body as Record<string, unknown>;
    const personalizations = Array.isArray(body.personalizations) ? (body.personalizations as unknown[]) : [];
    if (personalizations.length === 0) {
      return errors(400, [
        {
          message: 'The personalizations field is required and must have at least one personalization.',
          field: 'personalizations',
          help: `${HELP}#-Personalizations-Errors`,
        },
      ]);
    }
    for (const [index, personalization] of personalizations.entries()) {
      const to = typeof personalization === 'object' && personalization !== null ? (personalization as { to?: unknown }).to : undefined;
      const list = Array.isArray(to) ? to : [];
      if (list.length === 0)
        return errors(400, [
          {
            message:
              'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
            field: `personalizations.${index}.to`,
          },
        ]);
      for (const [position, entry] of list.entries()) {
        const email = emailOf(entry);
        if (failure === 'permanent' || !email || !EMAIL.test(email)) {
          return errors(400, [
            {
              message: 'Does not contain a valid address.',
              field: `personalizations.${index}.to.${position}.email`,
              help: `${HELP}#message.personalizations.to`,
            },
          ]);
        }
      }
    }
    const from = emailOf(body.from);
    if (!from || !EMAIL.test(from))
      return errors(400, [
        { message: 'The from email does not contain a valid address.', field: 'from.email', help: `${HELP}#message.from` },
      ]);
    if (typeof body.subject !== 'string' || body.subject === '') {
      return errors(400, [
        {
          message:
            'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
          field: 'subject',
          help: `${HELP}#message.subject`,
        },
      ]);
    }
    const content = Array.isArray(body.content) ? (body.content as { type?: unknown; value?: unknown }[]) : [];
    if (content.length === 0 || content.some((part) => typeof part.value !== 'string' || part.value === '')) {
      return errors(400, [
        {
          message:
            'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
          field: 'content',
          help: `${HELP}#message.content`,
        },
      ]);
    }
    if (content.length > 1 && content[0]?.type !== 'text/plain') {
      return errors(400, [
        {
          message: 'If present, text/plain content must be first, followed by text/html, followed by any other content.',
          field: 'content',
          help: `${HELP}#message.content`,
        },
      ]);
    }
    const id = randomBytes(16).toString('base64url').slice(0, 22);
    this.accept(id, body);
    return { status: 202, headers: { 'x-message-id': id } };
  }
}
