import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { BusProducer, Outgoing } from '@orqestra/bus';
import type { Channel, Dispatch, Retry } from '@orqestra/contracts';
import { withSystem, withTenant, type Database } from '@orqestra/db';
import type { GatewayMetrics } from '../dispatch/metrics.js';
import { deadLetterOf } from '../delivery-log/dead-letter.js';
import { attemptsOf } from '../delivery-log/delivery-log.repository.js';

/** Advisory lock key of the sweeper: one sweep at a time across the cluster. */
const SWEEPER_LOCK = 0x6f72_7173; // "orqs"
const BATCH = 500;
/** FAILED for these reasons is final by design: there is nothing to replay (SPEC §3). */
const NOT_DEAD_LETTERED = ['MISSING_RECIPIENT', 'TEMPLATE_INVALID', 'TEMPLATE_RENDER_TIMEOUT', 'TEMPLATE_OUTPUT_TOO_LARGE', 'TEMPLATE_TOO_LARGE'];

type Row = {
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
};

/**
 * Republishes what a crash could strand (SPEC §3): PENDING rows not dispatched in time, RETRYING
 * rows past next_attempt_at whose retry message was lost, SENDING rows whose lease expired (the
 * gateway died during the call: an ambiguous send, recorded as such), and FAILED rows without a
 * dead letter. Runs as the `system` actor, one sweep at a time across the cluster (advisory lock).
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      database: Database;
      producer: BusProducer;
      metrics: GatewayMetrics;
      logger: Logger;
      intervalMs: number;
      pendingAfterMs: number;
      retryGraceMs: number;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.sweepOnce().catch((error: unknown) => this.deps.logger.error({ err: error }, 'sweep failed'));
    }, this.deps.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async sweepOnce(): Promise<{ pending: number; retrying: number; leaseExpired: number; deadLetters: number } | undefined> {
    const { pendingAfterMs, retryGraceMs } = this.deps;
    const found = await withSystem(this.deps.database, 'sweeper', async (tx) => {
      const lock = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SWEEPER_LOCK}) AS ok`.execute(tx.db);
      if (!lock.rows[0]?.ok) return undefined;
      const columns = [
        'id', 'tenant_id', 'mode', 'is_test', 'event_id', 'event_type', 'channel', 'user_id', 'recipient', 'content',
        'attempt_series', 'attempt_number', 'trace_id', 'received_at', 'provider', 'last_error_code', 'last_error_message',
      ] as const;
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
            .limit(BATCH),
        )
        .returning(columns)
        .execute()) as Row[];
      const retrying = (await tx.db
        .updateTable('notification_logs')
        .set({ next_attempt_at: sql<Date>`now() + make_interval(secs => ${retryGraceMs / 1000})`, updated_at: sql<Date>`now()` })
        .where('id', 'in', (eb) =>
          eb.selectFrom('notification_logs').select('id').where('status', '=', 'RETRYING').where('next_attempt_at', '<', interval(retryGraceMs)).limit(BATCH),
        )
        .returning(columns)
        .execute()) as Row[];
      // A dead gateway's claim: the send may or may not have happened. Tenants whose
      // ambiguousSendPolicy is `fail` get FAILED (dead-lettered by the next sweep); others a retry.
      await tx.db
        .updateTable('notification_logs')
        .set({
          status: 'FAILED',
          lease_expires_at: null,
          last_error_code: 'AMBIGUOUS_SEND',
          last_error_message: 'the gateway stopped during the send (lease expired); the tenant policy is fail',
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
            .limit(BATCH),
        )
        .execute();
      const leaseExpired = (await tx.db
        .updateTable('notification_logs')
        .set({
          status: 'RETRYING',
          next_attempt_at: sql<Date>`now()`,
          lease_expires_at: null,
          last_error_code: 'AMBIGUOUS_SEND',
          last_error_message: 'the gateway stopped during the send (lease expired)',
          updated_at: sql<Date>`now()`,
        })
        .where('id', 'in', (eb) =>
          eb.selectFrom('notification_logs').select('id').where('status', '=', 'SENDING').where('lease_expires_at', '<', sql<Date>`now()`).limit(BATCH),
        )
        .returning(columns)
        .execute()) as Row[];
      // Touching updated_at spaces republications by the grace period while the worker catches up.
      const failed = (await tx.db
        .updateTable('notification_logs')
        .set({ updated_at: sql<Date>`now()` })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('notification_logs as l')
            .select('l.id')
            .where('l.status', '=', 'FAILED')
            .where('l.last_error_code', 'not in', NOT_DEAD_LETTERED)
            .where('l.updated_at', '<', interval(retryGraceMs))
            .where(({ not, exists, selectFrom }) => not(exists(selectFrom('failed_notifications as f').select('f.id').whereRef('f.notification_id', '=', 'l.id'))))
            .limit(BATCH),
        )
        .returning(columns)
        .execute()) as Row[];
      return { pending, retrying, leaseExpired, failed };
    });
    if (!found) return undefined;
    await this.deps.producer.publish('dispatch', found.pending.map((row) => ({ message: dispatchOf(row), traceId: row.trace_id })));
    const retries: Outgoing<'retry'>[] = [];
    for (const row of [...found.retrying, ...found.leaseExpired]) {
      const message: Retry = {
        ...dispatchOf(row),
        attempt: row.attempt_number + 1,
        dueAt: new Date().toISOString(),
        lastError: { code: row.last_error_code ?? 'LOST_RETRY', message: row.last_error_message ?? 'republished by the sweeper' },
        triedProviderIds: [],
      };
      retries.push({ message, traceId: row.trace_id });
    }
    for (const row of found.leaseExpired) {
      await withTenant(this.deps.database, { tenantId: row.tenant_id, actorType: 'system_tenant', actorId: 'sweeper' }, (tx) =>
        tx.db
          .insertInto('notification_attempts')
          .values({
            tenant_id: row.tenant_id,
            notification_id: row.id,
            attempt_series: row.attempt_series,
            attempt_number: row.attempt_number,
            provider: row.provider ?? 'unknown',
            started_at: new Date(),
            outcome: 'ambiguous',
            error_code: 'AMBIGUOUS_SEND',
            error_message: 'the gateway stopped during the send (lease expired)',
            ambiguous: true,
          })
          .execute(),
      );
    }
    await this.deps.producer.publish('retry', retries);
    for (const row of found.failed) await this.republishDeadLetter(row);
    const counts = { pending: found.pending.length, retrying: found.retrying.length, leaseExpired: found.leaseExpired.length, deadLetters: found.failed.length };
    for (const [kind, n] of Object.entries(counts)) if (n > 0) this.deps.metrics.sweeperActions.inc({ kind }, n);
    if (Object.values(counts).some((n) => n > 0)) this.deps.logger.info(counts, 'sweeper republished stranded notifications');
    return counts;
  }

  private async republishDeadLetter(row: Row): Promise<void> {
    const attempts = await withTenant(this.deps.database, { tenantId: row.tenant_id, actorType: 'system_tenant', actorId: 'sweeper' }, (tx) =>
      attemptsOf(tx, row.id, row.attempt_series),
    );
    const letter = deadLetterOf(dispatchOf(row), attempts, { code: row.last_error_code ?? 'UNKNOWN', message: row.last_error_message ?? '' });
    await this.deps.producer.publish('dlq', [{ message: letter, traceId: row.trace_id }]);
  }
}

function dispatchOf(row: Row): Dispatch {
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
