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

/** A template's test send (an admin's): a live PENDING row marked `is_test`, delivered like any other. */
export async function createTestSend(
  tx: TenantTx,
  input: { eventId: string; eventType: string; channel: Channel; userId: string; recipient: string | null; templateVersionId: string; content: unknown; traceId: string; receivedAt: Date },
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
