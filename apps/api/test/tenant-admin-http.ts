import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { withOperator } from '@orqestra/db';
import { adminToken, newTenant, testDatabase } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field with expect
export type Body = any;

/** A signed-in caller of the admin API (tests of the tenant read/operate routes). */
export interface AdminCaller {
  token: string;
  subjectId: string;
  call: (method: string, path: string, body?: unknown, baseUrl?: string) => Promise<{ status: number; body: Body; text: string }>;
}

export async function caller(principal: { role: 'admin' | 'viewer' | 'platform_operator'; tenantId?: string }, baseUrl?: string): Promise<AdminCaller> {
  const subjectId = randomUUID();
  const token = await adminToken({ ...principal, subjectId });
  return {
    token,
    subjectId,
    call: async (method, path, body, url) => {
      const response = await fetch(`${url ?? baseUrl ?? inject('apiUrl')}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'user-agent': 'admin-tests/1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed as Body, text };
    },
  };
}

/** A tenant with an admin, a viewer, and an admin of another tenant (for cross-tenant attempts). */
export async function tenantWithAdmins(baseUrl?: string) {
  const tenant = await newTenant();
  const other = await newTenant();
  return {
    tenant,
    other,
    admin: await caller({ role: 'admin', tenantId: tenant.tenantId }, baseUrl),
    viewer: await caller({ role: 'viewer', tenantId: tenant.tenantId }, baseUrl),
    stranger: await caller({ role: 'admin', tenantId: other.tenantId }, baseUrl),
    operator: await caller({ role: 'platform_operator' }, baseUrl),
  };
}

/** Audit rows of one tenant as an operator confined to it reads them. */
export async function auditOf(tenantId: string) {
  return withOperator(testDatabase(), 'tests', (tx) => tx.db.selectFrom('audit_logs').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute(), { tenantId });
}
