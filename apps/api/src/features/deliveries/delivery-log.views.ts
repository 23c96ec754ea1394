import type { CsvColumn } from '../../platform/csv-export.js';
import type { EventRow, LogDetail, LogRow } from './delivery-log.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function logView(row: Omit<LogRow, 'cursor_ts'>, withTenant = false) {
  return {
    id: row.id,
    ...(withTenant ? { tenantId: row.tenant_id } : {}),
    eventId: row.event_id,
    eventType: row.event_type,
    channel: row.channel,
    mode: row.mode,
    isTest: row.is_test,
    userId: row.user_id,
    recipient: row.recipient,
    status: row.status,
    attemptSeries: row.attempt_series,
    attemptNumber: row.attempt_number,
    nextAttemptAt: iso(row.next_attempt_at),
    provider: row.provider,
    vendorMessageId: row.vendor_message_id,
    lastErrorCode: row.last_error_code,
    lastErrorMessage: row.last_error_message,
    traceId: row.trace_id,
    receivedAt: row.received_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    sentAt: iso(row.sent_at),
  };
}

/**
 * One log with its content and timeline. `hideContent` (viewers): the rendered message is left
 * out, as dead-letter payloads are (one rule: viewers see deliveries, never message content).
 */
export function logDetailView({ log, attempts }: LogDetail, options: { withTenant?: boolean; hideContent?: boolean } = {}) {
  return {
    ...logView(log, options.withTenant),
    templateVersionId: log.template_version_id,
    content: options.hideContent ? null : log.content,
    contentHidden: options.hideContent === true,
    attempts: attempts.map((a) => ({
      attemptSeries: a.attempt_series,
      attemptNumber: a.attempt_number,
      provider: a.provider,
      providerConfigId: a.provider_config_id,
      startedAt: a.started_at.toISOString(),
      durationMs: a.duration_ms,
      outcome: a.outcome,
      ambiguous: a.ambiguous,
      httpStatus: a.http_status,
      errorCode: a.error_code,
      errorMessage: a.error_message,
      vendorMessageId: a.vendor_message_id,
    })),
  };
}

type LogListView = ReturnType<typeof logView>;

/** The columns of a logs CSV export: what the console's list shows, for every role (lists carry no message content). */
export function logCsvColumns(withTenant: boolean): CsvColumn<LogListView>[] {
  return [
    { header: 'created_at', value: (n) => n.createdAt },
    ...(withTenant ? [{ header: 'tenant_id', value: (n: LogListView) => n.tenantId }] : []),
    { header: 'notification_id', value: (n) => n.id },
    { header: 'event_id', value: (n) => n.eventId },
    { header: 'event_type', value: (n) => n.eventType },
    { header: 'channel', value: (n) => n.channel },
    { header: 'mode', value: (n) => n.mode },
    { header: 'test', value: (n) => n.isTest },
    { header: 'user_id', value: (n) => n.userId },
    { header: 'recipient', value: (n) => n.recipient },
    { header: 'status', value: (n) => n.status },
    { header: 'attempt_series', value: (n) => n.attemptSeries },
    { header: 'attempt_number', value: (n) => n.attemptNumber },
    { header: 'provider', value: (n) => n.provider },
    { header: 'vendor_message_id', value: (n) => n.vendorMessageId },
    { header: 'last_error_code', value: (n) => n.lastErrorCode },
    { header: 'last_error_message', value: (n) => n.lastErrorMessage },
    { header: 'trace_id', value: (n) => n.traceId },
    { header: 'received_at', value: (n) => n.receivedAt },
    { header: 'sent_at', value: (n) => n.sentAt },
  ];
}

/**
 * An event with its outcome per channel (as GET /api/v1/events/{eventId} reports it): a channel
 * that was skipped says why; a channel with a log gives its notification id and current status.
 */
export function eventView(event: EventRow, logs: { id: string; channel: string; status: string; last_error_code: string | null }[] = []) {
  const channels: Record<string, { notificationId: string; status: string; errorCode?: string } | { skipped: string }> = {};
  for (const [channel, outcome] of Object.entries(
    (event.channel_outcomes ?? {}) as Record<string, { skipped?: string; notificationId?: string }>,
  )) {
    if (outcome.skipped) channels[channel] = { skipped: outcome.skipped };
  }
  for (const log of logs)
    channels[log.channel] = {
      notificationId: log.id,
      status: log.status,
      ...(log.last_error_code ? { errorCode: log.last_error_code } : {}),
    };
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
