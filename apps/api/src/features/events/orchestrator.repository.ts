import { sql } from 'kysely';
import type { EventReceived, Mode } from '@orqestra/contracts';
import type { TenantTx } from '@orqestra/db';

/**
 * The worker's statements on `events` (SPEC §3 step 2). The batch ones take every event of a
 * tenant group of a fetched batch and run ONE statement for all of them, with the arrays unnested
 * server-side, so the statement text (and its prepared plan, packages/db/src/context.ts) is the same
 * for any batch size (issue 10). The notification rows are written by deliveryState.
 */

/** Identifies an event within its tenant: the key of events_identity_key without the tenant. */
export function eventKey(mode: string, eventId: string): string {
  return `${mode}\u0000${eventId}`;
}

export interface TenantSettings {
  delivery_channels: string[];
  default_locale: string;
}

export function tenantSettings(tx: TenantTx): Promise<TenantSettings> {
  return tx.db
    .selectFrom('tenants')
    .select(['delivery_channels', 'default_locale'])
    .where('id', '=', tx.tenantId)
    .executeTakeFirstOrThrow();
}

/**
 * Inserts an `events` row (status processing) for each event, in order, unless its (mode, eventId)
 * exists; returns the row id of those inserted, by eventKey. The caller passes each (mode, eventId) once.
 */
export async function insertEvents(tx: TenantTx, events: readonly EventReceived[]): Promise<Map<string, string>> {
  if (events.length === 0) return new Map();
  const column = <T>(pick: (event: EventReceived) => T) => events.map(pick);
  const { rows } = await sql<{ id: string; mode: string; event_id: string }>`
    INSERT INTO events (tenant_id, mode, event_id, event_type, sandbox_session_id, requested_channels, locale, trace_id, received_at)
    SELECT ${tx.tenantId}::uuid, e.mode, e.event_id, e.event_type, e.sandbox_session_id, e.requested_channels::text[], e.locale, e.trace_id, e.received_at
      FROM unnest(${column((e) => e.mode)}::text[], ${column((e) => e.eventId)}::text[], ${column((e) => e.eventType)}::text[],
                  ${column((e) => e.sandboxSessionId ?? null)}::uuid[], ${column((e) => textArrayLiteral(e.channels))}::text[],
                  ${column((e) => e.locale ?? null)}::text[], ${column((e) => e.traceId)}::text[], ${column((e) => new Date(e.receivedAt))}::timestamptz[])
           WITH ORDINALITY AS e(mode, event_id, event_type, sandbox_session_id, requested_channels, locale, trace_id, received_at, ord)
     ORDER BY e.ord
        ON CONFLICT ON CONSTRAINT events_identity_key DO NOTHING
 RETURNING id, mode, event_id`.execute(tx.db);
  return new Map(rows.map((row) => [eventKey(row.mode, row.event_id), row.id]));
}

/**
 * Marks the events processed with their per-channel outcomes, by row id (insertEvents returned
 * them): one primary-key look-up per event. The tenant condition is written `IS TRUE` so that a
 * prepared statement's generic plan cannot walk every event of the tenant through a tenant index
 * instead (it estimates a handful of rows per tenant); row-level security confines it anyway.
 */
export async function recordOutcomes(tx: TenantTx, done: readonly { id: string; outcomes: unknown }[], processedAt: Date): Promise<void> {
  if (done.length === 0) return;
  await sql`
    UPDATE events e
       SET channel_outcomes = u.channel_outcomes::jsonb, status = 'processed', processed_at = ${processedAt}::timestamptz
      FROM unnest(${done.map((d) => d.id)}::uuid[], ${done.map((d) => JSON.stringify(d.outcomes))}::text[]) AS u(id, channel_outcomes)
     WHERE e.id = u.id AND (e.tenant_id = ${tx.tenantId}) IS TRUE`.execute(tx.db);
}

/** What identifies an accepted event's delivery: the acceptance time and trace id it was stored with. */
export function storedEvent(tx: TenantTx, mode: Mode, eventId: string) {
  return tx.db
    .selectFrom('events')
    .select(['received_at', 'trace_id'])
    .where('tenant_id', '=', tx.tenantId)
    .where('mode', '=', mode)
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow();
}

/** Counts a reuse of the eventId after the idempotency window (DUPLICATE_EVENT_ID). */
export async function countDuplicate(tx: TenantTx, mode: Mode, eventId: string): Promise<void> {
  await tx.db
    .updateTable('events')
    .set((eb) => ({ duplicates: eb('duplicates', '+', 1), last_duplicate_at: new Date() }))
    .where('tenant_id', '=', tx.tenantId)
    .where('mode', '=', mode)
    .where('event_id', '=', eventId)
    .execute();
}

/** The event's notification rows still PENDING (to publish again). */
export function pendingNotifications(tx: TenantTx, mode: Mode, eventId: string) {
  return tx.db
    .selectFrom('notification_logs')
    .select(['id', 'channel', 'recipient', 'content'])
    .where('tenant_id', '=', tx.tenantId)
    .where('mode', '=', mode)
    .where('event_id', '=', eventId)
    .where('status', '=', 'PENDING')
    .execute();
}

/** Stores a parked event: only the fields that identify it, processed, with `outcomes` holding its rejection. */
export async function insertParkedEvent(tx: TenantTx, event: EventReceived, outcomes: unknown): Promise<void> {
  await tx.db
    .insertInto('events')
    .values({
      tenant_id: event.tenantId,
      mode: event.mode,
      event_id: event.eventId,
      event_type: event.eventType,
      trace_id: event.traceId,
      received_at: new Date(event.receivedAt),
      status: 'processed',
      processed_at: new Date(),
      channel_outcomes: JSON.stringify(outcomes),
    })
    .onConflict((oc) => oc.constraint('events_identity_key').doNothing())
    .execute();
}

/** A PostgreSQL array literal (`{"EMAIL","PUSH"}`) for one row's array inside an unnested array of rows; null stays null. */
function textArrayLiteral(values: readonly string[] | undefined): string | null {
  if (values === undefined) return null;
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
