import { sql } from 'kysely';
import type { OperatorTx, TenantTx } from '../context.js';

/**
 * A replay of a dead letter (SPEC §3 step 5): FAILED → PENDING with a new attempt series, so the
 * vendor sees a new idempotency key and a late message of the old series cannot claim the row.
 * Returns the new series, or undefined when the row is not FAILED (nothing to replay). The caller
 * marks the dead letter replayed and audits it in the same transaction.
 */
export async function resetForReplay(
  tx: TenantTx | OperatorTx,
  tenantId: string,
  notificationId: string,
): Promise<{ attemptSeries: number } | undefined> {
  const row = await tx.db
    .updateTable('notification_logs')
    .set((eb) => ({
      status: 'PENDING',
      attempt_series: eb('attempt_series', '+', 1),
      attempt_number: 0,
      next_attempt_at: null,
      lease_expires_at: null,
      last_error_code: null,
      last_error_message: null,
      updated_at: sql<Date>`now()`,
    }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', notificationId)
    .where('status', '=', 'FAILED')
    .returning(['attempt_series', 'content'])
    .executeTakeFirst();
  return row ? { attemptSeries: row.attempt_series } : undefined;
}
