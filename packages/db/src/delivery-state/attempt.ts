import { sql } from 'kysely';
import type { DeadLetter, Dispatch } from '@orqestra/contracts';
import type { TenantTx } from '../context.js';
import { deadLetterOf, type AttemptRow } from './dead-letter.js';

/**
 * The gateway's attempts, from claim to outcome, one fetched batch at a time (issue 10): each
 * function takes every notification of the batch that belongs to the transaction's tenant and
 * runs ONE statement for all of them (arrays unnested server-side, so the statement text, and its
 * prepared plan, is the same for any batch size). Every write after the claim is conditional on
 * the claim's lease version, so a gateway whose lease expired (and whose row another gateway took
 * over) changes nothing. Each function takes the caller's tenant transaction, so a caller puts
 * several of them in one unit of work (the attempts with their outcomes, the inbox rows with the
 * claims).
 *
 * The log rows are found by id, one index look-up per unnested element. Their tenant condition is
 * written `(l.tenant_id = $t) IS TRUE` so that PostgreSQL cannot use it as an index condition:
 * with a prepared statement's generic plan it estimates "one row per tenant" and otherwise walks
 * every row of the tenant through a tenant index, per statement (EXPLAIN EXECUTE under
 * plan_cache_mode = force_generic_plan shows which). Row-level security confines the statement to
 * the tenant in any case; the condition is defence in depth.
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

/** What a claim asks for: the series and attempt number a dispatch or retry message carries. */
export interface ClaimRequest {
  notificationId: string;
  attemptSeries: number;
  attemptNumber: number;
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

const MESSAGE_MAX = 1000;

/**
 * PENDING/RETRYING → SENDING for every request whose row is at the series and attempt number it
 * names. Returns the claims that were granted (a row already claimed, sent or replayed is left
 * out); a notification named twice is claimed once.
 */
export async function claim(tx: TenantTx, requests: readonly ClaimRequest[], leaseMs: number): Promise<Claim[]> {
  if (requests.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    attempt_series: number;
    attempt_number: number;
    lease_version: number;
    sandbox_session_id: string | null;
    ambiguous_send_policy: string | null;
  }>`
    UPDATE notification_logs l
       SET status = 'SENDING', attempt_number = l.attempt_number + 1, lease_version = l.lease_version + 1,
           lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
      FROM (SELECT DISTINCT * FROM unnest(${requests.map((r) => r.notificationId)}::uuid[], ${requests.map((r) => r.attemptSeries)}::int[], ${requests.map((r) => r.attemptNumber - 1)}::int[])) AS r(id, attempt_series, attempt_number)
     WHERE (l.tenant_id = ${tx.tenantId}) IS TRUE AND l.id = r.id AND l.attempt_series = r.attempt_series
       AND l.attempt_number = r.attempt_number AND l.status IN ('PENDING', 'RETRYING')
 RETURNING l.id, l.attempt_series, l.attempt_number, l.lease_version, l.sandbox_session_id,
           (SELECT t.ambiguous_send_policy FROM tenants t WHERE t.id = l.tenant_id) AS ambiguous_send_policy`.execute(tx.db);
  return rows.map((row) => ({
    notificationId: row.id,
    attemptSeries: row.attempt_series,
    attemptNumber: row.attempt_number,
    leaseVersion: row.lease_version,
    sandboxSessionId: row.sandbox_session_id,
    ambiguousPolicy: row.ambiguous_send_policy === 'fail' ? 'fail' : 'retry',
  }));
}

/** Records the provider calls of the claims' attempts (written with their outcomes, in the same transaction). */
export async function recordAttempts(tx: TenantTx, calls: readonly { claim: Claim; attempt: AttemptRecord }[]): Promise<void> {
  if (calls.length === 0) return;
  const column = <T>(pick: (call: { claim: Claim; attempt: AttemptRecord }) => T) => calls.map(pick);
  await sql`
    INSERT INTO notification_attempts
           (tenant_id, notification_id, attempt_series, attempt_number, provider_config_id, provider, started_at, duration_ms,
            outcome, http_status, error_code, error_message, vendor_message_id, ambiguous)
    SELECT ${tx.tenantId}::uuid, a.notification_id, a.attempt_series, a.attempt_number, a.provider_config_id, a.provider, a.started_at,
           a.duration_ms, a.outcome, a.http_status, a.error_code, a.error_message, a.vendor_message_id, a.outcome = 'ambiguous'
      FROM unnest(${column((c) => c.claim.notificationId)}::uuid[], ${column((c) => c.claim.attemptSeries)}::int[], ${column((c) => c.claim.attemptNumber)}::int[],
                  ${column((c) => c.attempt.providerConfigId)}::uuid[], ${column((c) => c.attempt.provider)}::text[], ${column((c) => c.attempt.startedAt)}::timestamptz[],
                  ${column((c) => Math.round(c.attempt.durationMs))}::int[], ${column((c) => c.attempt.outcome)}::text[], ${column((c) => c.attempt.httpStatus ?? null)}::int[],
                  ${column((c) => c.attempt.errorCode ?? null)}::text[], ${column((c) => c.attempt.errorMessage?.slice(0, MESSAGE_MAX) ?? null)}::text[],
                  ${column((c) => c.attempt.vendorMessageId ?? null)}::text[])
        AS a(notification_id, attempt_series, attempt_number, provider_config_id, provider, started_at, duration_ms, outcome, http_status, error_code, error_message, vendor_message_id)`.execute(
    tx.db,
  );
}

/** The ids of the claims whose rows are still theirs (SENDING under the same lease version) and were updated. */
function updatedIds(rows: readonly { id: string }[]): Set<string> {
  return new Set(rows.map((r) => r.id));
}

/** SENDING → SENT; returns the notifications updated (one whose lease was lost is left out). */
export async function markSent(
  tx: TenantTx,
  sent: readonly { claim: Claim; providerConfigId: string | null; provider: string; vendorMessageId?: string }[],
): Promise<Set<string>> {
  if (sent.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    UPDATE notification_logs l
       SET status = 'SENT', provider_config_id = s.provider_config_id, provider = s.provider, vendor_message_id = s.vendor_message_id,
           sent_at = now(), lease_expires_at = NULL, next_attempt_at = NULL, last_error_code = NULL, last_error_message = NULL, updated_at = now()
      FROM unnest(${sent.map((s) => s.claim.notificationId)}::uuid[], ${sent.map((s) => s.claim.leaseVersion)}::int[], ${sent.map((s) => s.providerConfigId)}::uuid[],
                  ${sent.map((s) => s.provider)}::text[], ${sent.map((s) => s.vendorMessageId ?? null)}::text[])
        AS s(id, lease_version, provider_config_id, provider, vendor_message_id)
     WHERE (l.tenant_id = ${tx.tenantId}) IS TRUE AND l.id = s.id AND l.status = 'SENDING' AND l.lease_version = s.lease_version
 RETURNING l.id`.execute(tx.db);
  return updatedIds(rows);
}

/**
 * SENDING → RETRYING with the durable schedule from the database clock; returns next_attempt_at
 * per notification updated (one whose lease was lost is left out).
 */
export async function markRetrying(
  tx: TenantTx,
  retries: readonly { claim: Claim; delayMs: number; errorCode: string; errorMessage: string }[],
): Promise<Map<string, Date>> {
  if (retries.length === 0) return new Map();
  const { rows } = await sql<{ id: string; next_attempt_at: Date }>`
    UPDATE notification_logs l
       SET status = 'RETRYING', next_attempt_at = now() + make_interval(secs => (r.delay_ms / 1000.0)::double precision), lease_expires_at = NULL,
           last_error_code = r.error_code, last_error_message = r.error_message, updated_at = now()
      FROM unnest(${retries.map((r) => r.claim.notificationId)}::uuid[], ${retries.map((r) => r.claim.leaseVersion)}::int[], ${retries.map((r) => Math.round(r.delayMs))}::bigint[],
                  ${retries.map((r) => r.errorCode)}::text[], ${retries.map((r) => r.errorMessage.slice(0, MESSAGE_MAX))}::text[])
        AS r(id, lease_version, delay_ms, error_code, error_message)
     WHERE (l.tenant_id = ${tx.tenantId}) IS TRUE AND l.id = r.id AND l.status = 'SENDING' AND l.lease_version = r.lease_version
 RETURNING l.id, l.next_attempt_at`.execute(tx.db);
  return new Map(rows.map((r) => [r.id, r.next_attempt_at]));
}

export interface Failure {
  claim: Claim;
  dispatch: Dispatch;
  errorCode: string;
  errorMessage: string;
  provider?: string;
  providerConfigId?: string | null;
}

/**
 * SENDING → FAILED, and the dead letters that go with them: the dispatch, every attempt of the
 * series as recorded (this attempt's calls included, when recorded first in the same
 * transaction), the last error. A notification whose lease was lost has no letter (nothing to publish).
 */
export async function markFailed(tx: TenantTx, failures: readonly Failure[]): Promise<DeadLetter[]> {
  if (failures.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    UPDATE notification_logs l
       SET status = 'FAILED', lease_expires_at = NULL, next_attempt_at = NULL, last_error_code = f.error_code, last_error_message = f.error_message,
           provider = CASE WHEN f.provider IS NULL THEN l.provider ELSE f.provider END,
           provider_config_id = CASE WHEN f.provider IS NULL THEN l.provider_config_id ELSE f.provider_config_id END,
           updated_at = now()
      FROM unnest(${failures.map((f) => f.claim.notificationId)}::uuid[], ${failures.map((f) => f.claim.leaseVersion)}::int[], ${failures.map((f) => f.errorCode)}::text[],
                  ${failures.map((f) => f.errorMessage.slice(0, MESSAGE_MAX))}::text[], ${failures.map((f) => f.provider ?? null)}::text[], ${failures.map((f) => f.providerConfigId ?? null)}::uuid[])
        AS f(id, lease_version, error_code, error_message, provider, provider_config_id)
     WHERE (l.tenant_id = ${tx.tenantId}) IS TRUE AND l.id = f.id AND l.status = 'SENDING' AND l.lease_version = f.lease_version
 RETURNING l.id`.execute(tx.db);
  const failed = updatedIds(rows);
  const mine = failures.filter((f) => failed.has(f.claim.notificationId));
  const history = await attemptsOf(
    tx,
    mine.map((f) => f.claim),
  );
  return mine.map((f) =>
    deadLetterOf(f.dispatch, history.get(f.claim.notificationId) ?? [], { code: f.errorCode, message: f.errorMessage }),
  );
}

/** Every attempt of each notification's series, oldest first (the dead letter's history; the retry count). */
export async function attemptsOf(
  tx: TenantTx,
  series: readonly { notificationId: string; attemptSeries: number }[],
): Promise<Map<string, AttemptRow[]>> {
  const history = new Map<string, AttemptRow[]>();
  if (series.length === 0) return history;
  const { rows } = await sql<AttemptRow>`
    SELECT a.* FROM notification_attempts a
      JOIN unnest(${series.map((s) => s.notificationId)}::uuid[], ${series.map((s) => s.attemptSeries)}::int[]) AS s(id, attempt_series)
        ON a.notification_id = s.id AND a.attempt_series = s.attempt_series
     WHERE a.tenant_id = ${tx.tenantId}
     ORDER BY a.notification_id, a.started_at, a.created_at`.execute(tx.db);
  for (const row of rows) {
    const list = history.get(row.notification_id);
    if (list) list.push(row);
    else history.set(row.notification_id, [row]);
  }
  return history;
}

/**
 * Per notification, the provider config of its series' last ambiguous attempt (a send that may
 * have happened), where there is one.
 */
export async function lastAmbiguousProviders(
  tx: TenantTx,
  series: readonly { notificationId: string; attemptSeries: number }[],
): Promise<Map<string, string>> {
  if (series.length === 0) return new Map();
  const { rows } = await sql<{ notification_id: string; provider_config_id: string }>`
    SELECT DISTINCT ON (a.notification_id) a.notification_id, a.provider_config_id
      FROM notification_attempts a
      JOIN unnest(${series.map((s) => s.notificationId)}::uuid[], ${series.map((s) => s.attemptSeries)}::int[]) AS s(id, attempt_series)
        ON a.notification_id = s.id AND a.attempt_series = s.attempt_series
     WHERE a.tenant_id = ${tx.tenantId} AND a.ambiguous AND a.provider_config_id IS NOT NULL
     ORDER BY a.notification_id, a.started_at DESC`.execute(tx.db);
  return new Map(rows.map((r) => [r.notification_id, r.provider_config_id]));
}
