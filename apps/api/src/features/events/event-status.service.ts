import { Inject, Injectable } from '@nestjs/common';
import { withTenant, type Database } from '@orqestra/db';
import type { ApiKeyPrincipal } from '../../platform/auth/api-key.resolver.js';
import { AppError } from '../../platform/errors.js';
import { DATABASE } from '../../platform/tokens.js';
import { rejectionOf } from './event-rejection.js';
import { findEventStatus } from './event-status.repository.js';

export type ChannelOutcome = { notificationId: string; status: string } | { skipped: string };

/** GET /api/v1/events/{eventId} (SPEC §2.3): the event's outcome per channel, as the worker recorded it. */
@Injectable()
export class EventStatusService {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async get(principal: ApiKeyPrincipal, eventId: string, _traceId: string) {
    const found = await withTenant(
      this.database,
      { tenantId: principal.tenantId, actorType: 'api_key', actorId: principal.apiKeyId },
      (tx) => findEventStatus(tx, principal.mode, eventId),
    );
    if (!found) {
      throw new AppError('NOT_FOUND', { message: 'The event has not been processed yet, or does not exist', body: { status: 'QUEUED' } });
    }
    const { event, logs } = found;
    const rejection = rejectionOf(event.channel_outcomes);
    if (rejection) {
      return {
        success: true,
        eventId: event.event_id,
        eventType: event.event_type,
        status: 'FAILED' as const,
        acceptedAt: event.received_at.toISOString(),
        processedAt: event.processed_at?.toISOString() ?? null,
        duplicates: event.duplicates,
        channels: {},
        error: rejection,
      };
    }
    const channels: Record<string, ChannelOutcome> = {};
    for (const [channel, outcome] of Object.entries((event.channel_outcomes ?? {}) as Record<string, { skipped?: string }>)) {
      if (outcome.skipped) channels[channel] = { skipped: outcome.skipped };
    }
    for (const log of logs) {
      channels[log.channel] = {
        notificationId: log.id,
        status: log.status,
        ...(log.last_error_code ? { errorCode: log.last_error_code } : {}),
      };
    }
    return {
      success: true,
      eventId: event.event_id,
      eventType: event.event_type,
      status: event.status === 'processed' ? ('PROCESSED' as const) : ('PROCESSING' as const),
      acceptedAt: event.received_at.toISOString(),
      processedAt: event.processed_at?.toISOString() ?? null,
      duplicates: event.duplicates,
      channels,
    };
  }
}
