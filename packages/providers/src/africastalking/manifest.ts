import type { ProviderManifest } from '../types.js';
import { africasTalkingCredentials, type AfricasTalkingCredentials } from './credentials.js';
import { AT_BASE_URL, AT_SANDBOX_BASE_URL, createAfricasTalkingAdapter } from './adapter.js';

export { AT_BASE_URL, AT_SANDBOX_BASE_URL };

export { africasTalkingCredentials, type AfricasTalkingCredentials };

export const africasTalkingManifest: ProviderManifest<AfricasTalkingCredentials> = {
  id: 'africastalking',
  channel: 'SMS',
  credentials: africasTalkingCredentials,
  secretField: 'apiKey',
  defaultBaseUrl: AT_BASE_URL,
  supportsIdempotencyKey: false,
  create: (options) => createAfricasTalkingAdapter(options),
};
