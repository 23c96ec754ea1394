import { z } from 'zod';

/** The Twilio credentials a tenant stores (zod schema and type), shared by the manifest and the adapter. */
export const twilioCredentials = z
  .strictObject({
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID: AC followed by 32 hex digits'),
    authToken: z.string().trim().min(1).max(256),
    /** An E.164 number or an alphanumeric sender id you own in Twilio. */
    fromNumber: z.string().trim().min(1).max(32).optional(),
    messagingServiceSid: z
      .string()
      .trim()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'a Messaging Service SID: MG followed by 32 hex digits')
      .optional(),
  })
  .refine((value) => (value.fromNumber === undefined) !== (value.messagingServiceSid === undefined), {
    message: 'give exactly one of fromNumber or messagingServiceSid',
    path: ['fromNumber'],
  });
export type TwilioCredentials = z.infer<typeof twilioCredentials>;
