import type { ProviderManifest } from '../types.js';
import { sendGridCredentials, type SendGridCredentials } from './credentials.js';
import { createSendGridAdapter, SENDGRID_BASE_URL } from './adapter.js';

export { SENDGRID_BASE_URL };

export { sendGridCredentials, type SendGridCredentials };

export const sendGridManifest: ProviderManifest<SendGridCredentials> = {
  id: 'sendgrid',
  channel: 'EMAIL',
  credentials: sendGridCredentials,
  secretField: 'apiKey',
  defaultBaseUrl: SENDGRID_BASE_URL,
  supportsIdempotencyKey: false,
  create: (options) => createSendGridAdapter(options),
};
