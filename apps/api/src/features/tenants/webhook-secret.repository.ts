import type { OperatorTx, TenantTx } from '@orqestra/db';

/**
 * The webhook-secret columns of a tenant row (SPEC §2.1, §6), inside the tenant's scope (its own
 * admin, or an operator confined to it). Ciphertexts only: sealing and opening is the caller's.
 */
export type WebhookSecretColumns = {
  webhook_secret_ciphertext: string | null;
  webhook_secret_previous_ciphertext: string | null;
  webhook_secret_previous_expires_at: Date | null;
};

export type WebhookSecretRow = WebhookSecretColumns & { status: 'active' | 'suspended' | 'deleted' };

const COLUMNS = [
  'status',
  'webhook_secret_ciphertext',
  'webhook_secret_previous_ciphertext',
  'webhook_secret_previous_expires_at',
] as const;

/** The tenant's status and secret columns, locked for the rest of the transaction; undefined when there is no such tenant. */
export function lockWebhookSecret(tx: OperatorTx | TenantTx, tenantId: string): Promise<WebhookSecretRow | undefined> {
  return tx.db.selectFrom('tenants').select(COLUMNS).where('id', '=', tenantId).forUpdate().executeTakeFirst();
}

/** Writes the secret columns (and updated_at); returns the row after. */
export function updateWebhookSecret(tx: OperatorTx | TenantTx, tenantId: string, columns: WebhookSecretColumns): Promise<WebhookSecretRow> {
  return tx.db
    .updateTable('tenants')
    .set({ ...columns, updated_at: new Date() })
    .where('id', '=', tenantId)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}
