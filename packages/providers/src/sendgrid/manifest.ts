import { z } from 'zod';
import type { ProviderManifest } from '../types.js';
import { createSendGridAdapter, SENDGRID_BASE_URL } from './adapter.js';

export { SENDGRID_BASE_URL };

export const sendGridCredentials = z.strictObject({
  apiKey: z.string().trim().min(1).max(256),
  fromAddress: z.email(),
  fromName: z.string().trim().min(1).max(200).optional(),
});
export type SendGridCredentials = z.infer<typeof sendGridCredentials>;

export const sendGridManifest: ProviderManifest<SendGridCredentials> = {
  id: 'sendgrid',
  channel: 'EMAIL',
  credentials: sendGridCredentials,
  secretField: 'apiKey',
  defaultBaseUrl: SENDGRID_BASE_URL,
  supportsIdempotencyKey: false,
  create: (options) => createSendGridAdapter(options),
};
