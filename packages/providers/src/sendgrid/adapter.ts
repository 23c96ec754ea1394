import { permanent } from '../http/outcomes.js';
import { badBaseUrl, callVendor, transportTestResult, vendorUrl } from '../http/vendor-call.js';
import type { AdapterOptions, Outcome, ProviderAdapter, SendRequest, TestConnectionResult } from '../types.js';
import type { SendGridCredentials } from './credentials.js';
import { sendGridSendOutcome, sendGridTestResult } from './outcome.js';

export const SENDGRID_BASE_URL = 'https://api.sendgrid.com';
const VENDOR = 'SendGrid';

/** The JSON body of `POST /v3/mail/send` (text/plain must come before text/html). */
export function sendGridMailBody(credentials: SendGridCredentials, request: SendRequest, to: string): Record<string, unknown> {
  const { content } = request;
  const parts: { type: string; value: string }[] = [];
  if (content.text) parts.push({ type: 'text/plain', value: content.text });
  if (content.html) parts.push({ type: 'text/html', value: content.html });
  return {
    personalizations: [{ to: [{ email: to }] }],
    from: { email: credentials.fromAddress, ...(credentials.fromName ? { name: credentials.fromName } : {}) },
    subject: content.subject ?? '',
    content: parts,
    // Echoed in SendGrid's event webhook, to find the notification again.
    custom_args: { orqestra_notification_id: request.notificationId },
  };
}

/**
 * SendGrid v3 (https://www.twilio.com/docs/sendgrid/api-reference): `POST /v3/mail/send` with a
 * Bearer key; 202 and the id in `X-Message-Id`; 429 carries `X-RateLimit-Reset` (epoch seconds).
 * No idempotency key: an ambiguous send follows the tenant's `ambiguousSendPolicy`.
 */
export function createSendGridAdapter(options: AdapterOptions<SendGridCredentials>): ProviderAdapter {
  const { credentials, timeoutMs } = options;
  const baseUrl = options.baseUrl ?? SENDGRID_BASE_URL;
  const auth = { Authorization: `Bearer ${credentials.apiKey}` };

  return {
    async send(request: SendRequest, signal: AbortSignal): Promise<Outcome> {
      const to = request.recipient.email;
      if (!to) return permanent('message', 'MISSING_RECIPIENT', 'no e-mail address for this recipient');
      const url = vendorUrl(baseUrl, '/v3/mail/send');
      if (!url) return badBaseUrl(VENDOR);
      const call = await callVendor({
        vendor: VENDOR,
        method: 'POST',
        url,
        headers: { ...auth, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(sendGridMailBody(credentials, request, to)),
        timeoutMs,
        signal,
      });
      if (!call.ok) return call.outcome;
      return sendGridSendOutcome(call.response, [credentials.apiKey, to]);
    },

    async testConnection(signal: AbortSignal): Promise<TestConnectionResult> {
      const url = vendorUrl(baseUrl, '/v3/scopes');
      if (!url) return { ok: false, code: 'UNREACHABLE' };
      const call = await callVendor({
        vendor: VENDOR,
        method: 'GET',
        url,
        headers: { ...auth, Accept: 'application/json' },
        timeoutMs,
        signal,
      });
      return call.ok ? sendGridTestResult(call.response) : transportTestResult(call.failure);
    },
  };
}
