import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Mode } from '@orqestra/contracts';
import { authApiKey, tenantStatus, withTenant, type ApiKeyAuthRow, type Database, type TenantTx } from '@orqestra/db';
import type { Clock } from '../tokens.js';
import { hashApiKey } from '../api-keys.js';

/** Redis pub/sub channel on which key revocations and tenant changes are announced. */
export const AUTH_INVALIDATION_CHANNEL = 'orqestra:auth-invalidation';

export type AuthInvalidation = { type: 'api_key'; keyHash: string } | { type: 'tenant'; tenantId: string };

export interface ApiKeyPrincipal {
  apiKeyId: string;
  tenantId: string;
  mode: Mode;
  sandboxSessionId: string | null;
  tenantStatus: 'active' | 'suspended' | 'deleted';
  limits: { perMinute: number; burst: number; dailyCap: number };
  /** Grace expiry of a rotated key (epoch ms), or null. */
  keyExpiresAt: number | null;
  /** Webhook secrets (ciphertexts) that verify signatures: the current one, and the previous one until its grace ends. */
  webhookSecrets: { purpose: 'webhook_secret' | 'webhook_secret_previous'; ciphertext: string; validUntil: number | null }[];
}

/**
 * A sandbox key that stopped working (SPEC §7): ended early (revoked) or past its expiry. Not a
 * principal; the guard answers SANDBOX_SESSION_INVALID and audits the attempt against its tenant.
 */
export interface InactiveSandboxKey {
  apiKeyId: string;
  tenantId: string;
  sandboxSessionId: string;
  reason: 'ended' | 'expired';
}

export interface ApiKeyLookup {
  principal: ApiKeyPrincipal | null;
  inactiveSandbox: InactiveSandboxKey | null;
}

export type TenantStatus = ApiKeyPrincipal['tenantStatus'];

interface TenantEntry {
  status: Promise<TenantStatus>;
  expiresAt: number;
}

interface CacheEntry {
  principal: ApiKeyPrincipal | null;
  /** A revoked sandbox key's session (revoked keys have no principal). */
  revokedSandbox: InactiveSandboxKey | null;
  expiresAt: number;
}

/**
 * API key → tenant, cached in process (SPEC §7). The hot path reads no database: an entry is
 * trusted for at most `ttlSeconds` (≤ 5) and dropped at once when a revocation or a tenant change
 * is announced on Redis pub/sub, so a revoked key or a suspended tenant is refused everywhere
 * within 5 seconds even if an announcement is lost. Unknown keys are cached briefly too, so a
 * spray of random keys does not become a spray of database queries.
 *
 * The same cache, with the same TTL and invalidation, answers the AccessGuard's question "is this
 * tenant still active?" (tenantStatus), so a suspended or deleted tenant's admins are refused
 * within 5 seconds too, even with access tokens issued before.
 */
export class ApiKeyResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly tenants = new Map<string, TenantEntry>();
  private static readonly MAX_ENTRIES = 50_000;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  async resolve(plaintextKey: string): Promise<ApiKeyPrincipal | null> {
    return (await this.lookup(plaintextKey)).principal;
  }

  /** resolve(), and for a sandbox key that stopped working, which session it belonged to. */
  async lookup(plaintextKey: string): Promise<ApiKeyLookup> {
    const keyHash = hashApiKey(plaintextKey);
    const now = this.clock.now().getTime();
    const cached = this.cache.get(keyHash);
    if (cached && cached.expiresAt > now) return looked(cached, now);
    const row = await authApiKey(this.database, keyHash);
    const entry: CacheEntry = {
      principal: row ? toPrincipal(row) : null,
      revokedSandbox: row ? revokedSandbox(row) : null,
      expiresAt: now + this.ttlSeconds * 1000,
    };
    if (this.cache.size >= ApiKeyResolver.MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(keyHash, entry);
    return looked(entry, now);
  }

  /**
   * A tenant's status, read in the tenant's own context (a tenant sees its own row; `actorId`
   * names the admin asking); a tenant that is not there counts as deleted. A failed read is not
   * cached.
   */
  async tenantStatus(tenantId: string, actorId: string): Promise<TenantStatus> {
    const now = this.clock.now().getTime();
    const cached = this.tenants.get(tenantId);
    if (cached && cached.expiresAt > now) return cached.status;
    const entry: TenantEntry = {
      status: withTenant(this.database, { tenantId, actorType: 'tenant_admin', actorId }, readTenantStatus),
      expiresAt: now + this.ttlSeconds * 1000,
    };
    if (this.tenants.size >= ApiKeyResolver.MAX_ENTRIES) this.tenants.delete(this.tenants.keys().next().value as string);
    this.tenants.set(tenantId, entry);
    entry.status.catch(() => {
      if (this.tenants.get(tenantId) === entry) this.tenants.delete(tenantId);
    });
    return entry.status;
  }

  invalidate(message: AuthInvalidation): void {
    if (message.type === 'api_key') {
      this.cache.delete(message.keyHash);
      return;
    }
    this.tenants.delete(message.tenantId);
    for (const [hash, entry] of this.cache) {
      if (entry.principal?.tenantId === message.tenantId) this.cache.delete(hash);
    }
  }

  /**
   * Listens for invalidations on a dedicated subscriber connection. Does not wait for Redis: the
   * API starts (and answers 503 where it needs Redis) while Redis is away; the cache's short TTL
   * bounds staleness until the subscription is up.
   */
  subscribe(subscriber: Redis, logger: Logger): void {
    subscriber.on('message', (_channel: string, raw: string) => {
      try {
        this.invalidate(JSON.parse(raw) as AuthInvalidation);
      } catch (error) {
        logger.warn({ err: error }, 'ignored a malformed auth invalidation');
      }
    });
    // After a reconnect some announcements may have been missed: start from a clean cache.
    subscriber.on('ready', () => {
      this.cache.clear();
      this.tenants.clear();
    });
    subscriber
      .subscribe(AUTH_INVALIDATION_CHANNEL)
      .catch((error: unknown) => logger.warn({ err: error }, 'auth invalidation subscription failed'));
  }
}

