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
  const { withTenant } = await import('@orqestra/db');
  const channel = seed.channel ?? 'EMAIL';
  const eventId = seed.eventId ?? `evt-${randomUUID()}`;
  const traceId = seed.traceId ?? `trace-${randomUUID()}`;
  const recipient = seed.recipient === undefined ? (channel === 'EMAIL' ? 'ada@example.com' : channel === 'SMS' ? '+254700000001' : null) : seed.recipient;
  const content = channel === 'EMAIL' ? { subject: 'Hi', html: '<p>Hi</p>' } : channel === 'SMS' ? { body: 'Hi' } : { title: 'Hi', body: 'Hi', category: 'info' as const };
  const receivedAt = new Date();
  return withTenant(testDatabase(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, async (tx) => {
    const log = await tx.db
      .insertInto('notification_logs')
      .values({
        tenant_id: tenantId, mode: 'live', event_id: eventId, event_type: seed.eventType ?? 'order.shipped', channel, user_id: 'u-1', recipient,
        content: JSON.stringify(content), status: seed.status ?? 'SENT', provider: seed.provider ?? null, last_error_code: seed.errorCode ?? null,
        trace_id: traceId, received_at: receivedAt, attempt_number: seed.attempts?.length ?? 0,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    for (const [index, attempt] of (seed.attempts ?? []).entries()) {
      await tx.db
        .insertInto('notification_attempts')
        .values({
          tenant_id: tenantId, notification_id: log.id, attempt_series: 1, attempt_number: index + 1, provider: seed.provider ?? 'resend',
          started_at: new Date(receivedAt.getTime() + index), duration_ms: 12, outcome: attempt.outcome, http_status: attempt.httpStatus ?? null,
          error_code: attempt.errorCode ?? null, error_message: attempt.errorCode ? `vendor said ${attempt.errorCode}` : null,
        })
        .execute();
    }
    if (seed.deadLetter) {
      await tx.db
        .insertInto('failed_notifications')
        .values({
          tenant_id: tenantId, notification_id: log.id, mode: 'live', channel, event_type: seed.eventType ?? 'order.shipped', provider: seed.provider ?? 'resend',
          error_code: seed.errorCode ?? 'RECIPIENT_INVALID',
          payload: JSON.stringify({
            v: 1, notificationId: log.id, attemptSeries: 1, tenantId, mode: 'live', isTest: false, eventId, eventType: seed.eventType ?? 'order.shipped', channel,
            recipient: { userId: 'u-1', ...(channel === 'EMAIL' && recipient ? { email: recipient } : {}), ...(channel === 'SMS' && recipient ? { phone: recipient } : {}) },
            content, traceId, receivedAt: receivedAt.toISOString(),
          }),
          attempts: JSON.stringify([{ attemptSeries: 1, attemptNumber: 1, startedAt: receivedAt.toISOString(), durationMs: 12, outcome: 'permanent', errorCode: seed.errorCode ?? 'RECIPIENT_INVALID' }]),
          last_error: JSON.stringify({ code: seed.errorCode ?? 'RECIPIENT_INVALID', message: 'the vendor refused the recipient' }),
        })
        .execute();
    }
    return { id: log.id, eventId, traceId };
  });
}
