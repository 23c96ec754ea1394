import type { Insertable, Selectable } from 'kysely';
import type { OperatorTx, TenantTx } from './context.js';
import type { ApiKeys, TenantAdmins, Tenants } from './generated/db.js';

/**
 * Small primitives for the operator CLI and the admin API (`tenant create`, key rotation, first
 * tenant admin), and the tenant-status look-up the API's auth layer shares with the features.
 * The writes only insert; validation, audit entries and secrets (generating the key, hashing the
 * password) belong to the caller.
 */

export type TenantRow = Selectable<Tenants>;
export type ApiKeyRow = Selectable<ApiKeys>;
export type TenantAdminRow = Selectable<TenantAdmins>;

export interface NewTenant {
  name: string;
  rateLimitPerMinute?: number;
  burst?: number;
  dailyCap?: number;
  deliveryChannels?: ('EMAIL' | 'SMS' | 'PUSH')[];
  defaultLocale?: string;
  ambiguousSendPolicy?: 'retry' | 'fail';
  realtimeNamespaces?: string[];
}

export interface NewApiKey {
  /** Defaults to the handle's tenant. */
  tenantId?: string;
  /** SHA-256 of the key in lowercase hex. */
  keyHash: string;
  displayPrefix: string;
  mode?: 'live' | 'sandbox';
  expiresAt?: Date | null;
  sandboxSessionId?: string | null;
}

export interface NewTenantAdmin {
  tenantId: string;
  email: string;
  /** argon2id hash of the (temporary) password. */
  passwordHash: string;
  role?: 'admin' | 'viewer';
  mustChangePassword?: boolean;
}

/** Inserts a tenant (global operator only; the defaults come from the table). */
export async function insertTenant(tx: OperatorTx, input: NewTenant): Promise<TenantRow> {
  const values: Insertable<Tenants> = { name: input.name };
  if (input.rateLimitPerMinute !== undefined) values.rate_limit_per_minute = input.rateLimitPerMinute;
  if (input.burst !== undefined) values.burst = input.burst;
  if (input.dailyCap !== undefined) values.daily_cap = input.dailyCap;
  if (input.deliveryChannels !== undefined) values.delivery_channels = input.deliveryChannels;
  if (input.defaultLocale !== undefined) values.default_locale = input.defaultLocale;
  if (input.ambiguousSendPolicy !== undefined) values.ambiguous_send_policy = input.ambiguousSendPolicy;
  if (input.realtimeNamespaces !== undefined) values.realtime_namespaces = input.realtimeNamespaces;
  return tx.db.insertInto('tenants').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Inserts an API key of the handle's tenant, or of `input.tenantId` for a global operator. */
export async function insertApiKey(tx: OperatorTx | TenantTx, input: NewApiKey): Promise<ApiKeyRow> {
  const tenantId = input.tenantId ?? tx.tenantId;
  if (tenantId === null) throw new Error('insertApiKey needs a tenant id');
  return tx.db
    .insertInto('api_keys')
    .values({
      tenant_id: tenantId,
      key_hash: input.keyHash,
      display_prefix: input.displayPrefix,
      mode: input.mode ?? 'live',
      expires_at: input.expiresAt ?? null,
      sandbox_session_id: input.sandboxSessionId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `tenant create`: the tenant and its first live API key, in the caller's transaction. */
export async function insertTenantWithApiKey(
  tx: OperatorTx,
  input: NewTenant & { apiKeyHash: string; displayPrefix: string },
): Promise<{ tenant: TenantRow; apiKey: ApiKeyRow }> {
  const tenant = await insertTenant(tx, input);
  const apiKey = await insertApiKey(tx, {
    tenantId: tenant.id,
    keyHash: input.apiKeyHash,
    displayPrefix: input.displayPrefix,
    mode: 'live',
  });
  return { tenant, apiKey };
}

/** Inserts a tenant admin (global operator, or an operator confined to that tenant). */
export async function insertTenantAdmin(tx: OperatorTx, input: NewTenantAdmin): Promise<TenantAdminRow> {
  return tx.db
    .insertInto('tenant_admins')
    .values({
      tenant_id: input.tenantId,
      email: input.email,
      password_hash: input.passwordHash,
      role: input.role ?? 'admin',
      must_change_password: input.mustChangePassword ?? true,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The status of a tenant as the handle sees it (row-level security applies): undefined when there
 * is no such tenant, or none visible to this handle.
 */
export async function tenantStatus(tx: OperatorTx | TenantTx, tenantId: string): Promise<TenantRow['status'] | undefined> {
  const row = await tx.db.selectFrom('tenants').select('status').where('id', '=', tenantId).executeTakeFirst();
  return row?.status;
}
