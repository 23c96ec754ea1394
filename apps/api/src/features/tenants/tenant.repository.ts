import { sql } from 'kysely';
import type { OperatorTx, TenantRow } from '@orqestra/db';
import type { PageQuery } from '../../platform/query-params.js';
import type { TenantPatch } from './tenant.schemas.js';

/**
 * The operator's statements on `tenants` (SPEC §6), in the operator's unit of work. Creation goes
 * through insertTenantWithApiKey (packages/db), which the CLI shares.
 */

/** Columns an operator's update may change, by API field. */
const COLUMNS = {
  name: 'name',
  rateLimitPerMinute: 'rate_limit_per_minute',
  burst: 'burst',
  dailyCap: 'daily_cap',
  deliveryChannels: 'delivery_channels',
  defaultLocale: 'default_locale',
  ambiguousSendPolicy: 'ambiguous_send_policy',
  realtimeNamespaces: 'realtime_namespaces',
} as const satisfies Record<keyof TenantPatch, keyof TenantRow>;

/** A page of tenants, newest first: of one status, or every tenant not deleted. */
export async function listTenants(
  tx: OperatorTx,
  query: PageQuery & { status?: TenantRow['status'] },
): Promise<{ rows: TenantRow[]; total: number }> {
  let base = tx.db.selectFrom('tenants');
  base = query.status ? base.where('status', '=', query.status) : base.where('status', '!=', 'deleted');
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute(),
    base.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** One tenant; locked for the rest of the transaction when `forUpdate`. */
export async function findTenant(tx: OperatorTx, tenantId: string, options: { forUpdate?: boolean } = {}): Promise<TenantRow | undefined> {
  let query = tx.db.selectFrom('tenants').selectAll().where('id', '=', tenantId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Writes the fields present in the patch (and updated_at); returns the row after. */
export async function updateTenantSettings(tx: OperatorTx, tenantId: string, patch: TenantPatch): Promise<TenantRow> {
  const values: Record<string, unknown> = { updated_at: new Date() };
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = patch[field as keyof TenantPatch];
    if (value !== undefined) values[column] = value;
  }
  return tx.db.updateTable('tenants').set(values).where('id', '=', tenantId).returningAll().executeTakeFirstOrThrow();
}

/** Sets the status; deleted_at is now for a deletion and cleared otherwise. Returns the row after. */
export async function setTenantStatus(tx: OperatorTx, tenantId: string, status: TenantRow['status']): Promise<TenantRow> {
  return tx.db
    .updateTable('tenants')
    .set({ status, deleted_at: status === 'deleted' ? new Date() : null, updated_at: new Date() })
    .where('id', '=', tenantId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
