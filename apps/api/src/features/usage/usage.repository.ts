import { sql } from 'kysely';
import type { OperatorTx, TenantTx } from '@orqestra/db';

export type Granularity = 'hour' | 'day';

/** A checked time window: from < to, bounded per granularity by UsageService. */
export interface UsageWindow {
  from: Date;
  to: Date;
  granularity: Granularity;
}

/**
 * Live notifications per bucket (UTC hour or day, as an ISO 8601 text), channel and status, from
 * the logs; a tenant's own, or every tenant's for an operator without `tenantId`.
 */
export function liveNotificationCounts(tx: TenantTx | OperatorTx, window: UsageWindow, tenantId?: string) {
  const unit = window.granularity === 'hour' ? sql.lit('hour') : sql.lit('day');
  const bucket = sql<string>`to_char(date_trunc(${unit}, created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  let query = tx.db
    .selectFrom('notification_logs')
    .select([bucket.as('bucket'), 'channel', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', window.from)
    .where('created_at', '<', window.to)
    .where('mode', '=', 'live');
  if (tenantId) query = query.where('tenant_id', '=', tenantId);
  return query
    .groupBy([sql`1`, 'channel', 'status'])
    .orderBy(sql`1`)
    .orderBy('channel')
    .orderBy('status')
    .execute();
}

/** How many tenants there are in each status. */
export function tenantsByStatus(tx: OperatorTx) {
  return tx.db
    .selectFrom('tenants')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
}

/** How many dead letters wait for a replay or a discard, across tenants. */
export async function waitingDeadLetters(tx: OperatorTx): Promise<number> {
  const row = await tx.db
    .selectFrom('failed_notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** How many events (live and sandbox) were received in the window, across tenants. */
export async function eventsReceived(tx: OperatorTx, window: UsageWindow): Promise<number> {
  const row = await tx.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('received_at', '>=', window.from)
    .where('received_at', '<', window.to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The tenant's rate limit, burst and daily cap (what the trigger gate enforces). */
export function tenantQuota(tx: TenantTx) {
  return tx.db
    .selectFrom('tenants')
    .select(['rate_limit_per_minute', 'burst', 'daily_cap'])
    .where('id', '=', tx.tenantId)
    .executeTakeFirstOrThrow();
}
