import type { Channel } from '@orqestra/contracts';
import type { TenantTx } from '@orqestra/db';

/**
 * The gateway's one read of `provider_configs`: the tenant's enabled configs for a channel, in the
 * order they are tried (priority, then age), with what building an adapter needs. The configs are
 * written by the API (and the CLI) through insertProviderConfig in @orqestra/db.
 */
export function enabledProviderConfigs(tx: TenantTx, channel: Channel) {
  return tx.db
    .selectFrom('provider_configs')
    .select(['id', 'provider', 'base_url_override', 'credentials_ciphertext', 'send_rate_per_second'])
    .where('tenant_id', '=', tx.tenantId)
    .where('channel', '=', channel)
    .where('enabled', '=', true)
    .orderBy('priority')
    .orderBy('created_at')
    .execute();
}
