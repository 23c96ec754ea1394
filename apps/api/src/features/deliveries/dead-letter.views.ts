import type { Channel } from '@orqestra/contracts';
import type { DeadLetterBreakdown } from './dead-letter.repository.js';

/** The columns of failed_notifications a dead letter's list view shows (no payload). */
export type LetterRow = {
  notification_id: string;
  tenant_id: string;
  status: string;
  channel: string;
  event_type: string;
  provider: string | null;
  error_code: string | null;
  attempt_series: number;
  replay_count: number;
  replayed_at: Date | null;
  replay_reason: string | null;
  discarded_at: Date | null;
  resolved_by: string | null;
  created_at: Date;
};

/** A dead letter as lists show it (never the payload); `withTenant` for operators' cross-tenant views. */
export function letterView(row: LetterRow, withTenant: boolean) {
  return {
    notificationId: row.notification_id,
    ...(withTenant ? { tenantId: row.tenant_id } : {}),
    status: row.status,
    channel: row.channel as Channel,
    eventType: row.event_type,
    provider: row.provider,
    errorCode: row.error_code,
    attemptSeries: row.attempt_series,
    replayCount: row.replay_count,
    replayedAt: row.replayed_at?.toISOString() ?? null,
    replayReason: row.replay_reason,
    discardedAt: row.discarded_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * What a bulk action's dry run shows before anything changes (ADMIN-UI §3.4): how many dead
 * letters match, whether that is more than one call acts on, the breakdown by tenant, error code
 * and provider, and the first 20 that would be acted on.
 */
export function dryRunView({ byTenant, byErrorCode, byProvider, sample }: DeadLetterBreakdown, limit: number, withTenant: boolean) {
  const matched = byTenant.reduce((sum, r) => sum + Number(r.n), 0);
  return {
    matched,
    limit,
    exceedsLimit: matched > limit,
    ...(withTenant ? { byTenant: byTenant.map((r) => ({ tenantId: r.tenant_id, count: Number(r.n) })) } : {}),
    byErrorCode: byErrorCode.map((r) => ({ errorCode: r.error_code, count: Number(r.n) })),
    byProvider: byProvider.map((r) => ({ provider: r.provider, count: Number(r.n) })),
    sample: sample.map((r) => letterView(r, withTenant)),
  };
}
