import { sql } from 'kysely';
import type { Channel } from '@orqestra/contracts';
import type { OperatorTx, TenantTx } from '@orqestra/db';

/**
 * Every statement on `provider_configs` but the insert, which is `insertProviderConfig` in
 * @orqestra/db (shared with the test fixtures). The services decide (credentials, base-URL rules,
 * audit); these functions only query, in the caller's transaction.
 */

export interface ProviderConfigPatch {
  priority?: number;
  enabled?: boolean;
  send_rate_per_second?: number | null;
  /** JSON text. */
  settings?: string;
  credentials_ciphertext?: string;
  credentials_last4?: string;
}

/** Whether the tenant exists (an operator's view of a tenant's configs answers NOT_FOUND otherwise). */
export async function tenantExists(tx: TenantTx | OperatorTx, tenantId: string): Promise<boolean> {
  const tenant = await tx.db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
  return tenant !== undefined;
}

/** A page of the tenant's configs by channel, priority and age, and the count of all that match. */
export async function pageProviderConfigs(
  tx: TenantTx | OperatorTx,
  tenantId: string,
  filter: { channel?: Channel; page: number; limit: number },
) {
  let query = tx.db.selectFrom('provider_configs').where('tenant_id', '=', tenantId);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await query
    .selectAll()
    .orderBy('channel')
    .orderBy('priority')
    .orderBy('created_at')
    .limit(filter.limit)
    .offset((filter.page - 1) * filter.limit)
    .execute();
  return { rows, total };
}

/** Every config of the tenant, by channel and priority (the CLI's list). */
export function listProviderConfigs(tx: OperatorTx, tenantId: string) {
  return tx.db
    .selectFrom('provider_configs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('channel')
    .orderBy('priority')
    .execute();
}

/** One config of the handle's tenant; `forUpdate` locks it for the change that follows. */
export function findProviderConfig(tx: TenantTx, id: string, forUpdate = false) {
  let query = tx.db.selectFrom('provider_configs').selectAll().where('tenant_id', '=', tx.tenantId).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Applies the patch (updated_at by the database clock) and returns the row as it now is. */
export function updateProviderConfig(tx: TenantTx, id: string, patch: ProviderConfigPatch) {
  return tx.db
    .updateTable('provider_configs')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tx.tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteProviderConfig(tx: TenantTx, id: string): Promise<void> {
  await tx.db.deleteFrom('provider_configs').where('tenant_id', '=', tx.tenantId).where('id', '=', id).execute();
}

/** The config's base-URL override, locked for the change that follows; undefined when no such config in that tenant. */
export function lockBaseUrlOverride(tx: OperatorTx, tenantId: string, providerId: string) {
  return tx.db
    .selectFrom('provider_configs')
    .select(['base_url_override'])
    .where('id', '=', providerId)
    .where('tenant_id', '=', tenantId)
    .forUpdate()
    .executeTakeFirst();
}

/** Sets (or with null clears) the override; returns what the operator's answer shows. */
export function setBaseUrlOverride(tx: OperatorTx, tenantId: string, providerId: string, baseUrl: string | null) {
  return tx.db
    .updateTable('provider_configs')
    .set({ base_url_override: baseUrl, updated_at: new Date() })
    .where('id', '=', providerId)
    .where('tenant_id', '=', tenantId)
    .returning(['id', 'tenant_id', 'provider', 'channel', 'base_url_override'])
    .executeTakeFirstOrThrow();
}
