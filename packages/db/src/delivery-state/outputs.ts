import type { Channel, Dispatch } from '@orqestra/contracts';
import type { TenantTx } from '../context.js';

/**
 * What a delivery leaves besides its status, written in the same transactions as the status:
 * the in-app inbox row of a PUSH notification (with the claim) and the captured copy of a sandbox
 * send (with SENT).
 */

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
