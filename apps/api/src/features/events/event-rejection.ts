import type { ErrorCode } from '@orqestra/contracts';

/**
 * An accepted event the worker could not store (a data error PostgreSQL refused, found when its
 * tenant's group of a batch was retried one event at a time) is parked as an `events` row whose
 * channel outcomes hold this entry instead of channels: GET /api/v1/events/{eventId} reports it
 * as FAILED with the code, and no channel is delivered.
 */
export const REJECTED_OUTCOME_KEY = 'rejected';

export interface EventRejection {
  code: Extract<ErrorCode, 'EVENT_DATA_INVALID'>;
  message: string;
}

export function rejectionOf(channelOutcomes: unknown): EventRejection | undefined {
  const entry = (channelOutcomes as Record<string, unknown> | null)?.[REJECTED_OUTCOME_KEY] as Partial<EventRejection> | undefined;
  return entry?.code === 'EVENT_DATA_INVALID' && typeof entry.message === 'string'
    ? { code: entry.code, message: entry.message }
    : undefined;
}
