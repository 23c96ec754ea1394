import { sql } from 'kysely';
import type { Channel, Dispatch } from '@orqestra/contracts';
import type { TenantTx } from '../context.js';

/**
 * What a delivery leaves besides its status, written in the same transactions as the status:
 * the in-app inbox rows of PUSH notifications (with their claims) and the captured copy of a sandbox
 * send (with SENT).
 */

/** The inbox rows are written before the pushes are published (SPEC §2.5): an offline user sees them later. */
export async function storeInApp(tx: TenantTx, messages: readonly Dispatch[]): Promise<void> {
  if (messages.length === 0) return;
  await sql`
    INSERT INTO in_app_notifications (id, tenant_id, user_id, title, body, category, event_type, data, created_at)
    SELECT i.id, ${tx.tenantId}::uuid, i.user_id, i.title, i.body, i.category, i.event_type, i.data, i.created_at
      FROM unnest(${messages.map((m) => m.notificationId)}::uuid[], ${messages.map((m) => m.recipient.userId)}::text[], ${messages.map((m) => m.content.title ?? '')}::text[],
                  ${messages.map((m) => m.content.body ?? '')}::text[], ${messages.map((m) => m.content.category ?? 'info')}::text[], ${messages.map((m) => m.eventType)}::text[],
                  ${messages.map((m) => (m.content.data ? JSON.stringify(m.content.data) : null))}::jsonb[], ${messages.map((m) => new Date(m.receivedAt))}::timestamptz[])
        AS i(id, user_id, title, body, category, event_type, data, created_at)
    ON CONFLICT (id) DO NOTHING`.execute(tx.db);
}

/** A sandbox send's captured message, in its sandbox session; returns its id (undefined without a session). */
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
