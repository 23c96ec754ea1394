import type { OperatorTx, TenantTx } from '@orqestra/db';

export interface EventFilter {
  eventType?: string;
  status?: 'processing' | 'processed';
  mode?: 'live' | 'sandbox';
  from?: Date;
  to?: Date;
}

/** The tenant's processed events, newest first (page pagination). */
export async function listEvents(tx: TenantTx | OperatorTx, tenantId: string, filter: EventFilter, page: { page: number; limit: number }) {
  let query = tx.db.selectFrom('events').where('tenant_id', '=', tenantId);
  if (filter.eventType) query = query.where('event_type', '=', filter.eventType);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.mode) query = query.where('mode', '=', filter.mode);
  if (filter.from) query = query.where('received_at', '>=', filter.from);
  if (filter.to) query = query.where('received_at', '<', filter.to);
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await query.selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset((page.page - 1) * page.limit).execute();
  return { rows, total };
}

/** One event with its logs (one per channel that was attempted). */
export async function findEvent(tx: TenantTx | OperatorTx, tenantId: string, mode: 'live' | 'sandbox', eventId: string) {
  const event = await tx.db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).where('mode', '=', mode).where('event_id', '=', eventId).executeTakeFirst();
  if (!event) return undefined;
  const logs = await tx.db
    .selectFrom('notification_logs')
    .select(['id', 'channel', 'status', 'last_error_code'])
    .where('tenant_id', '=', tenantId)
    .where('mode', '=', mode)
    .where('event_id', '=', eventId)
    .execute();
  return { event, logs };
}

export type EventRow = Awaited<ReturnType<typeof listEvents>>['rows'][number];

/**
 * An event with its outcome per channel (as GET /api/v1/events/{eventId} reports it): a channel
 * that was skipped says why; a channel with a log gives its notification id and current status.
 */
export function eventView(event: EventRow, logs: { id: string; channel: string; status: string; last_error_code: string | null }[] = []) {
  const channels: Record<string, { notificationId: string; status: string; errorCode?: string } | { skipped: string }> = {};
  for (const [channel, outcome] of Object.entries((event.channel_outcomes ?? {}) as Record<string, { skipped?: string; notificationId?: string }>)) {
    if (outcome.skipped) channels[channel] = { skipped: outcome.skipped };
  }
  for (const log of logs) channels[log.channel] = { notificationId: log.id, status: log.status, ...(log.last_error_code ? { errorCode: log.last_error_code } : {}) };
  return {
    eventId: event.event_id,
    eventType: event.event_type,
    mode: event.mode,
    status: event.status === 'processed' ? 'PROCESSED' : 'PROCESSING',
    requestedChannels: event.requested_channels,
    locale: event.locale,
    traceId: event.trace_id,
    acceptedAt: event.received_at.toISOString(),
    processedAt: event.processed_at?.toISOString() ?? null,
    duplicates: event.duplicates,
    channels,
  };
}
