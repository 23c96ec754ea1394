import { permanent } from '../http/outcomes.js';
import { badBaseUrl, callVendor, transportTestResult, vendorUrl } from '../http/vendor-call.js';
import type { AdapterOptions, Outcome, ProviderAdapter, SendRequest, TestConnectionResult } from '../types.js';
import type { TwilioCredentials } from './credentials.js';
import { twilioSendOutcome, twilioTestResult } from './outcome.js';

export const TWILIO_BASE_URL = 'https://api.twilio.com';
const VENDOR = 'Twilio';

/** The form fields of a Message create: `To`, `Body`, and `From` or `MessagingServiceSid`. */
export function twilioMessageForm(credentials: TwilioCredentials, request: SendRequest, to: string): URLSearchParams {
  const form = new URLSearchParams({ To: to, Body: request.content.body ?? request.content.text ?? '' });
  if (credentials.messagingServiceSid) form.set('MessagingServiceSid', credentials.messagingServiceSid);
  else if (credentials.fromNumber) form.set('From', credentials.fromNumber);
  return form;
}

/**
 * Twilio Programmable Messaging (https://www.twilio.com/docs/messaging/api/message-resource):
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP Basic with
 * `AccountSid:AuthToken`; errors are JSON `{ code, message, more_info, status }`. No idempotency
 * key: an ambiguous send follows the tenant's `ambiguousSendPolicy`.
 */
export function createTwilioAdapter(options: AdapterOptions<TwilioCredentials>): ProviderAdapter {
  const { credentials, timeoutMs } = options;
  const baseUrl = options.baseUrl ?? TWILIO_BASE_URL;
  const account = `/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}`;
  const auth = { Authorization: `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}` };

  return {
    async send(request: SendRequest, signal: AbortSignal): Promise<Outcome> {
      const to = request.recipient.phone;
      if (!to) return permanent('message', 'MISSING_RECIPIENT', 'no phone number for this recipient');
      const url = vendorUrl(baseUrl, `${account}/Messages.json`);
      if (!url) return badBaseUrl(VENDOR);
      const call = await callVendor({
        vendor: VENDOR,
        method: 'POST',
        url,
        headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: twilioMessageForm(credentials, request, to).toString(),
        timeoutMs,
        signal,
      });
      if (!call.ok) return call.outcome;
      return twilioSendOutcome(call.response, [credentials.authToken, to]);
    },

    async testConnection(signal: AbortSignal): Promise<TestConnectionResult> {
      const url = vendorUrl(baseUrl, `${account}.json`);
      if (!url) return { ok: false, code: 'UNREACHABLE' };
      const call = await callVendor({
        vendor: VENDOR,
        method: 'GET',
        url,
        headers: { ...auth, Accept: 'application/json' },
        timeoutMs,
        signal,
      });
      return call.ok ? twilioTestResult(call.response) : transportTestResult(call.failure);
    },
  };
}
