import { sql } from 'kysely';
import { NOT_DEAD_LETTERED_CODES, type Channel, type DeadLetter, type DeliveryCode, type Dispatch } from '@orqestra/contracts';
import type { SystemTx, TenantTx } from '../context.js';
import { attemptsOf } from './attempt.js';
import { deadLetterOf } from './dead-letter.js';

/** A row the sweeper found stranded, with what it needs to republish it. */
export interface StrandedRow {
  id: string;
  tenant_id: string;
  mode: 'live' | 'sandbox';
  is_test: boolean;
  event_id: string;
  event_type: string;
  channel: string;
  user_id: string;
  recipient: string | null;
  content: unknown;
  attempt_series: number;
  attempt_number: number;
  trace_id: string;
  received_at: Date;
  provider: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
}

export interface Stranded {
  /** PENDING, never dispatched in time: dispatch again. */
  pending: StrandedRow[];
  /** RETRYING past next_attempt_at: the retry message was lost; retry again. */
  retrying: StrandedRow[];
  /** SENDING past the lease (a gateway died mid-send), now RETRYING: record the ambiguous attempt, then retry. */
  leaseExpired: StrandedRow[];
  /** FAILED without a dead letter (and with something to replay): publish the dead letter. */
  failed: StrandedRow[];
}

const COLUMNS = [
  'id',
  'tenant_id',
  'mode',
  'is_test',
  'event_id',
  'event_type',
  'channel',
  'user_id',
  'recipient',
  'content',
  'attempt_series',
  'attempt_number',
  'trace_id',
  'received_at',
  'provider',
  'last_error_code',
  'last_error_message',
] as const;

const AMBIGUOUS: DeliveryCode = 'AMBIGUOUS_SEND';
const LEASE_EXPIRED = 'the gateway stopped during the send (lease expired)';

/**
 * The sweeper's recovery (SPEC §3), across tenants as the `system` actor, at most `limit` rows of
 * each kind. Each republished row's schedule is pushed out (PENDING by `pendingAfterMs`, RETRYING
 * and FAILED by `retryGraceMs`), so the next sweep leaves it alone while its message travels. A
 * SENDING row whose lease expired is an ambiguous send: FAILED at once for tenants whose
 * ambiguousSendPolicy is `fail` (its dead letter follows with the next sweep), RETRYING for the
 * others. The caller holds the sweep's lock in the same transaction.
 */
