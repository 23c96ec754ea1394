import { sql, type ExpressionBuilder } from 'kysely';
import type { DeadLetter, Dispatch } from '@orqestra/contracts';
import type { TenantTx } from '../context.js';
import type { DB } from '../generated/db.js';
import { deadLetterOf, type AttemptRow } from './dead-letter.js';

/**
 * One attempt of the gateway, from claim to outcome. Every write after the claim is conditional
 * on the claim's lease version, so a gateway whose lease expired (and whose row another gateway
 * took over) changes nothing. Each function takes the caller's tenant transaction, so a caller
 * puts several of them in one unit of work (the attempts with their outcome, the inbox row with
 * the claim).
 */
export interface Claim {
  notificationId: string;
  attemptSeries: number;
  attemptNumber: number;
  leaseVersion: number;
  sandboxSessionId: string | null;
  /** The tenant's ambiguousSendPolicy, read with the claim. */
  ambiguousPolicy: 'retry' | 'fail';
}

export interface AttemptRecord {
  providerConfigId: string | null;
  provider: string;
  startedAt: Date;
  durationMs: number;
  outcome: 'sent' | 'retryable' | 'permanent' | 'ambiguous';
  httpStatus?: number;
  errorCode?: string;
  errorMessage?: string;
  vendorMessageId?: string;
}

/** PENDING/RETRYING → SENDING, only for the series and attempt number the message carries. */
export async function claim(tx: TenantTx, input: { notificationId: string; attemptSeries: number; attemptNumber: number; leaseMs: number }): Promise<Claim | undefined> {
  const row = await tx.db
    .updateTable('notification_logs')
    .set((eb) => ({
      status: 'SENDING',
      attempt_number: eb('attempt_number', '+', 1),
      lease_expires_at: sql<Date>`now() + make_interval(secs => ${input.leaseMs / 1000})`,
      lease_version: eb('lease_version', '+', 1),
      updated_at: sql<Date>`now()`,
    }))
    .where('tenant_id', '=', tx.tenantId)
    .where('id', '=', input.notificationId)
    .where('attempt_series', '=', input.attemptSeries)
    .where('attempt_number', '=', input.attemptNumber - 1)
    .where('status', 'in', ['PENDING', 'RETRYING'])
    .returning((eb) => [
      'attempt_number',
      'lease_version',
      'sandbox_session_id',
      eb.selectFrom('tenants').select('ambiguous_send_policy').whereRef('tenants.id', '=', 'notification_logs.tenant_id').as('ambiguous_send_policy'),
    ])
    .executeTakeFirst();
  return row
    ? {
        notificationId: input.notificationId,
        attemptSeries: input.attemptSeries,
        attemptNumber: row.attempt_number,
        leaseVersion: row.lease_version,
        sandboxSessionId: row.sandbox_session_id,
        ambiguousPolicy: row.ambiguous_send_policy === 'fail' ? 'fail' : 'retry',
      }
    : undefined;
}

/** Records the provider calls of one attempt (written with its outcome, in the same transaction). */
export async function recordAttempts(tx: TenantTx, claimed: Claim, attempts: readonly AttemptRecord[]): Promise<void> {
  if (attempts.length === 0) return;
  await tx.db
    .insertInto('notification_attempts')
    .values(attempts.map((attempt) => ({
      tenant_id: tx.tenantId,
      notification_id: claimed.notificationId,
      attempt_series: claimed.attemptSeries,
      attempt_number: claimed.attemptNumber,
      provider_config_id: attempt.providerConfigId,
      provider: attempt.provider,
      started_at: attempt.startedAt,
      duration_ms: Math.round(attempt.durationMs),
      outcome: attempt.outcome,
      http_status: attempt.httpStatus ?? null,
      error_code: attempt.errorCode ?? null,
      error_message: attempt.errorMessage?.slice(0, 1000) ?? null,
      vendor_message_id: attempt.vendorMessageId ?? null,
      ambiguous: attempt.outcome === 'ambiguous',
    })))
    .execute();
}

