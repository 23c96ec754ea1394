import type { Selectable } from 'kysely';
import type { OperatorTx, TenantTx } from './context.js';
import type { ProviderConfigs } from './generated/db.js';

export type ProviderConfigRow = Selectable<ProviderConfigs>;

export interface NewProviderConfig {
  /**
   * Chosen by the caller before the insert: the credentials are encrypted with the row id as
   * authenticated data (SecretPurpose.providerCredentials, bound to tenant and row).
   */
  id: string;
  /** Defaults to the handle's tenant (an operator handle confined to one, or a tenant's). */
  tenantId?: string;
  channel: 'EMAIL' | 'SMS' | 'PUSH';
  provider: string;
  priority?: number;
  enabled?: boolean;
  sendRatePerSecond?: number | null;
  /** An operator's override of the vendor's base URL, already checked by the caller. */
  baseUrlOverride?: string | null;
  /** Non-secret settings shown back as saved. */
  settings?: Record<string, unknown>;
  /** The sealed credentials: the caller validates and encrypts them. */
  credentialsCiphertext: string;
  /** What is shown of the secret (at most 4 characters). */
  credentialsLast4: string;
}

/**
 * Inserts a provider config, the one insert of `provider_configs` (the admin API, the CLI and the
 * test fixtures). Like the other primitives here it only inserts: validation of the provider and
 * its credentials, the base-URL rules, encryption and the audit entry belong to the caller. Unset
 * fields take the table's defaults (priority 0, enabled, no rate, no override, settings {}).
 */
export async function insertProviderConfig(tx: OperatorTx | TenantTx, input: NewProviderConfig): Promise<ProviderConfigRow> {
  const tenantId = input.tenantId ?? tx.tenantId;
  if (tenantId === null) throw new Error('insertProviderConfig needs a tenant id');
  return tx.db
    .insertInto('provider_configs')
    .values({
      id: input.id,
      tenant_id: tenantId,
      channel: input.channel,
      provider: input.provider,
      priority: input.priority ?? 0,
      enabled: input.enabled ?? true,
      send_rate_per_second: input.sendRatePerSecond ?? null,
      base_url_override: input.baseUrlOverride ?? null,
      settings: JSON.stringify(input.settings ?? {}),
      credentials_ciphertext: input.credentialsCiphertext,
      credentials_last4: input.credentialsLast4,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
