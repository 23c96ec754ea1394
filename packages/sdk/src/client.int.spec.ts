import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withTenant } from '@orqestra/db';
import { pollUntil } from '@orqestra/testing';
import { newTenant, setWebhookSecret, testDatabase } from '../../../apps/api/test/fixtures.js';
import { Orqestra, OrqestraConnectionError, OrqestraError, type EventStatus } from './index.js';

// The SDK against the real API of the test stack (the int project's API and worker).
const push = (userId: string, extra: Record<string, unknown> = {}) => ({
  eventType: 'global.info',
  channels: ['PUSH' as const],
  payload: { userId },
  variables: { title: 'Hello', message: 'From the SDK' },
  ...extra,
});

/** What the client sent and was answered, through its `fetch` option. */
function recordingFetch() {
  const calls: { headers: Headers; status: number }[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    calls.push({ headers: new Headers(init?.headers), status: response.status });
    return response;
  };
  return { calls, fetch: wrapped };
}

async function rejection(promise: Promise<unknown>): Promise<OrqestraError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrqestraError);
  return error as OrqestraError;
}

/** Inbox rows stored the way the gateway stores them before publishing. */
async function deliver(tenantId: string, userId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const start = Date.UTC(2026, 10, 1);
  await withTenant(testDatabase(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
    tx.db
      .insertInto('in_app_notifications')
      .values(
        ids.map((id, i) => ({
          id,
          tenant_id: tenantId,
          user_id: userId,
          title: `n${i}`,
          body: `body ${i}`,
          category: 'info',
          event_type: 'global.info',
          created_at: new Date(start + i * 1000),
        })),
      )
      .execute(),
  );
  return ids;
}

afterAll(async () => {
  await testDatabase().close();
});

describe('@orqestra/node against the API', () => {
  it('triggers an event and reads its outcome once the worker has handled it', async () => {
    const tenant = await newTenant();
    const orqestra = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: tenant.apiKey });
    const eventId = `order-${randomUUID()}`;
    const accepted = await orqestra.trigger(push('ada', { eventId }));
    expect(accepted).toMatchObject({ success: true, eventId, duplicate: false, message: 'Event global.info accepted' });
    expect(accepted.traceId).toMatch(/\S/);
    const status = await pollUntil(() => orqestra.getEvent(eventId), {
      until: (s) => s.status === 'PROCESSED',
      timeoutMs: 20_000,
      what: 'the event processed',
    });
    expect((status as EventStatus).channels.PUSH).toMatchObject({ notificationId: expect.any(String) });
    expect(await orqestra.getEvent(`never-${randomUUID()}`)).toMatchObject({ status: 'QUEUED' });
  });

  it('signs every body-carrying call with the webhook secret, and the API accepts them', async () => {
    const tenant = await newTenant();
    const secret = await setWebhookSecret(tenant.tenantId);
    const recorded = recordingFetch();
    const orqestra = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: tenant.apiKey, webhookSecret: secret, fetch: recorded.fetch });

    expect((await orqestra.trigger(push('grace'))).success).toBe(true);
    const bulk = await orqestra.triggerBulk([push('grace'), push('linus')]);
    expect(bulk.results.map((r) => r.success)).toEqual([true, true]);
    const token = await orqestra.createRealtimeToken('grace', { ttlSeconds: 600 });
    expect(token.channels[0]).toMatch(/^global_system#/);
    expect(Date.parse(token.expiresAt) - Date.now()).toBeGreaterThan(500_000);
    // POSTs without a body are signed too (over the empty body).
    const [id] = await deliver(tenant.tenantId, 'grace', 2);
    expect((await orqestra.inbox.markRead('grace', id!)).readAt).toEqual(expect.any(String));
    expect(await orqestra.inbox.markAllRead('grace')).toBe(1);
    expect(recorded.calls.filter((c) => c.headers.has('x-orqestra-signature')).map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);

    // The same calls with a wrong secret, or none, are refused with the API's codes.
    const wrong = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: tenant.apiKey, webhookSecret: 'whsec_wrong' });
    const invalid = await rejection(wrong.trigger(push('grace')));
    expect(invalid).toMatchObject({ status: 401, code: 'INVALID_SIGNATURE' });
    expect(invalid.traceId).toMatch(/\S/);
    const unsigned = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: tenant.apiKey });
    expect(await rejection(unsigned.createRealtimeToken('grace'))).toMatchObject({ status: 401, code: 'SIGNATURE_REQUIRED' });
    // Reads need no signature.
    expect(await unsigned.inbox.unreadCount('grace')).toBe(0);
  });

  it('sends one idempotency key per call (reused by its retries), or the caller’s own', async () => {
    const tenant = await newTenant();
    const recorded = recordingFetch();
    const orqestra = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: tenant.apiKey, fetch: recorded.fetch });
    const [first, second] = [await orqestra.trigger(push('ida')), await orqestra.trigger(push('ida'))];
    // Two calls, two keys: two events.
    expect(first.eventId).not.toBe(second.eventId);
    const keys = recorded.calls.map((c) => c.headers.get('x-idempotency-key'));
    expect(new Set(keys).size).toBe(2);

    const key = `order-${randomUUID()}`;
    const original = await orqestra.trigger(push('ida'), { idempotencyKey: key });
    const replay = await orqestra.trigger(push('ida'), { idempotencyKey: key });
    expect(replay).toEqual({ ...original, duplicate: true });
    // Same key, another body: refused, not retried.
    expect(await rejection(orqestra.trigger(push('someone-else'), { idempotencyKey: key }))).toMatchObject({
      status: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('retries a 429 after Retry-After with the same key, and gives up at once when told not to retry', async () => {
    // 20 per minute with a burst of 1: one token every 3 s, so the second of two calls at once is refused.
    const tenant = await newTenant({ rateLimitPerMinute: 20, burst: 1 });
    const strict = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: tenant.apiKey, retry: { maxRetries: 0 } });
    const outcomes = await Promise.allSettled([strict.trigger(push('kay')), strict.trigger(push('kay'))]);
    const limited = outcomes.find((o) => o.status === 'rejected')?.reason as OrqestraError;
    expect(limited).toBeInstanceOf(OrqestraError);
    expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(limited.retryAfterSeconds).toBeGreaterThanOrEqual(1);

    const recorded = recordingFetch();
    const patient = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: tenant.apiKey, fetch: recorded.fetch, retry: { maxRetries: 10 } });
    const [a, b] = await Promise.all([patient.trigger(push('kay')), patient.trigger(push('kay'))]);
    expect([a.success, b.success]).toEqual([true, true]);
    expect(a.eventId).not.toBe(b.eventId);
    expect(recorded.calls.some((c) => c.status === 429)).toBe(true);
    // Each call kept its key across its retries: two keys in all, however many attempts.
    expect(new Set(recorded.calls.map((c) => c.headers.get('x-idempotency-key'))).size).toBe(2);
  }, 60_000);

  it('throws typed errors with the code, the field details and the trace id', async () => {
    const tenant = await newTenant();
    const orqestra = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: tenant.apiKey });
    const invalid = await rejection(orqestra.trigger({ eventType: 'bad type!', payload: { userId: '' } }, { traceId: 'sdk-trace-1' }));
    expect(invalid).toMatchObject({ status: 422, code: 'VALIDATION_FAILED', traceId: 'sdk-trace-1' });
    expect(invalid.details.map((d) => d.path).sort()).toEqual(['eventType', 'payload.userId']);
    const unknownKey = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: 'oq_live_not-a-key' });
    expect(await rejection(unknownKey.getEvent('x'))).toMatchObject({ status: 401, code: 'INVALID_API_KEY' });

    const closed = new Orqestra({ baseUrl: 'http://127.0.0.1:9', apiKey: tenant.apiKey, retry: { maxRetries: 1, baseDelayMs: 10 } });
    await expect(closed.trigger(push('x'))).rejects.toBeInstanceOf(OrqestraConnectionError);
  });

  it('pages, counts and marks a user’s inbox from the backend', async () => {
    const tenant = await newTenant();
    const orqestra = new Orqestra({ baseUrl: inject('apiUrl'), apiKey: tenant.apiKey });
    const ids = await deliver(tenant.tenantId, 'mia', 5);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await orqestra.inbox.list('mia', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((item) => item.id));
      cursor = page.pagination.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect(await orqestra.inbox.unreadCount('mia')).toBe(5);
    await orqestra.inbox.markRead('mia', ids[0]!);
    expect((await orqestra.inbox.list('mia', { status: 'unread' })).data).toHaveLength(4);
    expect(await orqestra.inbox.markAllRead('mia')).toBe(4);
    expect(await orqestra.inbox.unreadCount('mia')).toBe(0);
    // Another user of the same tenant sees none of it.
    expect((await orqestra.inbox.list('someone-else')).data).toEqual([]);
  });
});
