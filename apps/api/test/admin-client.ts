import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { withOperator } from '@orqestra/db';
import { adminToken, testDatabase } from './fixtures.js';

export interface AdminResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  traceId: string;
}

/** One admin API call with a bearer token, a known trace id and user agent (for audit assertions). */
export async function adminCall(token: string, method: string, path: string, body?: unknown, baseUrl = inject('apiUrl')): Promise<AdminResponse> {
  const traceId = `t-${randomUUID()}`;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'x-trace-id': traceId,
      'user-agent': 'orqestra-tests/1',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, traceId };
}

export const operatorToken = () => adminToken({ role: 'platform_operator' });
export const tenantAdminToken = (tenantId: string, role: 'admin' | 'viewer' = 'admin') => adminToken({ role, tenantId });

/** The audit entries of one tenant (or platform entries with tenant null), newest first, as an operator reads them. */
export async function auditOf(tenantId: string | null) {
  return withOperator(testDatabase(), 'tests', (tx) =>
    tx.db
      .selectFrom('audit_logs')
      .selectAll()
      .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
      .orderBy('created_at', 'desc')
      .execute(),
  );
}
