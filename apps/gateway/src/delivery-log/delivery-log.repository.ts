import { sql, type ExpressionBuilder } from 'kysely';
import type { Channel, Dispatch } from '@orqestra/contracts';
import type { DB, TenantTx } from '@orqestra/db';

/**
 * The gateway's writes to the delivery log (it is the only writer of delivery status). Every
 * write after the claim is conditional on the claim's lease version, so a gateway whose lease
 * expired (and whose row another gateway took over) changes nothing.
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

/** Error codes of attempts that waited for a rate limit: they do not use up a retry. */
export const THROTTLE_CODES = ['RATE_LIMITED', 'QUOTA_EXCEEDED', 'SEND_RATE_LIMITED', 'TENANT_INFLIGHT_CAP'] as const;

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

/** RETRYING with the durable schedule from the database clock; returns next_attempt_at, or undefined if the lease was lost. */
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

export async function markFailed(tx: TenantTx, claimed: Claim, failure: { errorCode: string; errorMessage: string; provider?: string; providerConfigId?: string | null }): Promise<boolean> {
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
  return Number(result.numUpdatedRows) === 1;
}

/** Every attempt of the series, oldest first (the dead letter's history; the retry count). */
export async function attemptsOf(tx: TenantTx, notificationId: string, attemptSeries: number) {
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

/** The inbox row is written before the push is published (SPEC §2.5): an offline user sees it later. */
export async function storeInApp(tx: TenantTx, message: Dispatch): Promise<void> {
  await tx.db
    .insertInto('in_app_notifications')
    .values({
      id: message.notificationId,
      tenant_id: tx.tenantId,
      user_id: message.recipient.userId,
      title: message.content.title ?? '',
      body: message.content.body ?? '',
      category: message.content.category ?? 'info',
      event_type: message.eventType,
      data: message.content.data ? JSON.stringify(message.content.data) : null,
      created_at: new Date(message.receivedAt),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function storeCaptured(tx: TenantTx, message: Dispatch, sandboxSessionId: string | null): Promise<string | undefined> {
  if (!sandboxSessionId) return undefined;
  const row = await tx.db
    .insertInto('sandbox_messages')
    .values({
      tenant_id: tx.tenantId,
      sandbox_session_id: sandboxSessionId,
      notification_id: message.notificationId,
      channel: message.channel as Channel,
      event_type: message.eventType,
      recipient: message.recipient.email ?? message.recipient.phone ?? message.recipient.userId,
      content: JSON.stringify(message.content),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
