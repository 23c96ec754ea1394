import { z } from 'zod';

export const realtimeTokenBodySchema = z
  .object({
    userId: z
      .string()
      .min(1)
      .max(256)
      .meta({ description: "The recipient's id in the tenant's system (payload.userId of triggered events)." }),
    ttlSeconds: z
      .number()
      .int()
      .min(10)
      .max(86_400)
      .optional()
      .meta({ description: 'Token lifetime in seconds, 10 to 86400; default REALTIME_TOKEN_TTL_SECONDS (1 hour).' }),
  })
  .strict()
  .meta({ id: 'RealtimeTokenRequest' });

export const realtimeTokenResponseSchema = z
  .object({
    token: z.string().meta({ description: 'Centrifugo connection JWT (HS256): sub, exp, iat, aud, iss.' }),
    channels: z.array(z.string()).meta({ description: 'Subscribe to each with newSubscription(); global_system#<sub> comes first.' }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'RealtimeToken' });
