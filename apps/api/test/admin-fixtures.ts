import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { insertOperator, insertTenantAdmin, withOperator, withTenant } from '@orqestra/db';
import { hashPassword } from '../src/features/auth/operator.service.js';
import { adminToken, newTenant, testDatabase } from './fixtures.js';

/**
 * Fixtures of the admin API tests, one function per purpose:
 * - HTTP: adminRequest (any request: bearer token, refresh cookie, CSRF header), adminCall (a
 *   bearer-token call), caller / tenantWithAdmins (signed-in callers for the tenant routes),
 *   operatorToken / tenantAdminToken (access JWTs signed with the stack's secret).
 * - People who sign in for real: newOperator, newTenantAdmin.
 * - Data the admin read routes show: seedLog (a delivery log, its attempts, its dead letter).
 * - The audit trail: auditEntries.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field with expect
export type Body = any;

export interface AdminResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body ({} when empty or not JSON: see text). */
  body: Body;
  text: string;
  /** The X-Trace-Id this request sent (audit entries carry it). */
  traceId: string;
  /** The refresh cookie's value when the response set one ('' when it cleared it). */
  refreshCookie?: string;
  setCookie: string[];
}

export interface AdminRequestOptions {
  /** Default: the shared API of the int project. */
  apiUrl?: string;
  token?: string;
  /** JSON-encoded unless already a string. */
  body?: unknown;
  /** The refresh token sent as the orqestra_refresh cookie. */
  cookie?: string;
  /** Sends X-Orqestra-CSRF: 1 (refresh and logout require it). */
  csrf?: boolean;
  headers?: Record<string, string>;
}

