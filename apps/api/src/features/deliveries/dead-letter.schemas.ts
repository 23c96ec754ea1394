import { z } from 'zod';
import { CHANNELS } from '@orqestra/contracts';
import { pageQuery, timeRangeQuery } from '../../platform/query-params.js';
import { MAX_REPLAY_PER_CALL } from './dead-letter-replay.service.js';
import type { ReplayFilter } from './dead-letter.repository.js';

const filterFields = {
  provider: z.string().max(64).optional(),
  channel: z.enum(CHANNELS).optional(),
  errorCode: z.string().max(100).optional(),
  eventType: z.string().max(200).optional(),
};

export const dlqListQuery = z.object({
  status: z.enum(['dead', 'replayed', 'discarded']).default('dead'),
  ...filterFields,
  ...timeRangeQuery,
  ...pageQuery,
});
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
    payload: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'The full dispatch message; null for viewers (payloadHidden: true)' }),
    payloadHidden: z.boolean(),
  })
  .meta({ id: 'DeadLetterDetail' });

/** The query's or body's filter as DeadLetterReplayService takes it (from/to → since/until). */
export function replayFilter(q: {
  provider?: string;
  channel?: ReplayFilter['channel'];
  errorCode?: string;
  eventType?: string;
  from?: string;
  to?: string;
}): ReplayFilter {
  return {
    ...(q.provider ? { provider: q.provider } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.errorCode ? { errorCode: q.errorCode } : {}),
    ...(q.eventType ? { eventType: q.eventType } : {}),
    ...(q.from ? { since: new Date(q.from) } : {}),
    ...(q.to ? { until: new Date(q.to) } : {}),
  };
}

// An operator's bulk actions across tenants (POST /api/v1/admin/dlq/replay and /discard).

/** The words an operator types to act on every tenant's dead letters at once. */
export const ALL_TENANTS_CONFIRMATION = 'all tenants';

/** The dead-letter filter of the tenant routes, plus the tenant (SPEC §3 step 5). */
export const operatorBulkFilter = z
  .strictObject({
    tenantId: z.uuid().optional().meta({
      description:
        'Without it the action spans every active tenant and needs confirm: "all tenants"; a suspended tenant is reached only by naming it, a deleted one never',
    }),
    provider: z.string().max(64).optional(),
    channel: z.enum(CHANNELS).optional(),
    errorCode: z.string().max(100).optional(),
    eventType: z.string().max(200).optional(),
    ...timeRangeQuery,
  })
  .meta({ id: 'DlqOperatorFilter' });

export const operatorBulkBody = z
  .strictObject({
    filter: operatorBulkFilter.default({}),
    dryRun: z.boolean().default(false).meta({ description: 'true: counts, breakdowns and a sample; nothing changes' }),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_REPLAY_PER_CALL)
      .default(100)
      .meta({ description: `At most this many per call (cap ${MAX_REPLAY_PER_CALL}); call again for the rest` }),
    reason: z.string().trim().min(1, 'a reason is required').max(500).optional().meta({ description: 'Required unless dryRun' }),
    confirm: z
      .string()
      .optional()
      .meta({ description: `Required, exactly "${ALL_TENANTS_CONFIRMATION}", when filter.tenantId is absent (unless dryRun)` }),
  })
  .refine((b) => b.dryRun || b.reason !== undefined, { path: ['reason'], message: 'a reason is required' })
  .refine((b) => b.dryRun || b.filter.tenantId !== undefined || b.confirm === ALL_TENANTS_CONFIRMATION, {
    path: ['confirm'],
    message: `set filter.tenantId, or type "${ALL_TENANTS_CONFIRMATION}" to act on every tenant`,
  })
  .meta({ id: 'DlqOperatorBulk' });
export type OperatorBulkBody = z.infer<typeof operatorBulkBody>;

const count = z.number().int();
export const bulkDryRunSchema = z.object({
  dryRun: z.literal(true),
  matched: count.meta({ description: 'Dead letters that match now' }),
  limit: count,
  exceedsLimit: z.boolean().meta({ description: 'More match than one call acts on' }),
  byTenant: z.array(z.object({ tenantId: z.uuid(), count })),
  byErrorCode: z.array(z.object({ errorCode: z.string().nullable(), count })),
  byProvider: z.array(z.object({ provider: z.string().nullable(), count })),
  sample: z.array(deadLetterSchema).meta({ description: 'The first 20 that would be acted on, oldest first' }),
});
export const bulkResultSchema = z.object({
  dryRun: z.literal(false),
  action: z.enum(['replay', 'discard']),
  matched: count.meta({ description: 'Dead letters that matched when the call started' }),
  done: count.meta({ description: 'Replayed or discarded by this call' }),
  remaining: count.meta({ description: 'Still matching after this call (call again to go on)' }),
  byTenant: z.array(z.object({ tenantId: z.uuid(), done: count })),
});