export async function reclaimStranded(
  tx: SystemTx,
  options: { pendingAfterMs: number; retryGraceMs: number; limit: number },
): Promise<Stranded> {
  const { pendingAfterMs, retryGraceMs, limit } = options;
  const interval = (ms: number) => sql<Date>`now() - make_interval(secs => ${ms / 1000})`;
  const pending = (await tx.db
    .updateTable('notification_logs')
    .set({ next_attempt_at: sql<Date>`now() + make_interval(secs => ${pendingAfterMs / 1000})`, updated_at: sql<Date>`now()` })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notification_logs')
        .select('id')
        .where('status', '=', 'PENDING')
        .where('content', 'is not', null)
        .where(sql<boolean>`coalesce(next_attempt_at, created_at + make_interval(secs => ${pendingAfterMs / 1000})) < now()`)
        .limit(limit),
    )
    .returning(COLUMNS)
    .execute()) as StrandedRow[];
  const retrying = (await tx.db
    .updateTable('notification_logs')
    .set({ next_attempt_at: sql<Date>`now() + make_interval(secs => ${retryGraceMs / 1000})`, updated_at: sql<Date>`now()` })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notification_logs')
        .select('id')
        .where('status', '=', 'RETRYING')
        .where('next_attempt_at', '<', interval(retryGraceMs))
        .limit(limit),
    )
    .returning(COLUMNS)
    .execute()) as StrandedRow[];
  // A dead gateway's claim: the send may or may not have happened. Tenants whose
  // ambiguousSendPolicy is `fail` get FAILED (dead-lettered by the next sweep); others a retry.
  await tx.db
    .updateTable('notification_logs')
    .set({
      status: 'FAILED',
      lease_expires_at: null,
      last_error_code: AMBIGUOUS,
      last_error_message: `${LEASE_EXPIRED}; the tenant policy is fail`,
      updated_at: sql<Date>`now() - make_interval(secs => ${retryGraceMs / 1000})`,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notification_logs as l')
        .innerJoin('tenants as t', 't.id', 'l.tenant_id')
        .select('l.id')
        .where('l.status', '=', 'SENDING')
        .where('l.lease_expires_at', '<', sql<Date>`now()`)
        .where('t.ambiguous_send_policy', '=', 'fail')
        .limit(limit),
    )
    .execute();
  const leaseExpired = (await tx.db
    .updateTable('notification_logs')
    .set({
      status: 'RETRYING',
      next_attempt_at: sql<Date>`now()`,
      lease_expires_at: null,
      last_error_code: AMBIGUOUS,
      last_error_message: LEASE_EXPIRED,
      updated_at: sql<Date>`now()`,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notification_logs')
        .select('id')
        .where('status', '=', 'SENDING')
        .where('lease_expires_at', '<', sql<Date>`now()`)
        .limit(limit),
    )
    .returning(COLUMNS)
    .execute()) as StrandedRow[];
  // Touching updated_at spaces republications by the grace period while the worker catches up.
  const failed = (await tx.db
    .updateTable('notification_logs')
    .set({ updated_at: sql<Date>`now()` })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notification_logs as l')
        .select('l.id')
        .where('l.status', '=', 'FAILED')
        .where('l.last_error_code', 'not in', [...NOT_DEAD_LETTERED_CODES])
        .where('l.updated_at', '<', interval(retryGraceMs))
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('failed_notifications as f').select('f.id').whereRef('f.notification_id', '=', 'l.id'))),
        )
        .limit(limit),
    )
    .returning(COLUMNS)
    .execute()) as StrandedRow[];
  return { pending, retrying, leaseExpired, failed };
}

/** The ambiguous attempt of a claim whose lease expired (the gateway died during the call). */
export async function recordLeaseExpired(tx: TenantTx, row: StrandedRow): Promise<void> {
  await tx.db
    .insertInto('notification_attempts')
    .values({
      tenant_id: row.tenant_id,
      notification_id: row.id,
      attempt_series: row.attempt_series,
      attempt_number: row.attempt_number,
      provider: row.provider ?? 'unknown',
      started_at: new Date(),
      outcome: 'ambiguous',
      error_code: AMBIGUOUS,
      error_message: LEASE_EXPIRED,
      ambiguous: true,
    })
    .execute();
}

/** The dead letter of a FAILED row found without one, from the attempts as recorded. */
export async function deadLetterOfStranded(tx: TenantTx, row: StrandedRow): Promise<DeadLetter> {
  const attempts = (await attemptsOf(tx, [{ notificationId: row.id, attemptSeries: row.attempt_series }])).get(row.id) ?? [];
  const unknown: DeliveryCode = 'UNKNOWN';
  return deadLetterOf(dispatchOfRow(row), attempts, { code: row.last_error_code ?? unknown, message: row.last_error_message ?? '' });
}

/** The last error a republished retry carries. */
export function lastErrorOfStranded(row: StrandedRow): { code: string; message: string } {
  const lost: DeliveryCode = 'LOST_RETRY';
  return { code: row.last_error_code ?? lost, message: row.last_error_message ?? 'republished by the sweeper' };
}

/** The dispatch message a log row stands for (first attempt of its current series). */
export function dispatchOfRow(row: StrandedRow): Dispatch {
  const channel = row.channel as Channel;
  return {
    v: 1,
    notificationId: row.id,
    attemptSeries: row.attempt_series,
    tenantId: row.tenant_id,
    mode: row.mode,
    isTest: row.is_test,
    eventId: row.event_id,
    eventType: row.event_type,
    channel,
    recipient: {
      userId: row.user_id,
      ...(channel === 'EMAIL' && row.recipient ? { email: row.recipient } : {}),
      ...(channel === 'SMS' && row.recipient ? { phone: row.recipient } : {}),
    },
    content: (row.content ?? {}) as Dispatch['content'],
    traceId: row.trace_id,
    receivedAt: row.received_at.toISOString(),
  };
}