/** One request to the admin API with a known trace id and user agent (for audit assertions). */
export async function adminRequest(method: string, path: string, options: AdminRequestOptions = {}): Promise<AdminResponse> {
  const traceId = `t-${randomUUID()}`;
  const headers: Record<string, string> = { 'x-trace-id': traceId, 'user-agent': 'orqestra-tests/1', ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie !== undefined) headers.cookie = `orqestra_refresh=${options.cookie}`;
  if (options.csrf) headers['x-orqestra-csrf'] = '1';
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const response = await fetch(`${options.apiUrl ?? inject('apiUrl')}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: Body = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = {};
  }
  const setCookie = response.headers.getSetCookie();
  const refreshCookie = setCookie.map((c) => /^orqestra_refresh=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
  return { status: response.status, headers: response.headers, body: parsed, text, traceId, refreshCookie, setCookie };
}

/** A call with a bearer token (and a JSON body when given). */
export function adminCall(token: string, method: string, path: string, body?: unknown, apiUrl?: string): Promise<AdminResponse> {
  return adminRequest(method, path, { token, body, ...(apiUrl ? { apiUrl } : {}) });
}

export const operatorToken = (subjectId?: string) => adminToken({ role: 'platform_operator', ...(subjectId ? { subjectId } : {}) });
export const tenantAdminToken = (tenantId: string, role: 'admin' | 'viewer' = 'admin') => adminToken({ role, tenantId });

/** A signed-in caller of the admin API. */
export interface AdminCaller {
  token: string;
  subjectId: string;
  call: (method: string, path: string, body?: unknown, apiUrl?: string) => Promise<AdminResponse>;
}

export async function caller(
  principal: { role: 'admin' | 'viewer' | 'platform_operator'; tenantId?: string },
  apiUrl?: string,
): Promise<AdminCaller> {
  const subjectId = randomUUID();
  const token = await adminToken({ ...principal, subjectId });
  return { token, subjectId, call: (method, path, body, url) => adminCall(token, method, path, body, url ?? apiUrl) };
}

/** A tenant with an admin, a viewer, an admin of another tenant (for cross-tenant attempts) and an operator. */
export async function tenantWithAdmins(apiUrl?: string) {
  const tenant = await newTenant();
  const other = await newTenant();
  return {
    tenant,
    other,
    admin: await caller({ role: 'admin', tenantId: tenant.tenantId }, apiUrl),
    viewer: await caller({ role: 'viewer', tenantId: tenant.tenantId }, apiUrl),
    stranger: await caller({ role: 'admin', tenantId: other.tenantId }, apiUrl),
    operator: await caller({ role: 'platform_operator' }, apiUrl),
  };
}

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
    insertTenantAdmin(tx, {
      tenantId,
      email,
      passwordHash: await hashOf(password),
      role: options.role ?? 'admin',
      mustChangePassword: options.mustChangePassword ?? false,
    }),
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

/** Audit entries as an operator reads them (across tenants; tenantId null = platform entries), oldest first unless newestFirst. */
export async function auditEntries(filter: {
  tenantId?: string | null;
  action?: string;
  actorId?: string;
  resourceId?: string;
  since?: Date;
  newestFirst?: boolean;
}) {
  return withOperator(testDatabase(), 'tests', async (tx) => {
    let query = tx.db.selectFrom('audit_logs').selectAll();
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.tenantId !== undefined)
      query = filter.tenantId === null ? query.where('tenant_id', 'is', null) : query.where('tenant_id', '=', filter.tenantId);
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
    if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId);
    if (filter.since) query = query.where('created_at', '>=', filter.since);
    return query.orderBy('created_at', filter.newestFirst ? 'desc' : 'asc').execute();
  });
}

export interface SeedLog {
  channel?: 'EMAIL' | 'SMS' | 'PUSH';
  status?: 'PENDING' | 'SENDING' | 'SENT' | 'RETRYING' | 'FAILED';
  eventType?: string;
  eventId?: string;
  recipient?: string | null;
  traceId?: string;
  provider?: string;
  errorCode?: string;
  /** Also writes the dead letter the worker would store for a FAILED row. */
  deadLetter?: boolean;
  attempts?: { outcome: 'sent' | 'retryable' | 'permanent' | 'ambiguous'; errorCode?: string; httpStatus?: number }[];
}

/** A log row (and its attempts, and its dead letter) as the worker and gateway write them. */
export async function seedLog(tenantId: string, seed: SeedLog = {}) {
  const channel = seed.channel ?? 'EMAIL';
  const eventId = seed.eventId ?? `evt-${randomUUID()}`;
  const traceId = seed.traceId ?? `trace-${randomUUID()}`;
  const recipient =
    seed.recipient === undefined ? (channel === 'EMAIL' ? 'ada@example.com' : channel === 'SMS' ? '+254700000001' : null) : seed.recipient;
  const content =
    channel === 'EMAIL'
      ? { subject: 'Hi', html: '<p>Hi</p>' }
      : channel === 'SMS'
        ? { body: 'Hi' }
        : { title: 'Hi', body: 'Hi', category: 'info' as const };
  const receivedAt = new Date();
  return withTenant(testDatabase(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, async (tx) => {
    const log = await tx.db
      .insertInto('notification_logs')
      .values({
        tenant_id: tenantId,
        mode: 'live',
        event_id: eventId,
        event_type: seed.eventType ?? 'order.shipped',
        channel,
        user_id: 'u-1',
        recipient,
        content: JSON.stringify(content),
        status: seed.status ?? 'SENT',
        provider: seed.provider ?? null,
        last_error_code: seed.errorCode ?? null,
        trace_id: traceId,
        received_at: receivedAt,
        attempt_number: seed.attempts?.length ?? 0,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    for (const [index, attempt] of (seed.attempts ?? []).entries()) {
      await tx.db
        .insertInto('notification_attempts')
        .values({
          tenant_id: tenantId,
          notification_id: log.id,
          attempt_series: 1,
          attempt_number: index + 1,
          provider: seed.provider ?? 'resend',
          started_at: new Date(receivedAt.getTime() + index),
          duration_ms: 12,
          outcome: attempt.outcome,
          http_status: attempt.httpStatus ?? null,
          error_code: attempt.errorCode ?? null,
          error_message: attempt.errorCode ? `vendor said ${attempt.errorCode}` : null,
        })
        .execute();
    }
    if (seed.deadLetter) {
      await tx.db
        .insertInto('failed_notifications')
        .values({
          tenant_id: tenantId,
          notification_id: log.id,
          mode: 'live',
          channel,
          event_type: seed.eventType ?? 'order.shipped',
          provider: seed.provider ?? 'resend',
          error_code: seed.errorCode ?? 'RECIPIENT_INVALID',
          payload: JSON.stringify({
            v: 1,
            notificationId: log.id,
            attemptSeries: 1,
            tenantId,
            mode: 'live',
            isTest: false,
            eventId,
            eventType: seed.eventType ?? 'order.shipped',
            channel,
            recipient: {
              userId: 'u-1',
              ...(channel === 'EMAIL' && recipient ? { email: recipient } : {}),
              ...(channel === 'SMS' && recipient ? { phone: recipient } : {}),
            },
            content,
            traceId,
            receivedAt: receivedAt.toISOString(),
          }),
          attempts: JSON.stringify([
            {
              attemptSeries: 1,
              attemptNumber: 1,
              startedAt: receivedAt.toISOString(),
              durationMs: 12,
              outcome: 'permanent',
              errorCode: seed.errorCode ?? 'RECIPIENT_INVALID',
            },
          ]),
          last_error: JSON.stringify({ code: seed.errorCode ?? 'RECIPIENT_INVALID', message: 'the vendor refused the recipient' }),
        })
        .execute();
    }
    return { id: log.id, eventId, traceId };
  });
}

/** POST /api/v1/tenant/sandbox/sessions as the tenant's admin (or viewer). */
export async function startSession(
  apiUrl: string,
  tenantId: string,
  options: { body?: unknown; headers?: Record<string, string>; role?: 'admin' | 'viewer' } = {},
) {
  const token = await tenantAdminToken(tenantId, options.role ?? 'admin');
  return adminRequest('POST', '/api/v1/tenant/sandbox/sessions', {
    apiUrl,
    token,
    body: options.body,
    ...(options.headers ? { headers: options.headers } : {}),
  });
}
