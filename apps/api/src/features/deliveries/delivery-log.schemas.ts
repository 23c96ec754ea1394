import { z } from 'zod';
import { CHANNELS } from '@orqestra/contracts';
import { pageQuery, timeRangeQuery } from '../../platform/query-params.js';
import { exportLimitQuery } from '../../platform/csv-export.js';

const STATUSES = ['PENDING', 'SENDING', 'SENT', 'RETRYING', 'FAILED', 'DELIVERED', 'BOUNCED'] as const;
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const logsQuery = z.object({
  status: z.enum(STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  eventType: z.string().max(200).optional(),
  eventId: z.string().max(200).optional(),
  recipient: z.string().max(320).optional().meta({ description: 'Exact email address or E.164 phone number' }),
  traceId: z.string().max(128).optional(),
  mode: z.enum(['live', 'sandbox']).optional(),
  isTest: bool.optional().meta({ description: 'true: only test sends; false: none' }),
  ...timeRangeQuery,
  cursor: z.string().max(200).optional().meta({ description: 'pagination.nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const operatorLogsQuery = logsQuery.extend({ tenantId: z.uuid().optional() });

/** The list's filters (no cursor: an export starts at the newest) and the export's own row cap. */
export const logsExportQuery = logsQuery.omit({ cursor: true, limit: true }).extend(exportLimitQuery);
export const operatorLogsExportQuery = logsExportQuery.extend({ tenantId: z.uuid().optional() });

export const eventsQuery = z.object({
  eventType: z.string().max(200).optional(),
  status: z.enum(['processing', 'processed']).optional(),
  mode: z.enum(['live', 'sandbox']).optional(),
  ...timeRangeQuery,
  ...pageQuery,
});

export const eventQuery = z.object({ mode: z.enum(['live', 'sandbox']).default('live') });

export const logSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid().optional().meta({ description: 'Operator views only' }),
    eventId: z.string(),
    eventType: z.string(),
    channel: z.enum(CHANNELS),
    mode: z.enum(['live', 'sandbox']),
    isTest: z.boolean(),
    userId: z.string(),
    recipient: z.string().nullable(),
    status: z.enum(STATUSES),
    attemptSeries: z.number().int(),
    attemptNumber: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable(),
    provider: z.string().nullable(),
    vendorMessageId: z.string().nullable(),
    lastErrorCode: z.string().nullable(),
    lastErrorMessage: z.string().nullable(),
    traceId: z.string(),
    receivedAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'NotificationLog' });

export const attemptSchema = z
  .object({
    attemptSeries: z.number().int(),
    attemptNumber: z.number().int(),
    provider: z.string(),
    providerConfigId: z.uuid().nullable(),
    startedAt: z.iso.datetime(),
    durationMs: z.number().int().nullable(),
    outcome: z.enum(['sent', 'retryable', 'permanent', 'ambiguous']),
    ambiguous: z.boolean(),
    httpStatus: z.number().int().nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    vendorMessageId: z.string().nullable(),
  })
  .meta({ id: 'NotificationAttempt' });

export const logDetailSchema = logSchema
  .extend({
    templateVersionId: z.uuid().nullable(),
    content: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'The rendered message; null for viewers (contentHidden: true)' }),
    contentHidden: z.boolean(),
    attempts: z.array(attemptSchema),
  })
  .meta({ id: 'NotificationLogDetail' });

export const cursorPageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    success: z.literal(true),
    data: z.array(item),
    pagination: z.object({ nextCursor: z.string().nullable(), limit: z.number().int() }),
  });

export const eventSchema = z
  .object({
    eventId: z.string(),
    eventType: z.string(),
    mode: z.enum(['live', 'sandbox']),
    status: z.enum(['PROCESSING', 'PROCESSED']),
    requestedChannels: z.array(z.enum(CHANNELS)).nullable(),
    locale: z.string().nullable(),
    traceId: z.string(),
    acceptedAt: z.iso.datetime(),
    processedAt: z.iso.datetime().nullable(),
    duplicates: z.number().int(),
    channels: z.record(
      z.string(),
      z.union([
        z.object({ notificationId: z.uuid(), status: z.string(), errorCode: z.string().optional() }),
        z.object({ skipped: z.string() }),
      ]),
    ),
  })
  .meta({ id: 'AdminEvent' });
