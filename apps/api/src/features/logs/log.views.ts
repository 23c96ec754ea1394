import type { LogDetail, LogRow } from './log.repository.js';

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
