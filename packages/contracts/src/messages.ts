import { z } from 'zod';

/**
 * Messages on the bus (SPEC §1.1). Every message is JSON with a schema version `v`; consumers
 * ignore unknown fields (zod objects strip them), so adding an optional field is compatible.
 * A breaking change bumps `v` and consumers accept both during the roll-out.
 */
export const CHANNELS = ['EMAIL', 'SMS', 'PUSH'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const MODES = ['live', 'sandbox'] as const;
export const modeSchema = z.enum(MODES);
export type Mode = z.infer<typeof modeSchema>;

export const CATEGORIES = ['info', 'success', 'warning', 'alert', 'error'] as const;
export const categorySchema = z.enum(CATEGORIES);

/** Rendered content in a message is capped at 256 KiB (SPEC §1.1). */
export const MAX_RENDERED_BYTES = 256 * 1024;

// Counts UTF-8 bytes in browsers too (Buffer is Node-only; this package is loaded by the console).
const utf8 = new TextEncoder();

const uuid = z.uuid();
const isoTime = z.iso.datetime({ offset: true });

export const eventReceivedSchema = z.object({
  v: z.literal(1),
  tenantId: uuid,
  mode: modeSchema,
  sandboxSessionId: z.string().min(1).optional(),
  eventId: z.string().min(1).max(200),
  eventType: z.string().min(1).max(200),
  channels: z.array(channelSchema).min(1).optional(),
  payload: z.looseObject({ userId: z.string().min(1).max(256) }),
  variables: z.record(z.string(), z.unknown()),
  locale: z.string().min(1).max(35).optional(),
  traceId: z.string().min(1).max(128),
  receivedAt: isoTime,
});
export type EventReceived = z.infer<typeof eventReceivedSchema>;

export const recipientSchema = z.object({
  userId: z.string().min(1).max(256),
  email: z.string().optional(),
  phone: z.string().optional(),
});

export const contentSchema = z
  .object({
    subject: z.string().optional(),
    html: z.string().optional(),
    text: z.string().optional(),
    body: z.string().optional(),
    title: z.string().optional(),
    category: categorySchema.optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((content) => utf8.encode(JSON.stringify(content)).byteLength <= MAX_RENDERED_BYTES, {
    message: `rendered content over ${MAX_RENDERED_BYTES} bytes`,
  });

export const dispatchSchema = z.object({
  v: z.literal(1),
  notificationId: uuid,
  attemptSeries: z.number().int().min(1),
  tenantId: uuid,
  mode: modeSchema,
  isTest: z.boolean(),
  eventId: z.string().min(1).max(200),
  eventType: z.string().min(1).max(200),
  channel: channelSchema,
  recipient: recipientSchema,
  content: contentSchema,
  traceId: z.string().min(1).max(128),
  receivedAt: isoTime,
});
export type Dispatch = z.infer<typeof dispatchSchema>;

export const retrySchema = dispatchSchema.extend({
  attempt: z.number().int().min(1),
  dueAt: isoTime,
  lastError: z.object({ code: z.string(), message: z.string() }),
  triedProviderIds: z.array(z.string()),
});
export type Retry = z.infer<typeof retrySchema>;

export const attemptRecordSchema = z.object({
  attemptSeries: z.number().int(),
  attemptNumber: z.number().int(),
  providerId: z.string().optional(),
  provider: z.string().optional(),
  startedAt: isoTime,
  durationMs: z.number(),
  outcome: z.enum(['sent', 'retryable', 'permanent', 'ambiguous']),
  httpStatus: z.number().int().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
});

export const deadLetterSchema = dispatchSchema.extend({
  attempts: z.array(attemptRecordSchema),
  lastError: z.object({ code: z.string(), message: z.string() }),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;
