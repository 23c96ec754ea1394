import type { ProviderManifest } from '../types.js';
import { smtpCredentials, type SmtpCredentials } from './credentials.js';
import { createSmtpAdapter } from './adapter.js';

export { smtpCredentials, type SmtpCredentials };

export const smtpManifest: ProviderManifest<SmtpCredentials> = {
  id: 'smtp',
  channel: 'EMAIL',
  credentials: smtpCredentials,
  secretField: 'password',
  // No HTTP base URL: the host is in the credentials (checked like a base URL, see hostOf).
  defaultBaseUrl: '',
  supportsIdempotencyKey: false,
  hostOf: (credentials) => credentials.host,
  create: (options) => createSmtpAdapter(options),
};
