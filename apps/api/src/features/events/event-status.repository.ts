import type { Mode } from '@orqestra/contracts';
import type { TenantTx } from '@orqestra/db';

/**
 * An event as the worker recorded it, with its notification rows (one per channel that had an
 * active template); undefined while the worker has not stored it (or it does not exist). Read by
 * the tenant API's event status and by the console's event detail (deliveries).
 */
export async function findEventStatus(tx: TenantTx, mode: Mode, eventId: string) {
  const event = await tx.db
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', tx.tenantId)
    .where('mode', '=', mode)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  if (!event) return undefined;
  const logs = await tx.db
    .selectFrom('notification_logs')
    .select(['id', 'channel', 'status', 'last_error_code'])
    .where('tenant_id', '=', tx.tenantId)
    .where('mode', '=', mode)
    .where('event_id', '=', eventId)
    .execute();
  return { event, logs };
}
