import { sql } from 'kysely';
import type { DeadLetter } from '@orqestra/contracts';
import { withTenant, type Database } from '@orqestra/db';
import { groupByTenant, isPermanentDbError } from '../../platform/consumer-batch.js';

/**
 * SPEC §3 step 4: the worker stores each dead letter (full dispatch payload, every attempt, last
 * error) idempotently on the notification id. A later series of the same notification (after a
 * replay) that fails again replaces the record and makes it dead again; an older or repeated
 * message changes nothing. Status is the gateway's (the log row is already FAILED).
 */
export async function storeDeadLetters(database: Database, letters: readonly DeadLetter[], onRejected: (letter: DeadLetter, error: unknown) => void): Promise<void> {
  for (const [tenantId, group] of groupByTenant(letters)) {
    try {
      await storeGroup(database, tenantId, group);
    } catch (error) {
      // A letter that can never be stored (its tenant or notification is gone) must not block the
      // partition: report and skip it. Anything else is retried by the consumer.
      if (!isPermanentDbError(error)) throw error;
      for (const letter of group) onRejected(letter, error);
    }
  }
}

async function storeGroup(database: Database, tenantId: string, group: DeadLetter[]): Promise<void> {
  await withTenant(database, { tenantId, actorType: 'system_tenant', actorId: 'worker-dlq' }, async (tx) => {
    for (const letter of group) {
      const { attempts, lastError, ...payload } = letter;
      const lastAttempt = attempts.at(-1);
      await tx.db
        .insertInto('failed_notifications')
        .values({
          tenant_id: tenantId,
          notification_id: letter.notificationId,
          attempt_series: letter.attemptSeries,
          mode: letter.mode,
          channel: letter.channel,
          event_type: letter.eventType,
          provider: lastAttempt?.provider ?? null,
          error_code: lastError.code,
          payload: JSON.stringify(payload),
          attempts: JSON.stringify(attempts),
          last_error: JSON.stringify(lastError),
        })
        .onConflict((oc) =>
          oc
            .column('notification_id')
            .doUpdateSet((eb) => ({
              attempt_series: eb.ref('excluded.attempt_series'),
              provider: eb.ref('excluded.provider'),
              error_code: eb.ref('excluded.error_code'),
              payload: eb.ref('excluded.payload'),
              attempts: eb.ref('excluded.attempts'),
              last_error: eb.ref('excluded.last_error'),
              status: 'dead',
              updated_at: sql<Date>`now()`,
            }))
            .where('failed_notifications.attempt_series', '<', (eb) => eb.ref('excluded.attempt_series')),
        )
        .execute();
    }
  });
}
