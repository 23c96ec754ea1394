import { sql } from 'kysely';
import type { OperatorTx, TenantTx } from '@orqestra/db';
import type { PageQuery } from '../../platform/query-params.js';

/**
 * Statements on a tenant's live API keys (SPEC §6/§7), inside the tenant's scope (its own admin,
 * or an operator confined to it). New keys are inserted with insertApiKey (packages/db).
 */
export type ScopeTx = TenantTx | OperatorTx;

export type KeyRow = {
  id: string;
  display_prefix: string;
  mode: 'live' | 'sandbox';
  status: 'active' | 'revoked';
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
};

const KEY_COLUMNS = ['id', 'display_prefix', 'mode', 'status', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'] as const;

/**
 * Locks the tenant's active live keys that would still work after `endsAfter` (no expiry, or a
 * later one): the keys a rotation shortens. Keys already expiring sooner are left out.
 */
export function lockLiveKeysOutliving(tx: ScopeTx, tenantId: string, endsAfter: Date): Promise<{ id: string; key_hash: string }[]> {
  return tx.db
    .selectFrom('api_keys')
    .select(['id', 'key_hash'])
    .where('tenant_id', '=', tenantId)
    .where('mode', '=', 'live')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', endsAfter)]))
    .forUpdate()
    .execute();
}

/** Revokes the keys now; returns them as they are after. */
export function revokeKeys(tx: ScopeTx, ids: string[], now: Date): Promise<KeyRow[]> {
  return tx.db.updateTable('api_keys').set({ status: 'revoked', revoked_at: now }).where('id', 'in', ids).returning(KEY_COLUMNS).execute();
}

/** Lets the keys work until `expiresAt`; returns them as they are after. */
export function expireKeys(tx: ScopeTx, ids: string[], expiresAt: Date): Promise<KeyRow[]> {
  return tx.db.updateTable('api_keys').set({ expires_at: expiresAt }).where('id', 'in', ids).returning(KEY_COLUMNS).execute();
}

/** A page of the tenant's live keys, newest first, with their total. */
export async function listLiveKeys(tx: ScopeTx, tenantId: string, page: PageQuery): Promise<{ rows: KeyRow[]; total: number }> {
  const base = tx.db.selectFrom('api_keys').where('tenant_id', '=', tenantId).where('mode', '=', 'live');
  const [rows, count] = await Promise.all([
    base
      .select(KEY_COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset((page.page - 1) * page.limit)
      .execute(),
    base.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
