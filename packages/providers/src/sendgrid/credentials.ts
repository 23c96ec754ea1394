import { z } from 'zod';

/** The SendGrid credentials a tenant stores (zod schema and type), shared by the manifest and the adapter. */
export const sendGridCredentials = z.strictObject({
  apiKey: z.string().trim().min(1).max(256),
  fromAddress: z.email(),
  fromName: z.string().trim().min(1).max(200).optional(),
});
export type SendGridCredentials = z.infer<typeof sendGridCredentials>;
