import { permanent } from '../http/outcomes.js';
import { badBaseUrl, callVendor, transportTestResult, vendorUrl } from '../http/vendor-call.js';
import type { AdapterOptions, Outcome, ProviderAdapter, SendRequest, TestConnectionResult } from '../types.js';
import type { AfricasTalkingCredentials } from './credentials.js';
import { africasTalkingSendOutcome, africasTalkingTestResult } from './outcome.js';

export const AT_BASE_URL = 'https://api.africastalking.com';
export const AT_SANDBOX_BASE_URL = 'https://api.sandbox.africastalking.com';
const VENDOR = "Africa's Talking";

/** An operator's override wins; otherwise the sandbox flag picks the sandbox or the live API. */
export function africasTalkingBaseUrl(credentials: Pick<AfricasTalkingCredentials, 'sandbox'>, override?: string): string {
  if (override && override !== AT_BASE_URL) return override;
  return credentials.sandbox ? AT_SANDBOX_BASE_URL : AT_BASE_URL;
}

/** The form fields of `POST /version1/messaging`. */
export function africasTalkingForm(credentials: AfricasTalkingCredentials, request: SendRequest, to: string): URLSearchParams {
  const form = new URLSearchParams({ username: credentials.username, to, message: request.content.body ?? request.content.text ?? '' });
  if (credentials.senderId) form.set('from', credentials.senderId);
  return form;
}

/**
 * Africa's Talking SMS (https://developers.africastalking.com/docs/sms/sending):
 * `POST /version1/messaging`, form-encoded, `apiKey` header, `Accept: application/json`; 201 with
 * a status per recipient. One recipient per call, so the recipient's status is the outcome. No
 * idempotency key: an ambiguous send follows the tenant's `ambiguousSendPolicy`.
 */
export function createAfricasTalkingAdapter(options: AdapterOptions<AfricasTalkingCredentials>): ProviderAdapter {
  const { credentials, timeoutMs } = options;
  const baseUrl = africasTalkingBaseUrl(credentials, options.baseUrl);
  const headers = { apiKey: credentials.apiKey, Accept: 'application/json' };

  return {
    async send(request: SendRequest, signal: AbortSignal): Promise<Outcome> {
      const to = request.recipient.phone;
      if (!to) return permanent('message', 'MISSING_RECIPIENT', 'no phone number for this recipient');
      const url = vendorUrl(baseUrl, '/version1/messaging');
      if (!url) return badBaseUrl(VENDOR);
      const call = await callVendor({
        vendor: VENDOR,
        method: 'POST',
        url,
        headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: africasTalkingForm(credentials, request, to).toString(),
        timeoutMs,
        signal,
      });
      if (!call.ok) return call.outcome;
      return africasTalkingSendOutcome(call.response, [credentials.apiKey, to]);
    },

    async testConnection(signal: AbortSignal): Promise<TestConnectionResult> {
      const url = vendorUrl(baseUrl, `/version1/user?username=${encodeURIComponent(credentials.username)}`);
      if (!url) return { ok: false, code: 'UNREACHABLE' };
      const call = await callVendor({ vendor: VENDOR, method: 'GET', url, headers, timeoutMs, signal });
      return call.ok ? africasTalkingTestResult(call.response) : transportTestResult(call.failure);
    },
  };
}
