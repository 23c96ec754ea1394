import type { ProviderManifest } from '../types.js';
import { twilioCredentials, type TwilioCredentials } from './credentials.js';
import { createTwilioAdapter, TWILIO_BASE_URL } from './adapter.js';

export { TWILIO_BASE_URL };

export { twilioCredentials, type TwilioCredentials };

export const twilioManifest: ProviderManifest<TwilioCredentials> = {
  id: 'twilio',
  channel: 'SMS',
  credentials: twilioCredentials,
  secretField: 'authToken',
  defaultBaseUrl: TWILIO_BASE_URL,
  supportsIdempotencyKey: false,
  create: (options) => createTwilioAdapter(options),
};
