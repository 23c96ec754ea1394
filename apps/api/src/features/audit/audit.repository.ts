import type { OperatorTx, SystemTx, TenantTx } from '@orqestra/db';

export interface AuditEntry {
  tenantId: string | null;
  actorType: 'operator' | 'tenant_admin' | 'api_key' | 'system_tenant' | 'system' | 'anonymous';
  actorId: string | null;
  action: string;
  resourceType?: string;
  resourceId?: string;
  /** Secrets must already be redacted by the caller. */
  before?: unknown;
  after?: unknown;
  ip?: string;
  userAgent?: string;
  traceId?: string;
}

/**
 * Appends one audit entry in the caller's transaction, so it commits or rolls back with the change.
 * A system handle may append platform entries only (tenant NULL: e.g. failed logins of unknown users).
 */
export async function appendAudit(tx: OperatorTx | TenantTx | SystemTx, entry: AuditEntry): Promise<void> {
  await tx.db
    .insertInto('audit_logs')
    .values({
      tenant_id: entry.tenantId,
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      resource_type: entry.resourceType ?? null,
      resource_id: entry.resourceId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      ip: entry.ip ?? null,
      user_agent: entry.userAgent ?? null,
      trace_id: entry.traceId ?? null,
    })
    .execute();
}
