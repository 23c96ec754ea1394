import { z } from 'zod';
import type { ProviderManifest } from '../types.js';
import { createPushAdapter, PUSH_PROVIDER_ID } from './adapter.js';

/**
 * Not tenant credentials (tenants supply nothing for PUSH): the deployment's Centrifugo settings,
 * which the gateway passes from its config.
 */
export const pushCredentials = z.strictObject({
  /** Centrifugo's HTTP base, e.g. `http://127.0.0.1:8000`; the API is under `/api`. */
  apiUrl: z.url({ protocol: /^https?$/ }),
  /** Centrifugo's `http_api.key`. */
  apiKey: z.string().min(1),
});
export type PushCredentials = z.infer<typeof pushCredentials>;

export const pushManifest: ProviderManifest<PushCredentials> = {
  id: PUSH_PROVIDER_ID,
  channel: 'PUSH',
  builtIn: true,
  credentials: pushCredentials,
  secretField: 'apiKey',
  // No vendor default: Centrifugo is part of the deployment (credentials.apiUrl).
  defaultBaseUrl: '',
  // Centrifugo deduplicates publications on idempotency_key (the notification id).
  supportsIdempotencyKey: true,
  create: (options) =>
    createPushAdapter({
      apiUrl: options.baseUrl || options.credentials.apiUrl,
      apiKey: options.credentials.apiKey,
      timeoutMs: options.timeoutMs,
    }),
};
