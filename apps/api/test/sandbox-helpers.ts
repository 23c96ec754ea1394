import { withTenant } from '@orqestra/db';
import { adminToken, testDatabase } from './fixtures.js';

/** Test helpers of the sandbox suites: the admin routes and the audit trail, over HTTP and SQL. */

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T & { error?: { code: string; message: string } };
}

async function call<T>(url: string, init: RequestInit): Promise<Answer<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Answer<T>['body'] };
}

export interface StartedSession {
  data: { sessionId: string; apiKey: string; allowedIp: string; deviceBound: boolean; expiresAt: string };
}

export async function startSession(apiUrl: string, tenantId: string, options: { body?: unknown; headers?: Record<string, string>; role?: 'admin' | 'viewer' } = {}) {
  const token = await adminToken({ role: options.role ?? 'admin', tenantId });
  return call<StartedSession>(`${apiUrl}/api/v1/tenant/sandbox/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
}

export async function adminCall<T = Record<string, unknown>>(apiUrl: string, tenantId: string, method: string, path: string, role: 'admin' | 'viewer' = 'admin') {
  const token = await adminToken({ role, tenantId });
  return call<T>(`${apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
}

export async function triggerAt(apiUrl: string, apiKey: string, body: unknown, headers: Record<string, string> = {}, path = '/api/v1/events/trigger') {
  return call(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers }, body: JSON.stringify(body) });
}

/** The audit entries of one tenant with this action, oldest first. */
export async function auditEntries(tenantId: string, action: string) {
  return withTenant(testDatabase(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
    tx.db.selectFrom('audit_logs').selectAll().where('tenant_id', '=', tenantId).where('action', '=', action).orderBy('created_at').execute(),
  );
}
