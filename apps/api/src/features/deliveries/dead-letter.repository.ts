import { sql, type SelectQueryBuilder } from 'kysely';
import type { Channel, DeadLetter } from '@orqestra/contracts';
import { withTenant, type Database, type DB, type OperatorTx, type TenantTx } from '@orqestra/db';
import { dispositionOf, groupByTenant } from '../../platform/consumer-batch.js';

/**
 * SPEC §3 step 4: the worker stores each dead letter (full dispatch payload, every attempt, last
 * error) idempotently on the notification id. A later series of the same notification (after a
 * replay) that fails again replaces the record and makes it dead again; an older or repeated
 * message changes nothing. Status is the gateway's (the log row is already FAILED).
 */
export async function storeDeadLetters(
  database: Database,
  letters: readonly DeadLetter[],
  onRejected: (letter: DeadLetter, error: unknown) => void,
): Promise<void> {
  for (const [tenantId, group] of groupByTenant(letters)) {
    try {
      await storeGroup(database, tenantId, group);
    } catch (error) {
      // A letter that can never be stored (its tenant or notification is gone) must not block the
      // partition: report and skip it. Anything else is retried by the consumer.
      if (dispositionOf(error) !== 'skip') throw error;
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

// The admin routes' and the CLI's reads and transitions of dead letters (SPEC §3 step 5, §6).

export interface ReplayFilter {
  provider?: string;
  channel?: Channel;
  errorCode?: string;
  eventType?: string;
  since?: Date;
  until?: Date;
}

export interface DeadLetterListFilter extends ReplayFilter {
  tenantId?: string;
  status: 'dead' | 'replayed' | 'discarded';
}

export interface OperatorBulkFilter extends ReplayFilter {
  /** Absent: every tenant (the controller has checked the typed confirmation). */
  tenantId?: string;
}

/** Which dead letters a transition takes: by notification id, or every one matching a filter. */
export type LetterSelection = { ids: string[] } | { filter: ReplayFilter };

/** Narrows a query of failed_notifications to the letters a filter names (listing, counting, replaying). */
function deadLettersMatching<O>(
  query: SelectQueryBuilder<DB, 'failed_notifications', O>,
  filter: ReplayFilter,
): SelectQueryBuilder<DB, 'failed_notifications', O> {
  let narrowed = query;
  if (filter.provider) narrowed = narrowed.where('provider', '=', filter.provider);
  if (filter.channel) narrowed = narrowed.where('channel', '=', filter.channel);
  if (filter.errorCode) narrowed = narrowed.where('error_code', '=', filter.errorCode);
  if (filter.eventType) narrowed = narrowed.where('event_type', '=', filter.eventType);
  if (filter.since) narrowed = narrowed.where('created_at', '>=', filter.since);
  if (filter.until) narrowed = narrowed.where('created_at', '<', filter.until);
  return narrowed;
}

/** A tenant's dead letters (status dead) matching a filter. */
function tenantDeadLetters(tx: OperatorTx | TenantTx, tenantId: string, filter: ReplayFilter) {
  return deadLettersMatching(
    tx.db.selectFrom('failed_notifications').where('tenant_id', '=', tenantId).where('status', '=', 'dead'),
    filter,
  );
}

/**
 * The dead letters an operator's bulk action touches. Across tenants only active tenants' letters:
 * "replay everything" must not deliver for a suspended or deleted tenant. A tenant named in the
 * filter is the operator's explicit choice (suspended included), but never a deleted one.
 */
function bulkDeadLetters(tx: OperatorTx, filter: OperatorBulkFilter) {
  const query = deadLettersMatching(tx.db.selectFrom('failed_notifications').where('status', '=', 'dead'), filter);
  const tenants = tx.db.selectFrom('tenants').select('id');
  if (filter.tenantId)
    return query.where('tenant_id', '=', filter.tenantId).where('tenant_id', 'in', tenants.where('status', '<>', 'deleted'));
  return query.where('tenant_id', 'in', tenants.where('status', '=', 'active'));
}

/** A page of dead letters (newest first) with the total matching; RLS confines a tenant's handle to its letters. */
export async function listDeadLetters(tx: TenantTx | OperatorTx, filter: DeadLetterListFilter, page: { page: number; limit: number }) {
  let query = deadLettersMatching(tx.db.selectFrom('failed_notifications').where('status', '=', filter.status), filter);
  if (filter.tenantId) query = query.where('tenant_id', '=', filter.tenantId);
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset((page.page - 1) * page.limit)
    .execute();
  return { total, rows };
}

/** One dead letter (any status) by notification id, with its payload, attempts and last error. */
export function findDeadLetter(tx: TenantTx | OperatorTx, notificationId: string) {
  return tx.db.selectFrom('failed_notifications').selectAll().where('notification_id', '=', notificationId).executeTakeFirst();
}

/** How many of a tenant's dead letters match a filter. */
export async function countDeadLetters(tx: OperatorTx | TenantTx, tenantId: string, filter: ReplayFilter): Promise<number> {
  return Number(
    (
      await tenantDeadLetters(tx, tenantId, filter)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  );
}

/** Locks up to `limit` of a tenant's dead letters, oldest first, skipping those another transaction holds. */
export function lockDeadLetters(tx: OperatorTx | TenantTx, tenantId: string, which: LetterSelection, limit: number) {
  let query = tenantDeadLetters(tx, tenantId, 'filter' in which ? which.filter : {}).select(['id', 'notification_id', 'payload']);
  if ('ids' in which) query = query.where('notification_id', 'in', which.ids);
  return query.orderBy('created_at').limit(limit).forUpdate().skipLocked().execute();
}

/** As lockDeadLetters, without the payloads (a discard sends nothing). */
export function lockDeadLetterIds(tx: OperatorTx | TenantTx, tenantId: string, which: LetterSelection, limit: number) {
  let query = tenantDeadLetters(tx, tenantId, 'filter' in which ? which.filter : {}).select(['id', 'notification_id']);
  if ('ids' in which) query = query.where('notification_id', 'in', which.ids);
  return query.orderBy('created_at').limit(limit).forUpdate().skipLocked().execute();
}

/** dead → replayed (one more replay), with who and why. */
export async function markReplayed(tx: OperatorTx | TenantTx, id: string, reason: string, resolvedBy: string): Promise<void> {
  await tx.db
    .updateTable('failed_notifications')
    .set((eb) => ({
      status: 'replayed',
      replay_count: eb('replay_count', '+', 1),
      replayed_at: sql<Date>`now()`,
      replay_reason: reason,
      resolved_by: resolvedBy,
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', id)
    .execute();
}

/** dead → discarded, with who and why. */
export async function markDiscarded(
  tx: OperatorTx | TenantTx,
  tenantId: string,
  ids: string[],
  reason: string,
  resolvedBy: string,
): Promise<void> {
  await tx.db
    .updateTable('failed_notifications')
    .set({
      status: 'discarded',
      discarded_at: sql<Date>`now()`,
      replay_reason: reason,
      resolved_by: resolvedBy,
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}

/** The tenants with dead letters an operator's bulk action matches, with how many each, oldest letter's tenant first. */
export function bulkMatchesByTenant(tx: OperatorTx, filter: OperatorBulkFilter) {
  return bulkDeadLetters(tx, filter)
    .select((eb) => ['tenant_id', eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
    .groupBy('tenant_id')
    .orderBy('oldest')
    .execute();
}

const SAMPLE_SIZE = 20;

/** What a dry run counts in a tenant: its dead letters matching the filter. */
export function tenantDryRun(tx: OperatorTx | TenantTx, tenantId: string, filter: ReplayFilter) {
  return breakdown(tenantDeadLetters(tx, tenantId, filter));
}

/** What an operator's bulk dry run counts: the letters the action would touch, across tenants. */
export function operatorDryRun(tx: OperatorTx, filter: OperatorBulkFilter) {
  return breakdown(bulkDeadLetters(tx, filter));
}

/** Counts of `base` by tenant, error code and provider, and the first 20 letters, oldest first. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a query that selects nothing yet
async function breakdown(base: SelectQueryBuilder<DB, 'failed_notifications', {}>) {
  // One after another: the statements share the unit of work's connection.
  const byTenant = await base
    .select((eb) => ['tenant_id', eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
    .groupBy('tenant_id')
    .orderBy('oldest')
    .execute();
  const byErrorCode = await base
    .select((eb) => ['error_code', eb.fn.countAll<string>().as('n')])
    .groupBy('error_code')
    .orderBy('n', 'desc')
    .execute();
  const byProvider = await base
    .select((eb) => ['provider', eb.fn.countAll<string>().as('n')])
    .groupBy('provider')
    .orderBy('n', 'desc')
    .execute();
  const sample = await base.selectAll().orderBy('created_at').orderBy('id').limit(SAMPLE_SIZE).execute();
  return { byTenant, byErrorCode, byProvider, sample };
}

export type DeadLetterBreakdown = Awaited<ReturnType<typeof breakdown>>;