/** Announces a change so every API process drops its cached view at once. */
export async function announceAuthInvalidation(redis: Redis, message: AuthInvalidation): Promise<void> {
  await redis.publish(AUTH_INVALIDATION_CHANNEL, JSON.stringify(message));
}

async function readTenantStatus(tx: TenantTx): Promise<TenantStatus> {
  return (await tenantStatus(tx, tx.tenantId)) ?? 'deleted';
}

function toPrincipal(row: ApiKeyAuthRow): ApiKeyPrincipal | null {
  if (row.key_status !== 'active') return null;
  const secrets: ApiKeyPrincipal['webhookSecrets'] = [];
  if (row.webhook_secret_ciphertext)
    secrets.push({ purpose: 'webhook_secret', ciphertext: row.webhook_secret_ciphertext, validUntil: null });
  if (row.webhook_secret_previous_ciphertext && row.webhook_secret_previous_expires_at) {
    secrets.push({
      purpose: 'webhook_secret_previous',
      ciphertext: row.webhook_secret_previous_ciphertext,
      validUntil: row.webhook_secret_previous_expires_at.getTime(),
    });
  }
  return {
    apiKeyId: row.api_key_id,
    tenantId: row.tenant_id,
    mode: row.mode,
    sandboxSessionId: row.sandbox_session_id,
    tenantStatus: row.tenant_status,
    limits: { perMinute: row.rate_limit_per_minute, burst: row.burst, dailyCap: row.daily_cap },
    keyExpiresAt: row.key_expires_at?.getTime() ?? null,
    webhookSecrets: secrets,
  };
}

function revokedSandbox(row: ApiKeyAuthRow): InactiveSandboxKey | null {
  if (row.mode !== 'sandbox' || row.key_status === 'active' || !row.sandbox_session_id) return null;
  return { apiKeyId: row.api_key_id, tenantId: row.tenant_id, sandboxSessionId: row.sandbox_session_id, reason: 'ended' };
}

function looked(entry: CacheEntry, now: number): ApiKeyLookup {
  const principal = usable(entry.principal, now);
  if (principal || entry.revokedSandbox) return { principal, inactiveSandbox: entry.revokedSandbox };
  const lapsed = entry.principal;
  const inactiveSandbox =
    lapsed?.mode === 'sandbox' && lapsed.sandboxSessionId
      ? { apiKeyId: lapsed.apiKeyId, tenantId: lapsed.tenantId, sandboxSessionId: lapsed.sandboxSessionId, reason: 'expired' as const }
      : null;
  return { principal: null, inactiveSandbox };
}

/** A key past its grace expiry is refused even while its cache entry is fresh. */
function usable(principal: ApiKeyPrincipal | null, now: number): ApiKeyPrincipal | null {
  return principal && (principal.keyExpiresAt === null || principal.keyExpiresAt > now) ? principal : null;
}
