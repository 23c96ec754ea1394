import { z } from 'zod';
import { CHANNELS } from '@orqestra/contracts';

/**
 * The request body of POST /api/v1/events/trigger (SPEC §2.1). The same schemas validate requests
 * and generate the OpenAPI document, so the two cannot drift.
 */
const NAME = /^[A-Za-z0-9._:-]+$/;
/** E.164: '+', a non-zero country digit, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{1,14}$/;
export const MAX_VARIABLES_BYTES = 64 * 1024;

function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** Internationalized addresses allowed (SPEC §2.1): one @, a non-empty local part, a dotted domain, no spaces. */
const emailAddress = z
  .string()
  .max(320)
  .regex(/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u, 'must be an email address');

export const triggerPayloadSchema = z
  .looseObject({
    userId: z.string().min(1).max(256),
    recipientEmail: emailAddress.optional(),
    recipientPhone: z.string().regex(E164, 'must be an E.164 phone number such as +254700000000').optional(),
  })
  .meta({ description: 'The recipient. Other keys are accepted and exposed to templates (variables win on a clash).' });

export const triggerBodySchema = z
  .object({
    eventType: z.string().min(1).max(200).regex(NAME, 'may contain only letters, digits and . _ : -'),
    eventId: z.string().min(1).max(200).optional(),
    channels: z
      .array(z.enum(CHANNELS))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a channel')
      .optional(),
    payload: triggerPayloadSchema,
    variables: z
      .record(z.string(), z.unknown())
      .refine(
        (v) => Buffer.byteLength(JSON.stringify(v), 'utf8') <= MAX_VARIABLES_BYTES,
        `must serialize to at most ${MAX_VARIABLES_BYTES} bytes`,
      )
      .optional(),
    locale: z.string().max(35).refine(isLocale, 'must be a BCP 47 language tag such as en-GB').optional(),
  })
  .superRefine(
    (body, ctx) => {
      // Runs even when other fields failed (`when` below), so `details` lists every problem at once.
      const raw = body as { channels?: unknown; payload?: { recipientEmail?: unknown; recipientPhone?: unknown } };
      const channels = Array.isArray(raw.channels) ? raw.channels : [];
      if (channels.includes('EMAIL') && raw.payload?.recipientEmail === undefined) {
        ctx.addIssue({ code: 'custom', path: ['payload', 'recipientEmail'], message: 'is required when channels names EMAIL' });
      }
      if (channels.includes('SMS') && raw.payload?.recipientPhone === undefined) {
        ctx.addIssue({ code: 'custom', path: ['payload', 'recipientPhone'], message: 'is required when channels names SMS' });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

export type TriggerBody = z.infer<typeof triggerBodySchema>;

/** POST /api/v1/events/trigger/bulk (SPEC §2.2): up to 100 events, each validated on its own. */
export const MAX_BULK_EVENTS = 100;
export const bulkBodySchema = z.object({
  events: z
    .array(z.unknown().meta({ description: 'A trigger body (see the single trigger)' }))
    .min(1)
    .max(MAX_BULK_EVENTS),
});
