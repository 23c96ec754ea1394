import { formatMailbox } from '../email/mailbox.js';
import { permanent } from '../http/outcomes.js';
import { badBaseUrl, callVendor, transportTestResult, vendorUrl } from '../http/vendor-call.js';
import type { AdapterOptions, Outcome, ProviderAdapter, SendRequest, TestConnectionResult } from '../types.js';
import type { ResendCredentials } from './credentials.js';
import { resendSendOutcome, resendTestResult } from './outcome.js';

export const RESEND_BASE_URL = 'https://api.resend.com';
const VENDOR = 'Resend';

/** The JSON body of `POST /emails`. */
export function resendEmailBody(credentials: ResendCredentials, request: SendRequest, to: string): Record<string, unknown> {
  const { content } = request;
  return {
    from: formatMailbox(credentials.fromAddress, credentials.fromName),
    to: [to],
    subject: content.subject ?? '',
    ...(content.html !== undefined ? { html: content.html } : {}),
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(credentials.replyTo ? { reply_to: credentials.replyTo } : {}),
  };
}

/**
 * Resend (https://resend.com/docs/api-reference): `POST /emails` with a Bearer key and an
 * `Idempotency-Key` of `notificationId:attemptSeries`, so a retry after a timeout or a crash
 * returns the first email's id instead of sending again (Resend keeps keys for 24 hours).
 */
export function createResendAdapter(options: AdapterOptions<ResendCredentials>): ProviderAdapter {
  const { credentials, timeoutMs } = options;
  const baseUrl = options.baseUrl ?? RESEND_BASE_URL;
  const auth = { Authorization: `Bearer ${credentials.apiKey}` };

  return {
    async send(request: SendRequest, signal: AbortSignal): Promise<Outcome> {
      const to = request.recipient.email;
      if (!to) return permanent('message', 'MISSING_RECIPIENT', 'no e-mail address for this recipient');
      const url = vendorUrl(baseUrl, '/emails');
      if (!url) return badBaseUrl(VENDOR);
      const call = await callVendor({
        vendor: VENDOR,
        method: 'POST',
        url,
        headers: { ...auth, 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': request.idempotencyKey },
        body: JSON.stringify(resendEmailBody(credentials, request, to)),
        timeoutMs,
        signal,
      });
      if (!call.ok) return call.outcome;
      return resendSendOutcome(call.response, [credentials.apiKey, to]);
    },

    async testConnection(signal: AbortSignal): Promise<TestConnectionResult> {
      const url = vendorUrl(baseUrl, '/domains');
      if (!url) return { ok: false, code: 'UNREACHABLE' };
      const call = await callVendor({
        vendor: VENDOR,
        method: 'GET',
        url,
        headers: { ...auth, Accept: 'application/json' },
        timeoutMs,
        signal,
      });
      return call.ok ? resendTestResult(call.response) : transportTestResult(call.failure);
    },
  };
}
