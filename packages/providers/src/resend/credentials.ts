import { z } from 'zod';

/** The Resend credentials a tenant stores (zod schema and type), shared by the manifest and the adapter. */
export const resendCredentials = z.strictObject({
  apiKey: z.string().trim().min(1).max(256),
  fromAddress: z.email(),
  fromName: z.string().trim().min(1).max(200).optional(),
  replyTo: z.email().optional(),
});
export type ResendCredentials = z.infer<typeof resendCredentials>;
