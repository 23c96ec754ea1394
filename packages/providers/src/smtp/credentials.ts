import { z } from 'zod';

/** The SMTP credentials a tenant stores (zod schema and type), shared by the manifest and the adapter. */
export const smtpCredentials = z
  .strictObject({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    /** `none`: plain; `starttls`: upgrade required (587); `tls`: TLS from the first byte (465). */
    tls: z.enum(['none', 'starttls', 'tls']),
    user: z.string().min(1).max(256).optional(),
    password: z.string().min(1).max(1024).optional(),
    fromAddress: z.email(),
    fromName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((value) => (value.user === undefined) === (value.password === undefined), {
    message: 'give both user and password, or neither',
    path: ['password'],
  });
export type SmtpCredentials = z.infer<typeof smtpCredentials>;
