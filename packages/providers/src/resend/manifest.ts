import { z } from 'zod';
import type { ProviderManifest } from '../types.js';
import { createResendAdapter, RESEND_BASE_URL } from './adapter.js';

export { RESEND_BASE_URL };

export const resendCredentials = z.strictObject({
  apiKey: z.string().trim().min(1).max(256),
  fromAddress: z.email(),
  fromName: z.string().trim().min(1).max(200).optional(),
  replyTo: z.email().optional(),
});
export type ResendCredentials = z.infer<typeof resendCredentials>;

export const resendManifest: ProviderManifest<ResendCredentials> = {
  id: 'resend',
  channel: 'EMAIL',
  credentials: resendCredentials,
  secretField: 'apiKey',
  defaultBaseUrl: RESEND_BASE_URL,
  supportsIdempotencyKey: true,
  create: (options) => createResendAdapter(options),
};
