import { sql } from 'kysely';
import type { Channel, DeliveryCode, Mode } from '@orqestra/contracts';
import type { TenantTx } from '../context.js';

/** A notification as the worker creates it: one per accepted event and channel (SPEC §3 step 2). */
export interface NewNotification {
  mode: Mode;
  sandboxSessionId: string | null;
  eventId: string;
  eventType: string;
  channel: Channel;
  userId: string;
  recipient: string | null;
  /** The template version it was rendered from. */
  templateVersionId: string | null;
  /** The rendered content; null when the notification fails before any send. */
  content: unknown;
  /** Set when it fails before any send (no recipient, a template that cannot render): created FAILED. */
  failure?: { code: DeliveryCode; message: string };
  traceId: string;
  receivedAt: Date;
}

/**
 * PENDING with its content, or FAILED at once with the reason. Unique on (tenant, mode, eventId,
 * channel): a replayed event creates nothing and gets undefined back.
 */
export async function createNotification(tx: TenantTx, input: NewNotification): Promise<string | undefined> {
  const row = await tx.db
    .insertInto('notification_logs')
    .values({
      tenant_id: tx.tenantId,
      mode: input.mode,
      sandbox_session_id: input.sandboxSessionId,
      event_id: input.eventId,
      event_type: input.eventType,
      channel: input.channel,
      user_id: input.userId,
      recipient: input.recipient,
      template_version_id: input.templateVersionId,
      content: input.content ? JSON.stringify(input.content) : null,
      status: input.failure ? 'FAILED' : 'PENDING',
      last_error_code: input.failure?.code ?? null,
      last_error_message: input.failure?.message ?? null,
      trace_id: input.traceId,
      received_at: input.receivedAt,
    })
    .onConflict((oc) => oc.constraint('notification_logs_identity_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * createNotification for many at once: the worker's rows for one tenant group of a fetched batch
 * (issue 10), in ONE statement whose arrays are unnested server-side, so its text (and prepared
 * plan) is the same for any batch size. Rows are inserted in the order given. Returns, per input
 * and in the same order, the new row's id, or undefined when the row already existed (a replayed
 * event) or an earlier input had the same (mode, eventId, channel) — as createNotification would
 * have answered one call at a time.
 */
export async function createNotifications(tx: TenantTx, inputs: readonly NewNotification[]): Promise<(string | undefined)[]> {
  if (inputs.length === 0) return [];
  const column = <T>(pick: (input: NewNotification) => T) => inputs.map(pick);
  const { rows } = await sql<{ id: string; mode: string; event_id: string; channel: string }>`
    INSERT INTO notification_logs
           (tenant_id, mode, sandbox_session_id, event_id, event_type, channel, user_id, recipient, template_version_id, content,
            status, last_error_code, last_error_message, trace_id, received_at)
    SELECT ${tx.tenantId}::uuid, n.mode, n.sandbox_session_id, n.event_id, n.event_type, n.channel, n.user_id, n.recipient,
           n.template_version_id, n.content::jsonb, n.status, n.last_error_code, n.last_error_message, n.trace_id, n.received_at
      FROM unnest(${column((n) => n.mode)}::text[], ${column((n) => n.sandboxSessionId)}::uuid[], ${column((n) => n.eventId)}::text[],
                  ${column((n) => n.eventType)}::text[], ${column((n) => n.channel)}::text[], ${column((n) => n.userId)}::text[],
                  ${column((n) => n.recipient)}::text[], ${column((n) => n.templateVersionId)}::uuid[],
                  ${column((n) => (n.content ? JSON.stringify(n.content) : null))}::text[], ${column((n) => (n.failure ? 'FAILED' : 'PENDING'))}::text[],
                  ${column((n) => n.failure?.code ?? null)}::text[], ${column((n) => n.failure?.message ?? null)}::text[],
                  ${column((n) => n.traceId)}::text[], ${column((n) => n.receivedAt)}::timestamptz[])
           WITH ORDINALITY AS n(mode, sandbox_session_id, event_id, event_type, channel, user_id, recipient, template_version_id, content,
                                status, last_error_code, last_error_message, trace_id, received_at, ord)
     ORDER BY n.ord
        ON CONFLICT ON CONSTRAINT notification_logs_identity_key DO NOTHING
 RETURNING id, mode, event_id, channel`.execute(tx.db);
  const key = (mode: string, eventId: string, channel: string) => JSON.stringify([mode, eventId, channel]);
  const created = new Map(rows.map((row) => [key(row.mode, row.event_id, row.channel), row.id]));
  return inputs.map((input) => {
    const k = key(input.mode, input.eventId, input.channel);
    const id = created.get(k);
    created.delete(k); // a second input with the same key was the conflict, not the insert
    return id;
  });
}

/** A template's test send (an admin's): a live PENDING row marked `is_test`, delivered like any other. */
export async function createTestSend(
  tx: TenantTx,
  input: {
    eventId: string;
    eventType: string;
    channel: Channel;
    userId: string;
    recipient: string | null;
    templateVersionId: string;
    content: unknown;
    traceId: string;
    receivedAt: Date;
  },
): Promise<string> {
  const row = await tx.db
    .insertInto('notification_logs')
    .values({
      tenant_id: tx.tenantId,
      mode: 'live',
      is_test: true,
      event_id: input.eventId,
      event_type: input.eventType,
      channel: input.channel,
      user_id: input.userId,
      recipient: input.recipient,
      template_version_id: input.templateVersionId,
      content: JSON.stringify(input.content),
      trace_id: input.traceId,
      received_at: input.receivedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
