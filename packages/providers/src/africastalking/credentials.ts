import { z } from 'zod';

/** The Africa's Talking credentials a tenant stores (zod schema and type), shared by the manifest and the adapter. */
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
