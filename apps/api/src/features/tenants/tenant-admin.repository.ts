import { sql } from 'kysely';
import type { OperatorTx, TenantAdminRow } from '@orqestra/db';
import type { PageQuery } from '../../platform/query-params.js';

/**
 * A tenant's console users as the operator manages them (SPEC §6), in the operator's unit of work.
 * New admins are inserted with insertTenantAdmin (packages/db); their sessions are revoked through
 * auth/session.repository.ts.
 */

/** Any tenant admin with this email address, compared case-insensitively (addresses are unique across tenants). */
export function findTenantAdminByEmail(tx: OperatorTx, email: string): Promise<{ id: string } | undefined> {
  return tx.db
    .selectFrom('tenant_admins')
    .select('id')
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .executeTakeFirst();
}

/** A page of the tenant's admins, oldest first, with their total. */
export async function listTenantAdmins(
  tx: OperatorTx,
  tenantId: string,
  page: PageQuery,
): Promise<{ rows: TenantAdminRow[]; total: number }> {
  const base = tx.db.selectFrom('tenant_admins').where('tenant_id', '=', tenantId);
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit)
      .offset((page.page - 1) * page.limit)
      .execute(),
    base.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** One admin of the tenant, locked for the rest of the transaction. */
export function lockTenantAdmin(tx: OperatorTx, tenantId: string, adminId: string): Promise<TenantAdminRow | undefined> {
  return tx.db
    .selectFrom('tenant_admins')
    .selectAll()
    .where('id', '=', adminId)
    .where('tenant_id', '=', tenantId)
    .forUpdate()
    .executeTakeFirst();
}

/** A new (temporary) password hash that must be changed at the next sign-in; undefined when the tenant has no such admin. */
export function setTemporaryPassword(
  tx: OperatorTx,
  tenantId: string,
  adminId: string,
  passwordHash: string,
): Promise<TenantAdminRow | undefined> {
  return tx.db
    .updateTable('tenant_admins')
    .set({ password_hash: passwordHash, must_change_password: true, updated_at: new Date() })
    .where('id', '=', adminId)
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirst();
}

/** Disables or enables an admin of the tenant; returns the row after. */
export function setTenantAdminStatus(
  tx: OperatorTx,
  tenantId: string,
  adminId: string,
  status: TenantAdminRow['status'],
): Promise<TenantAdminRow> {
  return tx.db
    .updateTable('tenant_admins')
    .set({ status, updated_at: new Date() })
    .where('id', '=', adminId)
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
