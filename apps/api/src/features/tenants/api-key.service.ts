import { insertApiKey, type Database } from '@orqestra/db';
import { generateApiKey } from '../../platform/api-keys.js';
import type { Clock } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import type { AuthAnnouncements } from './auth-announcer.js';
import { type Actor, assertLiveTenant, auditBy, inTenantScope } from '../../platform/auth/actor.js';
import { type PageQuery } from '../../platform/query-params.js';
import { expireKeys, listLiveKeys, lockLiveKeysOutliving, revokeKeys, type KeyRow } from './api-key.repository.js';

export interface ApiKeyView {
  id: string;
  /** `oq_live_` plus the key's first 4 characters: enough to recognise it, never more. */
  displayPrefix: string;
  mode: 'live' | 'sandbox';
  state: 'active' | 'expiring' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface RotatedKey {
  /** The new live key, shown once. */
  apiKey: string;
  key: ApiKeyView;
  /** The keys it replaces, with the end of their grace (or revoked now when the grace is 0). */
  previous: ApiKeyView[];
}

/**
 * Live API key rotation (SPEC §6/§7), for the operator and for the tenant's own admin: a new key
 * shown once; the tenant's other live keys keep working for the grace period (default 24 h) and
 * are refused after it — the resolver refuses a key past its expires_at even from its cache. A
 * grace of 0 revokes them now. Old keys are announced after commit so no API process keeps a
 * cached view of them without their new expiry.
 */
export class ApiKeyService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly announcer: AuthAnnouncements,
  ) {}

  async rotate(actor: Actor, tenantId: string, graceHours: number): Promise<RotatedKey> {
    const key = generateApiKey('live');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + Math.round(graceHours * 3_600_000));
    const { created, previous, hashes } = await inTenantScope(this.database, actor, tenantId, async (tx) => {
      await assertLiveTenant(tx, tenantId);
      // Keys already expiring sooner keep their earlier end; a grace never extends a key's life.
      const current = await lockLiveKeysOutliving(tx, tenantId, graceHours === 0 ? now : expiresAt);
      const ids = current.map((row) => row.id);
      let previousRows: KeyRow[] = [];
      if (ids.length > 0) previousRows = graceHours === 0 ? await revokeKeys(tx, ids, now) : await expireKeys(tx, ids, expiresAt);
      const inserted = await insertApiKey(tx, { tenantId, keyHash: key.hash, displayPrefix: key.displayPrefix, mode: 'live' });
      const previousViews = previousRows.map((row) => toView(row, now));
      await appendAudit(tx, {
        ...auditBy(actor),
        tenantId,
        action: 'api_key.rotate',
        resourceType: 'api_key',
        resourceId: inserted.id,
        before: { keys: previousRows.map((row) => ({ id: row.id, displayPrefix: row.display_prefix })) },
        after: {
          apiKeyPrefix: inserted.display_prefix,
          graceHours,
          previous: previousViews.map((v) => ({ id: v.id, expiresAt: v.expiresAt, revokedAt: v.revokedAt })),
        },
      });
      return { created: toView(inserted, now), previous: previousViews, hashes: current.map((row) => row.key_hash) };
    });
    await this.announcer.announce(...hashes.map((keyHash) => ({ type: 'api_key' as const, keyHash })));
    return { apiKey: key.plaintext, key: created, previous };
  }

  async list(actor: Actor, tenantId: string, page: PageQuery): Promise<{ keys: ApiKeyView[]; total: number }> {
    const now = this.clock.now();
    return inTenantScope(this.database, actor, tenantId, async (tx) => {
      await assertLiveTenant(tx, tenantId);
      const { rows, total } = await listLiveKeys(tx, tenantId, page);
      return { keys: rows.map((row) => toView(row, now)), total };
    });
  }
}

function toView(row: KeyRow, now: Date): ApiKeyView {
  const state: ApiKeyView['state'] =
    row.status === 'revoked'
      ? 'revoked'
      : row.expires_at === null
        ? 'active'
        : row.expires_at.getTime() > now.getTime()
          ? 'expiring'
          : 'expired';
  return {
    id: row.id,
    displayPrefix: row.display_prefix,
    mode: row.mode,
    state,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
