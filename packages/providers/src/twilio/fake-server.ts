import { randomBytes } from 'node:crypto';
import {
  DEFAULT_BEHAVIOUR,
  FakeVendorServer,
  type FakeBehaviour,
  type FakeResponse,
  type ParsedRequest,
} from '../fakes/fake-vendor-server.js';

export interface FakeTwilioBehaviour extends FakeBehaviour {
  /** The error code `permanent` answers with (400): 21211 invalid 'To', 21610 unsubscribed, 21614 not mobile… */
  permanentCode: number;
  /** What `GET /Accounts/{sid}.json` reports: `active`, `suspended` or `closed`. */
  accountStatus: 'active' | 'suspended' | 'closed';
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MESSAGES: Record<number, string> = {
  20003: 'Authenticate',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  21211: "Invalid 'To' Phone Number",
  21602: 'Message body is required.',
  21603: "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
  21604: "A 'To' phone number is required.",
  21610: 'Attempt to send to unsubscribed recipient',
  21614: "'To' number is not a valid mobile number",
  21617: 'The concatenated message body exceeds the 1600 character limit.',
};

function twilioError(status: number, code: number, message = MESSAGES[code] ?? 'Error', headers?: Record<string, string>): FakeResponse {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    ...(headers ? { headers } : {}),
  };
}

function sid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/**
 * A fake of Twilio's Messages resource: `POST /2010-04-01/Accounts/{sid}/Messages.json`
 * (form-encoded, Basic `AccountSid:AuthToken`; 201 with the Message; JSON errors
 * `{code, message, more_info, status}`) and `GET /2010-04-01/Accounts/{sid}.json`.
 */
export class FakeTwilio extends FakeVendorServer<FakeTwilioBehaviour> {
  readonly accountSid: string;
  readonly authToken: string;

  constructor(options: { accountSid?: string; authToken?: string } = {}) {
    super({ ...DEFAULT_BEHAVIOUR, permanentCode: 21211, accountStatus: 'active' });
    this.accountSid = options.accountSid ?? sid('AC');
    this.authToken = options.authToken ?? randomBytes(16).toString('hex');
  }

  protected hasValidCredentials(request: ParsedRequest): boolean {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return false;
    return Buffer.from(header.slice(6), 'base64').toString('utf8') === `${this.accountSid}:${this.authToken}`;
  }

  protected handle(request: ParsedRequest): FakeResponse {
    const match = /^\/2010-04-01\/Accounts\/([^/]+?)(\.json|\/Messages\.json)$/.exec(request.url.pathname);
    if (!match) return twilioError(404, 20404);
    if (!this.isAuthorized(request)) return twilioError(401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
    if (decodeURIComponent(match[1] ?? '') !== this.accountSid) return twilioError(404, 20404);
    if (match[2] === '.json') {
      if (request.method !== 'GET') return twilioError(405, 20004, 'Method not allowed');
      return { status: 200, body: this.account() };
    }
    if (request.method !== 'POST') return twilioError(405, 20004, 'Method not allowed');
    return this.createMessage(request);
  }

  private account(): Record<string, unknown> {
    const now = new Date().toUTCString();
    return {
      sid: this.accountSid,
      owner_account_sid: this.accountSid,
      friendly_name: 'Fake Twilio account',
      status: this.behaviour.accountStatus,
      type: 'Full',
      date_created: now,
      date_updated: now,
      uri: `/2010-04-01/Accounts/${this.accountSid}.json`,
    };
  }

  private createMessage(request: ParsedRequest): FakeResponse {
    const failure = this.takeInjectedFailure();
    if (failure === 'rateLimit') return twilioError(429, 20429, undefined, { 'retry-after': String(this.behaviour.retryAfterSeconds) });
    if (failure === 'fail5xx') return twilioError(500, 20500);
    // Twilio reads form parameters only; a JSON body reads as "no parameters".
    const form = request.contentType === 'application/x-www-form-urlencoded' ? (request.body as Record<string, string>) : {};
    const to = form.To;
    if (!to) return twilioError(400, 21604);
    if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (failure === 'permanent') return twilioError(400, this.behaviour.permanentCode);
    const from = form.From;
    const service = form.MessagingServiceSid;
    if (!from && !service) return twilioError(400, 21603);
    const body = form.Body ?? '';
    if (body === '' && !form.MediaUrl) return twilioError(400, 21602);
    if (body.length > 1600) return twilioError(400, 21617);
    const messageSid = sid('SM');
    this.accept(messageSid, form);
    const now = new Date().toUTCString();
    return {
      status: 201,
      body: {
        account_sid: this.accountSid,
        api_version: '2010-04-01',
        body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: from ?? null,
        messaging_service_sid: service ?? null,
        num_media: '0',
        num_segments: service ? '0' : String(Math.max(1, Math.ceil(body.length / 153))),
        price: null,
        price_unit: 'USD',
        sid: messageSid,
        status: service ? 'accepted' : 'queued',
        subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${messageSid}/Media.json` },
        to,
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${messageSid}.json`,
      },
    };
  }
}