/** The row is still this claim's: SENDING under the same lease version. */
function leased(tx: TenantTx, claimed: Claim) {
  return (eb: ExpressionBuilder<DB, 'notification_logs'>) =>
    eb.and([
      eb('tenant_id', '=', tx.tenantId),
      eb('id', '=', claimed.notificationId),
      eb('status', '=', 'SENDING'),
      eb('lease_version', '=', claimed.leaseVersion),
    ]);
}

/** SENDING → SENT; false if the lease was lost. */
export async function markSent(tx: TenantTx, claimed: Claim, sent: { providerConfigId: string | null; provider: string; vendorMessageId?: string }): Promise<boolean> {
  const result = await tx.db
    .updateTable('notification_logs')
    .set({
      status: 'SENT',
      provider_config_id: sent.providerConfigId,
      provider: sent.provider,
      vendor_message_id: sent.vendorMessageId ?? null,
      sent_at: sql<Date>`now()`,
      lease_expires_at: null,
      next_attempt_at: null,
      last_error_code: null,
      last_error_message: null,
      updated_at: sql<Date>`now()`,
    })
    .where(leased(tx, claimed))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** SENDING → RETRYING with the durable schedule from the database clock; returns next_attempt_at, or undefined if the lease was lost. */
export async function markRetrying(tx: TenantTx, claimed: Claim, retry: { delayMs: number; errorCode: string; errorMessage: string }): Promise<Date | undefined> {
  const row = await tx.db
    .updateTable('notification_logs')
    .set({
      status: 'RETRYING',
      next_attempt_at: sql<Date>`now() + make_interval(secs => ${retry.delayMs / 1000})`,
      lease_expires_at: null,
      last_error_code: retry.errorCode,
      last_error_message: retry.errorMessage.slice(0, 1000),
      updated_at: sql<Date>`now()`,
    })
    .where(leased(tx, claimed))
    .returning('next_attempt_at')
    .executeTakeFirst();
  return row?.next_attempt_at ?? undefined;
}

/**
 * SENDING → FAILED, and the dead letter that goes with it: the dispatch, every attempt of the
 * series as recorded (this attempt's calls included, when recorded first in the same
 * transaction), the last error. Undefined if the lease was lost (nothing to publish).
 */
export async function markFailed(
  tx: TenantTx,
  claimed: Claim,
  dispatch: Dispatch,
  failure: { errorCode: string; errorMessage: string; provider?: string; providerConfigId?: string | null },
): Promise<DeadLetter | undefined> {
  const result = await tx.db
    .updateTable('notification_logs')
    .set({
      status: 'FAILED',
      lease_expires_at: null,
      next_attempt_at: null,
      last_error_code: failure.errorCode,
      last_error_message: failure.errorMessage.slice(0, 1000),
      ...(failure.provider ? { provider: failure.provider, provider_config_id: failure.providerConfigId ?? null } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where(leased(tx, claimed))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  const attempts = await attemptsOf(tx, claimed.notificationId, claimed.attemptSeries);
  return deadLetterOf(dispatch, attempts, { code: failure.errorCode, message: failure.errorMessage });
}

/** Every attempt of the series, oldest first (the dead letter's history; the retry count). */
export async function attemptsOf(tx: TenantTx, notificationId: string, attemptSeries: number): Promise<AttemptRow[]> {
  return tx.db
    .selectFrom('notification_attempts')
    .selectAll()
    .where('tenant_id', '=', tx.tenantId)
    .where('notification_id', '=', notificationId)
    .where('attempt_series', '=', attemptSeries)
    .orderBy('started_at')
    .execute();
}

/** The provider config of the series' last ambiguous attempt (a send that may have happened), if any. */
export async function lastAmbiguousProvider(tx: TenantTx, notificationId: string, attemptSeries: number): Promise<string | undefined> {
  const row = await tx.db
    .selectFrom('notification_attempts')
    .select('provider_config_id')
    .where('tenant_id', '=', tx.tenantId)
    .where('notification_id', '=', notificationId)
    .where('attempt_series', '=', attemptSeries)
    .where('ambiguous', '=', true)
    .where('provider_config_id', 'is not', null)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.provider_config_id ?? undefined;
}
