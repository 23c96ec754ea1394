import { sql } from 'kysely';
import type { Database } from './context.js';

/**
 * Look-ups that happen before the tenant is known, through the SECURITY DEFINER functions of
 * migrations/0003_auth_functions.sql. These are the only queries that take the bare Database:
 * each returns exactly the columns its function documents, and nothing else is reachable.
 * Keys and tokens are passed as their SHA-256 in lowercase hex.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** auth_api_key(key_hash): the caller decides what a revoked/expired key or a suspended tenant means. */
export interface ApiKeyAuthRow {
  api_key_id: string;
  tenant_id: string;
  mode: 'live' | 'sandbox';
  key_status: 'active' | 'revoked';
  key_expires_at: Date | null;
  sandbox_session_id: string | null;
  tenant_status: 'active' | 'suspended' | 'deleted';
  rate_limit_per_minute: number;
  burst: number;
  daily_cap: number;
  webhook_secret_ciphertext: string | null;
  webhook_secret_previous_ciphertext: string | null;
  webhook_secret_previous_expires_at: Date | null;
}

/** auth_tenant_admin_by_email(email), case-insensitive. */
export interface TenantAdminAuthRow {
  tenant_admin_id: string;
  tenant_id: string;
  password_hash: string;
  role: 'admin' | 'viewer';
  status: 'active' | 'disabled';
  must_change_password: boolean;
  tenant_status: 'active' | 'suspended' | 'deleted';
}

/** auth_operator_by_username(username), case-insensitive. */
export interface OperatorAuthRow {
  operator_id: string;
  password_hash: string;
  status: 'active' | 'disabled';
  must_change_password: boolean;
}

/** auth_admin_session(token_hash): the session a presented refresh token belongs to. */
export interface AdminSessionAuthRow {
  session_id: string;
  family_id: string;
  tenant_id: string | null;
  subject_type: 'operator' | 'tenant_admin';
  subject_id: string;
  role: 'platform_operator' | 'admin' | 'viewer';
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

export async function authApiKey(database: Database, keyHash: string): Promise<ApiKeyAuthRow | undefined> {
  if (!SHA256_HEX.test(keyHash)) return undefined;
  const { rows } = await sql<ApiKeyAuthRow>`select * from auth_api_key(${keyHash})`.execute(database.db);
  return rows[0];
}

export async function authTenantAdminByEmail(database: Database, email: string): Promise<TenantAdminAuthRow | undefined> {
  if (email.length === 0 || email.length > 320) return undefined;
  const { rows } = await sql<TenantAdminAuthRow>`select * from auth_tenant_admin_by_email(${email})`.execute(database.db);
  return rows[0];
}

export async function authOperatorByUsername(database: Database, username: string): Promise<OperatorAuthRow | undefined> {
  if (username.length === 0 || username.length > 128) return undefined;
  const { rows } = await sql<OperatorAuthRow>`select * from auth_operator_by_username(${username})`.execute(database.db);
  return rows[0];
}

export async function authAdminSession(database: Database, tokenHash: string): Promise<AdminSessionAuthRow | undefined> {
  if (!SHA256_HEX.test(tokenHash)) return undefined;
  const { rows } = await sql<AdminSessionAuthRow>`select * from auth_admin_session(${tokenHash})`.execute(database.db);
  return rows[0];
}
