import { randomUUID } from 'node:crypto';
import { insertOperator, insertTenantAdmin, withOperator } from '@orqestra/db';
import { hashPassword } from '../src/features/operators/operator.service.js';
import { testDatabase } from './fixtures.js';

/**
 * People who sign in to the admin API, created the way the operator endpoints and CLI create them
 * (argon2id hashes, temporary-password flag), for the auth tests and the generated route tests.
 */
export interface TestPerson {
  id: string;
  /** Username of an operator, email of a tenant admin. */
  login: string;
  password: string;
  tenantId: string | null;
  role: 'platform_operator' | 'admin' | 'viewer';
}

const hashes = new Map<string, Promise<string>>();
/** argon2id is slow on purpose: tests that create many people share one password and one hash. */
function hashOf(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) hashes.set(password, (hash = hashPassword(password)));
  return hash;
}

export async function newTenantAdmin(
  tenantId: string,
  options: { role?: 'admin' | 'viewer'; password?: string; mustChangePassword?: boolean } = {},
): Promise<TestPerson> {
  const password = options.password ?? `pw-${randomUUID()}`;
  const email = `admin-${randomUUID()}@example.test`;
  const row = await withOperator(testDatabase(), 'tests', async (tx) =>
    insertTenantAdmin(tx, { tenantId, email, passwordHash: await hashOf(password), role: options.role ?? 'admin', mustChangePassword: options.mustChangePassword ?? false }),
  );
  return { id: row.id, login: email, password, tenantId, role: row.role };
}

export async function newOperator(options: { password?: string; mustChangePassword?: boolean } = {}): Promise<TestPerson> {
  const password = options.password ?? `pw-${randomUUID()}`;
  const username = `op-${randomUUID()}`;
  const row = await withOperator(testDatabase(), 'tests', async (tx) =>
    insertOperator(tx, { username, passwordHash: await hashOf(password), mustChangePassword: options.mustChangePassword ?? false }),
  );
  return { id: row.id, login: username, password, tenantId: null, role: 'platform_operator' };
}

export interface AuditRow {
  tenant_id: string | null;
  actor_type: string;
  actor_id: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  after: unknown;
  ip: string | null;
  trace_id: string | null;
}

/** Audit entries as an operator reads them (across tenants), oldest first. */
export async function auditEntries(filter: { action?: string; tenantId?: string | null; actorId?: string; resourceId?: string; since?: Date }): Promise<AuditRow[]> {
  return withOperator(testDatabase(), 'tests', async (tx) => {
    let query = tx.db.selectFrom('audit_logs').select(['tenant_id', 'actor_type', 'actor_id', 'action', 'resource_type', 'resource_id', 'after', 'ip', 'trace_id']);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.tenantId !== undefined) query = filter.tenantId === null ? query.where('tenant_id', 'is', null) : query.where('tenant_id', '=', filter.tenantId);
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
    if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId);
    if (filter.since) query = query.where('created_at', '>=', filter.since);
    return (await query.orderBy('created_at').execute()) as AuditRow[];
  });
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  /** The refresh cookie's value when the response set one ('' when it cleared it). */
  refreshCookie?: string;
  setCookie: string[];
}

/** One JSON request to the API, with an optional bearer token, refresh cookie and CSRF header. */
export async function adminCall(
  apiUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; cookie?: string; csrf?: boolean; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie !== undefined) headers.cookie = `orqestra_refresh=${options.cookie}`;
  if (options.csrf) headers['x-orqestra-csrf'] = '1';
  const response = await fetch(`${apiUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  const setCookie = response.headers.getSetCookie();
  const refresh = setCookie.map((c) => /^orqestra_refresh=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as HttpResult['body']) : {}, refreshCookie: refresh, setCookie };
}
