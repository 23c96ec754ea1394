import { z } from 'zod';
import type { ProviderManifest } from '../types.js';
import { AT_BASE_URL, AT_SANDBOX_BASE_URL, createAfricasTalkingAdapter } from './adapter.js';

export { AT_BASE_URL, AT_SANDBOX_BASE_URL };

export const africasTalkingCredentials = z.strictObject({
  /** The application's username (always `sandbox` for the sandbox application). */
  username: z.string().trim().min(1).max(100),
  apiKey: z.string().trim().min(1).max(256),
  /** A registered alphanumeric sender id or short code; omitted → the account's default sender. */
  senderId: z.string().trim().min(1).max(20).optional(),
  /** Use the sandbox (https://api.sandbox.africastalking.com) instead of the live API. */
  sandbox: z.boolean().default(false),
});
export type AfricasTalkingCredentials = z.infer<typeof africasTalkingCredentials>;

export const africasTalkingManifest: ProviderManifest<AfricasTalkingCredentials> = {
  id: 'africastalking',
  channel: 'SMS',
  credentials: africasTalkingCredentials,
  secretField: 'apiKey',
  defaultBaseUrl: AT_BASE_URL,
  supportsIdempotencyKey: false,
  create: (options) => createAfricasTalkingAdapter(options),
};
