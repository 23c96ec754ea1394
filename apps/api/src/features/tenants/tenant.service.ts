import { insertTenantWithApiKey, withOperator, type Database, type NewTenant, type OperatorTx, type TenantRow } from '@orqestra/db';
import { generateApiKey } from '../../platform/api-keys.js';
import { AppError } from '../../platform/errors.js';
import { appendAudit } from '../audit/audit.repository.js';
import { revokeTenantSessions } from '../auth/session.repository.js';
import { silentAnnouncer, type AuthAnnouncements } from './auth-announcer.js';
import type { TenantPatch, TenantView } from './tenant.schemas.js';
import { auditBy, type Actor, type AuditedActor } from '../../platform/auth/actor.js';
import { type PageQuery } from '../../platform/query-params.js';
import { findTenant, listTenants, setTenantStatus, updateTenantSettings } from './tenant.repository.js';

export interface CreatedTenant {
  tenantId: string;
  name: string;
  /** The live API key, shown once: only its hash is stored. */
  apiKey: string;
  apiKeyPrefix: string;
  tenant: TenantView;
}

/**
 * Tenants as the platform operator manages them (SPEC §6): create (API key shown once), list,
 * read, update settings, suspend / reactivate, soft delete. Every change is audited in its own
 * transaction; changes that the API key cache holds (status, limits) are announced after commit,
 * so every API process applies them at once (and within 5 s even if the announcement is lost).
 * Operator queries run as the RLS operator actor, never a bypass.
 */
export class TenantService {
  constructor(
    private readonly database: Database,
    private readonly announcer: AuthAnnouncements = silentAnnouncer,
    /** Ends the access tokens of the sessions a suspension or deletion revokes (AccessDenyList). */
    private readonly sessions: { denyFamilies(familyIds: Iterable<string>): Promise<void> } = { denyFamilies: async () => {} },
  ) {}

  /** Creates a tenant with one live API key, audited in the same transaction. */
  async create(operator: string | Actor, input: NewTenant): Promise<CreatedTenant> {
    const actor: AuditedActor = typeof operator === 'string' ? { type: 'operator', id: operator } : operator;
    const key = generateApiKey('live');
    const { tenant, apiKey } = await withOperator(this.database, actor.id, async (tx) => {
      const created = await insertTenantWithApiKey(tx, { ...input, apiKeyHash: key.hash, displayPrefix: key.displayPrefix });
      await appendAudit(tx, {
        ...auditBy(actor),
        tenantId: created.tenant.id,
        action: 'tenant.create',
        resourceType: 'tenant',
        resourceId: created.tenant.id,
        after: { ...settingsOf(created.tenant), apiKeyPrefix: created.apiKey.display_prefix },
      });
      return created;
    });
    return { tenantId: tenant.id, name: tenant.name, apiKey: key.plaintext, apiKeyPrefix: apiKey.display_prefix, tenant: toView(tenant) };
  }

  async list(operatorId: string, query: PageQuery & { status?: TenantRow['status'] }): Promise<{ tenants: TenantView[]; total: number }> {
    return withOperator(this.database, operatorId, async (tx) => {
      const { rows, total } = await listTenants(tx, query);
      return { tenants: rows.map(toView), total };
    });
  }

  async get(operatorId: string, tenantId: string): Promise<TenantView> {
    return withOperator(this.database, operatorId, async (tx) => toView(await this.load(tx, tenantId)));
  }

  async update(actor: Actor, tenantId: string, patch: TenantPatch): Promise<TenantView> {
    const updated = await withOperator(this.database, actor.id, async (tx) => {
      const before = await this.load(tx, tenantId, { forUpdate: true });
      if (before.status === 'deleted') throw new AppError('CONFLICT', { message: 'The tenant is deleted' });
      const after = await updateTenantSettings(tx, tenantId, patch);
      await appendAudit(tx, {
        ...auditBy(actor),
        tenantId,
        action: 'tenant.update',
        resourceType: 'tenant',
        resourceId: tenantId,
        ...changed(settingsOf(before), settingsOf(after)),
      });
      return after;
    });
    await this.announcer.announce({ type: 'tenant', tenantId });
    return toView(updated);
  }

  /** suspend: active → suspended; reactivate: suspended → active. Other transitions are 409. */
  async setSuspended(actor: Actor, tenantId: string, suspended: boolean): Promise<TenantView> {
    const [from, to] = suspended ? (['active', 'suspended'] as const) : (['suspended', 'active'] as const);
    return this.transition(actor, tenantId, from, to, suspended ? 'tenant.suspend' : 'tenant.reactivate');
  }

  /** Soft delete (SPEC §6): status deleted and deleted_at now; its keys are refused from now on. */
  async softDelete(actor: Actor, tenantId: string): Promise<TenantView> {
    return this.transition(actor, tenantId, null, 'deleted', 'tenant.delete');
  }

  /**
   * A suspension or deletion also revokes every admin session of the tenant in the same
   * transaction (their refresh tokens never work again, even after a reactivation) and denies
   * their access tokens; the AccessGuard refuses the tenant's tokens anyway from the announcement on.
   */
  private async transition(
    actor: Actor,
    tenantId: string,
    from: TenantRow['status'] | null,
    to: TenantRow['status'],
    action: string,
  ): Promise<TenantView> {
    let ended: string[] = [];
    const updated = await withOperator(this.database, actor.id, async (tx) => {
      const before = await this.load(tx, tenantId, { forUpdate: true });
      if (before.status === 'deleted') throw new AppError('CONFLICT', { message: 'The tenant is deleted' });
      if (from !== null && before.status !== from)
        throw new AppError('CONFLICT', { message: `The tenant is ${before.status}, not ${from}` });
      const after = await setTenantStatus(tx, tenantId, to);
      ended = to === 'active' ? [] : [...new Set(await revokeTenantSessions(tx, tenantId, `tenant_${to}`))];
      await appendAudit(tx, {
        ...auditBy(actor),
        tenantId,
        action,
        resourceType: 'tenant',
        resourceId: tenantId,
        before: { status: before.status },
        after: { status: after.status, ...(to === 'active' ? {} : { sessionsRevoked: ended.length }) },
      });
      return after;
    });
    await this.announcer.announce({ type: 'tenant', tenantId });
    await this.sessions.denyFamilies(ended);
    return toView(updated);
  }

  private async load(tx: OperatorTx, tenantId: string, options: { forUpdate?: boolean } = {}): Promise<TenantRow> {
    const row = await findTenant(tx, tenantId, options);
    if (!row) throw new AppError('NOT_FOUND', { message: 'Tenant not found' });
    return row;
  }
}

/** The settings of a tenant row as audit before/after values: no secret column, ever. */
function settingsOf(row: TenantRow) {
  return {
    name: row.name,
    rateLimitPerMinute: row.rate_limit_per_minute,
    burst: row.burst,
    dailyCap: row.daily_cap,
    deliveryChannels: row.delivery_channels,
    defaultLocale: row.default_locale,
    ambiguousSendPolicy: row.ambiguous_send_policy,
    realtimeNamespaces: row.realtime_namespaces,
  };
}

/** Only the fields that changed, before and after. */
function changed<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

export function toView(row: TenantRow): TenantView {
  return {
    id: row.id,
    status: row.status,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    ...settingsOf(row),
    webhookSecret: {
      set: row.webhook_secret_ciphertext !== null,
      previousValidUntil:
        row.webhook_secret_previous_ciphertext !== null && row.webhook_secret_previous_expires_at !== null
          ? row.webhook_secret_previous_expires_at.toISOString()
          : null,
    },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
