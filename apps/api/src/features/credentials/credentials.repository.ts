import type { SystemTx } from '@orqestra/db';

/**
 * The secrets at rest that a master-key rotation re-seals (packages/crypto/README.md), read and
 * written as the `system` actor, whose policies allow exactly these columns. Each write matches
 * the ciphertext it replaces, so a row changed meanwhile is left alone.
 */

export function listProviderCredentials(tx: SystemTx): Promise<{ id: string; tenant_id: string; credentials_ciphertext: string }[]> {
  return tx.db.selectFrom('provider_configs').select(['id', 'tenant_id', 'credentials_ciphertext']).execute();
}

export async function replaceProviderCredentials(tx: SystemTx, configId: string, current: string, next: string): Promise<void> {
  await tx.db
    .updateTable('provider_configs')
    .set({ credentials_ciphertext: next })
    .where('id', '=', configId)
    .where('credentials_ciphertext', '=', current)
    .execute();
}

export type WebhookSecretColumn = 'webhook_secret_ciphertext' | 'webhook_secret_previous_ciphertext';

export function listWebhookSecrets(tx: SystemTx): Promise<({ id: string } & Record<WebhookSecretColumn, string | null>)[]> {
  return tx.db.selectFrom('tenants').select(['id', 'webhook_secret_ciphertext', 'webhook_secret_previous_ciphertext']).execute();
}

export async function replaceWebhookSecret(
  tx: SystemTx,
  tenantId: string,
  column: WebhookSecretColumn,
  current: string,
  next: string,
): Promise<void> {
  await tx.db
    .updateTable('tenants')
    .set({ [column]: next })
    .where('id', '=', tenantId)
    .where(column, '=', current)
    .execute();
}
