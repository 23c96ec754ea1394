// Every write of the delivery floor (bench/e2e/floor.mjs) to notification_logs and
// notification_attempts, and the reset bench/e2e/run.mjs does between the floor's drain and the
// gateway's, kept in this one file: the product's delivery state has one owner
// (packages/db/src/delivery-state), and this benchmark stand-in is the one other writer, on its own
// tenants only. Batch-shaped on purpose (one statement per fetched batch), which is what the floor
// measures.
import { buildContextStatement } from '@orqestra/db';

/** An operator's transaction across tenants (row-level security allows operators to update log rows). */
export const OPERATOR = buildContextStatement({ tenantId: null, actorType: 'operator', actorId: 'bench-floor' });

/** PENDING/RETRYING → SENDING with a lease, for every message of the batch at once. */
export const CLAIM = {
  name: 'floor-claim',
  text: `UPDATE notification_logs
            SET status = 'SENDING', attempt_number = attempt_number + 1, lease_version = lease_version + 1,
                lease_expires_at = now() + interval '30 seconds', updated_at = now()
          WHERE id = ANY($1::uuid[]) AND status IN ('PENDING', 'RETRYING')
      RETURNING id, tenant_id, attempt_series, attempt_number, lease_version`,
};

/** Every outcome of the batch, conditional on the claim's lease. */
export const OUTCOMES = {
  name: 'floor-outcomes',
  text: `UPDATE notification_logs l
            SET status = v.status, provider = v.provider, vendor_message_id = v.vendor_id, last_error_code = v.code,
                sent_at = CASE WHEN v.status = 'SENT' THEN now() END, lease_expires_at = NULL, updated_at = now()
           FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(id, lease_version, status, vendor_id, code, provider)
          WHERE l.id = v.id AND l.status = 'SENDING' AND l.lease_version = v.lease_version`,
};

/** Attempt rows are inserted inside their tenant (row-level security): the transaction switches tenant. */
export const IN_TENANT = { name: 'floor-in-tenant', text: `SELECT set_config('app.current_tenant_id', $1, true)` };

export const ATTEMPTS = {
  name: 'floor-attempts',
  text: `INSERT INTO notification_attempts
           (tenant_id, notification_id, attempt_series, attempt_number, provider, started_at, duration_ms, outcome, http_status, error_code, vendor_message_id)
         SELECT $1::uuid, a.* FROM unnest($2::uuid[], $3::int[], $4::int[], $5::text[], $6::timestamptz[], $7::int[], $8::text[], $9::int[], $10::text[], $11::text[])
           AS a(notification_id, attempt_series, attempt_number, provider, started_at, duration_ms, outcome, http_status, error_code, vendor_message_id)`,
};

/** PUSH: the inbox rows of the batch's notifications in one tenant, written with the claim (before the publish). */
export const INBOX = {
  name: 'floor-inbox',
  text: `INSERT INTO in_app_notifications (id, tenant_id, user_id, title, body, category, event_type, data, created_at)
         SELECT i.id, $1::uuid, i.user_id, i.title, i.body, i.category, i.event_type, i.data, i.created_at
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::timestamptz[])
             AS i(id, user_id, title, body, category, event_type, data, created_at)
         ON CONFLICT (id) DO NOTHING`,
};

/**
 * Puts the floor's rows of these tenants back as the worker left them (PENDING, no attempt, no
 * outcome), so that the gateway drains the same backlog: undoes exactly the columns the floor
 * writes above, and deletes its attempt rows.
 */
export async function resetFloorRows(pool, tenantIds) {
  const client = await pool.connect();
  try {
    await client.query(OPERATOR);
    await client.query(
      `UPDATE notification_logs
          SET status = 'PENDING', attempt_number = attempt_number - 1, lease_version = lease_version - 1, lease_expires_at = NULL,
              provider = NULL, vendor_message_id = NULL, last_error_code = NULL, sent_at = NULL, updated_at = now()
        WHERE tenant_id = ANY($1::uuid[]) AND status IN ('SENT', 'FAILED', 'SENDING') AND attempt_number > 0`,
      [tenantIds],
    );
    for (const tenantId of tenantIds) {
      await client.query(IN_TENANT.text, [tenantId]);
      await client.query('DELETE FROM notification_attempts WHERE tenant_id = $1', [tenantId]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
