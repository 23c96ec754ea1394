import type { Channel } from '@orqestra/contracts';
import type { SecretBox } from '@orqestra/crypto';
import { withTenant, type Database } from '@orqestra/db';
import { checkBaseUrl, manifestFor, misconfiguredAdapter, type ProviderAdapter } from '@orqestra/providers';
import { enabledProviderConfigs } from './provider-config.repository.js';

export interface ResolvedProvider {
  /** provider_configs.id, or null for built-in providers (push, capture). */
  configId: string | null;
  provider: string;
  adapter: ProviderAdapter;
  /** Send-rate limit shared by all gateways (per second), if the tenant set one. */
  sendRatePerSecond: number | null;
  /** The vendor deduplicates on our idempotency key: retrying an ambiguous send cannot duplicate it. */
  idempotent: boolean;
}

interface CacheEntry {
  /** Shared by every caller while it loads: a cold or expired entry is read and decrypted once, not once per message. */
  providers: Promise<ResolvedProvider[]>;
  expiresAt: number;
}

/**
 * The tenant's enabled provider configs for a channel, by priority, with decrypted credentials
 * and ready adapters. Credentials stay in memory briefly (SPEC §5: a short cache) and never
 * leave this object except inside the adapters.
 */
export class ProviderDirectory {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly builtIns = new Map<string, ResolvedProvider>();

  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
    private readonly options: {
      timeoutMs: number;
      allowPrivateUrls: boolean;
      cacheMs: number;
      centrifugo: { url: string; apiKey: string };
    },
  ) {}

  /** The built-in providers: PUSH through Centrifugo, and the capture provider of sandbox mode. */
  builtIn(kind: 'push' | 'capture', channel: Channel): ResolvedProvider {
    const key = `builtin:${kind}:${channel}`;
    const cached = this.builtIns.get(key);
    if (cached) return cached;
    const manifest = manifestFor(kind === 'push' ? 'push' : 'capture');
    const adapter = manifest.create({
      credentials: kind === 'push' ? { apiUrl: this.options.centrifugo.url, apiKey: this.options.centrifugo.apiKey } : {},
      baseUrl: kind === 'push' ? this.options.centrifugo.url : manifest.defaultBaseUrl,
      timeoutMs: this.options.timeoutMs,
    });
    const resolved = { configId: null, provider: kind, adapter, sendRatePerSecond: null, idempotent: manifest.supportsIdempotencyKey };
    this.builtIns.set(key, resolved);
    return resolved;
  }

  forChannel(tenantId: string, channel: Channel): Promise<ResolvedProvider[]> {
    const key = `${tenantId}:${channel}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.providers;
    const providers = this.load(tenantId, channel);
    const entry = { providers, expiresAt: Number.POSITIVE_INFINITY };
    this.cache.set(key, entry);
    // The lifetime starts once loaded; a failed load is not kept (the next message tries again).
    providers.then(
      () => (entry.expiresAt = Date.now() + this.options.cacheMs),
      () => this.cache.get(key) === entry && this.cache.delete(key),
    );
    return providers;
  }

  private async load(tenantId: string, channel: Channel): Promise<ResolvedProvider[]> {
    const rows = await withTenant(this.database, { tenantId, actorType: 'system_tenant', actorId: 'gateway' }, (tx) =>
      enabledProviderConfigs(tx, channel),
    );
    const providers: ResolvedProvider[] = [];
    for (const row of rows) {
      const manifest = manifestFor(row.provider);
      let adapter: ProviderAdapter;
      try {
        const credentials: unknown = JSON.parse(
          this.box.decrypt(row.credentials_ciphertext, { purpose: 'provider_credentials', tenantId, rowId: row.id }),
        );
        const baseUrl = row.base_url_override ?? manifest.defaultBaseUrl;
        // Checked again at use: the name may resolve elsewhere than when the operator set it.
        if (row.base_url_override) await checkBaseUrl(baseUrl, { allowPrivate: this.options.allowPrivateUrls });
        // An adapter built from invalid credentials answers PROVIDER_MISCONFIGURED itself.
        adapter = manifest.create({
          credentials: credentials as never,
          baseUrl,
          timeoutMs: this.options.timeoutMs,
          allowPrivateAddresses: this.options.allowPrivateUrls,
        });
      } catch (error) {
        adapter = misconfiguredAdapter(
          error instanceof Error ? `${error.name}: the provider config cannot be used` : 'the provider config cannot be used',
        );
      }
      providers.push({
        configId: row.id,
        provider: row.provider,
        adapter,
        sendRatePerSecond: row.send_rate_per_second,
        idempotent: manifest.supportsIdempotencyKey,
      });
    }
    return providers;
  }
}
