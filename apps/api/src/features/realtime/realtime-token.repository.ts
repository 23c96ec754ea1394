import type { TenantTx } from '@orqestra/db';

/** What minting a realtime token reads, inside the tenant-scoped transaction. */
export const realtimeTokenRepository = {
  /** The tenant's realtime namespaces (tenants.realtime_namespaces), as configured. */
  async namespaces(tx: TenantTx): Promise<string[]> {
    const row = await tx.db.selectFrom('tenants').select('realtime_namespaces').where('id', '=', tx.tenantId).executeTakeFirstOrThrow();
    return row.realtime_namespaces;
  },
};
