import { randomBytes } from 'node:crypto';
import {
  DEFAULT_BEHAVIOUR,
  FakeVendorServer,
  type FakeBehaviour,
  type FakeResponse,
  type ParsedRequest,
} from '../fakes/fake-vendor-server.js';
import { AT_RECIPIENT_STATUS } from './outcome.js';

export interface FakeAfricasTalkingBehaviour extends FakeBehaviour {
  /** Every recipient answers 405 InsufficientBalance. */
  insufficientBalance: boolean;
  /** Forces this per-recipient statusCode on every recipient (e.g. 406, 501); undefined → normal. */
  recipientStatus: number | undefined;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

function text(status: number, body: string, headers: Record<string, string> = {}): FakeResponse {
  return { status, body, headers: { ...TEXT, ...headers } };
}

interface RecipientEntry {
  statusCode: number;
  number: string;
  status: string;
  cost: string;
  messageId: string;
}

function xml(entries: RecipientEntry[], summary: string): string {
  const items = entries
    .map(
      (entry) =>
        `<Recipient><number>${entry.number}</number><cost>${entry.cost}</cost><status>${entry.status}</status><statusCode>${entry.statusCode}</statusCode><messageId>${entry.messageId}</messageId></Recipient>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><AfricasTalkingResponse><SMSMessageData><Message>${summary}</Message><Recipients>${items}</Recipients></SMSMessageData></AfricasTalkingResponse>`;
}

/**
 * A fake of Africa's Talking's SMS API: `POST /version1/messaging` (form-encoded, `apiKey` header;
 * JSON only with `Accept: application/json`, XML otherwise; 201 with a status per recipient;
 * plain-text 401 for bad credentials) and `GET /version1/user?username=` (application data).
 * Each recipient with a success status counts as one accepted send.
 */
export class FakeAfricasTalking extends FakeVendorServer<FakeAfricasTalkingBehaviour> {
  readonly username: string;
  readonly apiKey: string;
  /** Registered sender ids; a `from` outside this list answers 402 InvalidSenderId. */
  readonly senderIds: readonly string[];

  constructor(options: { username?: string; apiKey?: string; senderIds?: string[] } = {}) {
    super({ ...DEFAULT_BEHAVIOUR, insufficientBalance: false, recipientStatus: undefined });
    this.username = options.username ?? 'fake-app';
    this.apiKey = options.apiKey ?? `atsk_${randomBytes(24).toString('hex')}`;
    this.senderIds = options.senderIds ?? ['ORQESTRA'];
  }

  protected hasValidCredentials(request: ParsedRequest): boolean {
    const username =
      request.method === 'GET' ? request.url.searchParams.get('username') : (request.body as Record<string, string> | undefined)?.username;
    return request.headers.apikey === this.apiKey && username === this.username;
  }

  protected handle(request: ParsedRequest): FakeResponse {
    const { pathname } = request.url;
    if (pathname === '/version1/user' && request.method === 'GET') {
      if (!this.isAuthorized(request)) return text(401, 'The supplied authentication is invalid');
      return { status: 200, body: { UserData: { balance: this.behaviour.insufficientBalance ? 'KES 0.0000' : 'KES 1000.0000' } } };
    }
    if (pathname !== '/version1/messaging') return text(404, 'Not Found');
    if (request.method !== 'POST') return text(405, 'Method Not Allowed');
    const form = request.contentType === 'application/x-www-form-urlencoded' ? (request.body as Record<string, string>) : {};
    if (!form.username) return text(400, "Request is missing required form field 'username'");
    if (!this.isAuthorized({ ...request, body: form })) return text(401, 'The supplied authentication is invalid');
    const failure = this.takeInjectedFailure();
    if (failure === 'rateLimit') return text(429, 'Too Many Requests', { 'retry-after': String(this.behaviour.retryAfterSeconds) });
    if (failure === 'fail5xx') return text(500, 'Internal Server Error');
    if (!form.to) return text(400, "Request is missing required form field 'to'");
    if (!form.message) return text(400, "Request is missing required form field 'message'");
    const entries = form.to.split(',').map((number) => this.recipient(number.trim(), form.from, failure === 'permanent'));
    const sentTo = entries.filter((entry) => entry.statusCode >= 100 && entry.statusCode < 200);
    for (const entry of sentTo) this.accept(entry.messageId, { ...form, to: entry.number });
    const summary =
      sentTo.length > 0
        ? `Sent to ${sentTo.length}/${entries.length} Total Cost: KES ${(0.8 * sentTo.length).toFixed(4)}`
        : `Sent to 0/${entries.length} Total Cost: 0`;
    const accept = String(request.headers.accept ?? '');
    if (!accept.includes('application/json'))
      return { status: 201, body: xml(entries, summary), headers: { 'content-type': 'application/xml' } };
    return { status: 201, body: { SMSMessageData: { Message: summary, Recipients: entries } } };
  }

  private recipient(number: string, from: string | undefined, permanent: boolean): RecipientEntry {
    const status = (statusCode: number): RecipientEntry => {
      const ok = statusCode >= 100 && statusCode < 200;
      return {
        statusCode,
        number,
        status: ok ? 'Success' : (AT_RECIPIENT_STATUS[statusCode]?.name ?? 'Failed'),
        cost: ok ? 'KES 0.8000' : '0',
        messageId: ok ? `ATXid_${randomBytes(16).toString('hex')}` : 'None',
      };
    };
    if (this.behaviour.recipientStatus !== undefined) return status(this.behaviour.recipientStatus);
    if (this.behaviour.insufficientBalance) return status(405);
    if (from !== undefined && !this.senderIds.includes(from)) return status(402);
    if (permanent || !E164.test(number)) return status(403);
    return status(101);
  }
}
