import type { SelectQueryBuilder } from 'kysely';
import type { Channel } from '@orqestra/contracts';
import type { DB } from '@orqestra/db';

/** The columns of failed_notifications a dead letter's list view shows (no payload). */
export type LetterRow = {
  notification_id: string; tenant_id: string; status: string; channel: string; event_type: string; provider: string | null; error_code: string | null;
  attempt_series: number; replay_count: number; replayed_at: Date | null; replay_reason: string | null; discarded_at: Date | null; resolved_by: string | null; created_at: Date;
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

const SAMPLE_SIZE = 20;

/**
 * What a bulk action's dry run shows before anything changes (ADMIN-UI §3.4): how many dead
 * letters match, whether that is more than one call acts on, the breakdown by tenant, error code
 * and provider, and the first 20 that would be acted on. `base` is the action's own query.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a query that selects nothing yet
export async function dryRunOf(base: SelectQueryBuilder<DB, 'failed_notifications', {}>, limit: number, withTenant: boolean) {
  // One after another: the statements share the unit of work's connection.
  const byTenant = await base.select((eb) => ['tenant_id', eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')]).groupBy('tenant_id').orderBy('oldest').execute();
  const byErrorCode = await base.select((eb) => ['error_code', eb.fn.countAll<string>().as('n')]).groupBy('error_code').orderBy('n', 'desc').execute();
  const byProvider = await base.select((eb) => ['provider', eb.fn.countAll<string>().as('n')]).groupBy('provider').orderBy('n', 'desc').execute();
  const sample = await base.selectAll().orderBy('created_at').orderBy('id').limit(SAMPLE_SIZE).execute();
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
