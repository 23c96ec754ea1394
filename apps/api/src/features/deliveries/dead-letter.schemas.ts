import { z } from 'zod';
import { CHANNELS } from '@orqestra/contracts';
import { pageQuery, timeRangeQuery } from '../../platform/query-params.js';

const filterFields = {
  provider: z.string().max(64).optional(),
  channel: z.enum(CHANNELS).optional(),
  errorCode: z.string().max(100).optional(),
  eventType: z.string().max(200).optional(),
};

export const dlqListQuery = z.object({ status: z.enum(['dead', 'replayed', 'discarded']).default('dead'), ...filterFields, ...timeRangeQuery, ...pageQuery });
export const operatorDlqListQuery = dlqListQuery.extend({ tenantId: z.uuid().optional() });

const reason = z.string().trim().min(1, 'a reason is required').max(500);

export const reasonBody = z.strictObject({ reason }).meta({ id: 'DlqReason' });

export const bulkReplayBody = z
  .strictObject({
    filter: z.strictObject({ ...filterFields, ...timeRangeQuery }).default({}),
    dryRun: z.boolean().default(false).meta({ description: 'true: only count what matches; nothing is replayed' }),
    limit: z.number().int().min(1).max(1000).default(100).meta({ description: 'At most this many are replayed per call (cap 1000)' }),
    reason: reason.optional().meta({ description: 'Required unless dryRun' }),
  })
  .refine((b) => b.dryRun || b.reason !== undefined, { path: ['reason'], message: 'a reason is required' })
  .meta({ id: 'DlqBulkReplay' });
export type BulkReplayBody = z.infer<typeof bulkReplayBody>;

export const deadLetterSchema = z
  .object({
    notificationId: z.uuid(),
    tenantId: z.uuid().optional().meta({ description: 'Operator views only' }),
    status: z.enum(['dead', 'replayed', 'discarded']),
    channel: z.enum(CHANNELS),
    eventType: z.string(),
    provider: z.string().nullable(),
    errorCode: z.string().nullable(),
    attemptSeries: z.number().int(),
    replayCount: z.number().int(),
    replayedAt: z.iso.datetime().nullable(),
    replayReason: z.string().nullable(),
    discardedAt: z.iso.datetime().nullable(),
    resolvedBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'DeadLetter' });

export const deadLetterDetailSchema = deadLetterSchema
  .extend({
    lastError: z.unknown().nullable(),
    attempts: z.array(z.record(z.string(), z.unknown())),
    payload: z.record(z.string(), z.unknown()).nullable().meta({ description: 'The full dispatch message; null for viewers (payloadHidden: true)' }),
    payloadHidden: z.boolean(),
  })
  .meta({ id: 'DeadLetterDetail' });
