import type { ProviderManifest } from '../types.js';
import { resendCredentials, type ResendCredentials } from './credentials.js';
import { createResendAdapter, RESEND_BASE_URL } from './adapter.js';

export { RESEND_BASE_URL };

export { resendCredentials, type ResendCredentials };

export const resendManifest: ProviderManifest<ResendCredentials> = {
  id: 'resend',
  channel: 'EMAIL',
  credentials: resendCredentials,
  secretField: 'apiKey',
  defaultBaseUrl: RESEND_BASE_URL,
  supportsIdempotencyKey: true,
  create: (options) => createResendAdapter(options),
};
