import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { realtimeSubject } from '@orqestra/crypto';
import { withOperator, withTenant } from '@orqestra/db';
import { freePort, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { newTenant, testDatabase, type TestTenant } from '../../../test/fixtures.js';
import { handMadeToken, mintRealtimeToken } from '../../../test/realtime.js';

interface InboxPage {
  data: { id: string; title: string; readAt: string | null; createdAt: string }[];
  pagination: { nextCursor: string | null; limit: number };
}

/** Stores inbox rows the way the gateway does before publishing (oldest first, a second apart). */
async function deliver(tenantId: string, userId: string, count: number, start = Date.UTC(2026, 10, 1)): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
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

function call(path: string, auth: { token: string } | { apiKey: string }, method = 'GET', apiUrl = inject('apiUrl')) {
  const headers: Record<string, string> = 'token' in auth ? { authorization: `Bearer ${auth.token}` } : { 'x-api-key': auth.apiKey };
  return fetch(`${apiUrl}/api/v1/inbox${path}`, { method, headers });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function tokenFor(tenant: TestTenant, userId: string): Promise<string> {
  return (await mintRealtimeToken(tenant.apiKey, { userId })).body.token;
}

describe('inbox (SPEC §2.5) with the realtime token as Bearer', () => {
  it('lists newest first across cursor pages without gaps or repeats', async () => {
    const tenant = await newTenant();
    const ids = await deliver(tenant.tenantId, 'reader', 5);
    const token = await tokenFor(tenant, 'reader');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await call(`/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(response.status).toBe(200);
      const page: InboxPage = await json<InboxPage>(response);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((item) => item.id));
      cursor = page.pagination.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('counts unread, marks one read (keeping the first read time), filters unread, marks all read', async () => {
    const tenant = await newTenant();
    const [first, second, third] = await deliver(tenant.tenantId, 'reader', 3);
    const token = await tokenFor(tenant, 'reader');
    expect(await json(await call('/unread-count', { token }))).toEqual({ success: true, unreadCount: 3 });

    const read = await json<{ readAt: string }>(await call(`/notifications/${second}/read`, { token }, 'POST'));
    const again = await json<{ readAt: string }>(await call(`/notifications/${second}/read`, { token }, 'POST'));
    expect(again.readAt).toBe(read.readAt);
    expect(await json(await call('/unread-count', { token }))).toMatchObject({ unreadCount: 2 });
    const unread = await json<InboxPage>(await call('/notifications?status=unread', { token }));
    expect(unread.data.map((item) => item.id)).toEqual([third, first]);

    expect(await json(await call('/read-all', { token }, 'POST'))).toEqual({ success: true, updated: 2 });
    expect(await json(await call('/unread-count', { token }))).toMatchObject({ unreadCount: 0 });
    const all = await json<InboxPage>(await call('/notifications', { token }));
    expect(all.data.every((item) => item.readAt !== null)).toBe(true);
  });

  it('never shows or changes another user’s or another tenant’s notifications', async () => {
    const [a, b] = await Promise.all([newTenant(), newTenant()]);
    const [mine] = await deliver(a.tenantId, 'same-user', 1);
    const [colleagues] = await deliver(a.tenantId, 'colleague', 1);
    await deliver(b.tenantId, 'same-user', 2);
    const tokenA = await tokenFor(a, 'same-user');
    const tokenB = await tokenFor(b, 'same-user');

    const listA = await json<InboxPage>(await call('/notifications', { token: tokenA }));
    expect(listA.data.map((item) => item.id)).toEqual([mine]);
    expect((await call(`/notifications/${colleagues}/read`, { token: tokenA }, 'POST')).status).toBe(404);
    expect((await call(`/notifications/${mine}/read`, { token: tokenB }, 'POST')).status).toBe(404);
    expect(await json(await call('/unread-count', { token: tokenB }))).toMatchObject({ unreadCount: 2 });
    expect(await json(await call('/unread-count', { token: tokenA }))).toMatchObject({ unreadCount: 1 });
  });

  it('refuses tokens with a bad signature, another audience or issuer, claims that disagree with the subject, or past expiry', async () => {
    const tenant = await newTenant();
    const sub = realtimeSubject(tenant.tenantId, 'u');
    const good = { sub, orq_tid: tenant.tenantId, orq_uid: 'u' };
    const valid = await handMadeToken(good);
    expect((await call('/unread-count', { token: valid })).status).toBe(200);
    const bad = [
      `${valid.slice(0, -3)}abc`,
      await handMadeToken(good, { audience: 'other' }),
      await handMadeToken(good, { issuer: 'other' }),
      await handMadeToken({ ...good, orq_uid: 'someone-else' }),
      await handMadeToken(good, { expiresIn: Math.floor(Date.now() / 1000) - 10 }),
    ];
    for (const token of bad) {
      const response = await call('/unread-count', { token });
      expect([response.status, (await json<{ error: { code: string } }>(response)).error.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
  });

  it('stops answering a suspended tenant’s tokens', async () => {
    const tenant = await newTenant();
    const token = await tokenFor(tenant, 'u');
    await withOperator(testDatabase(), 'tests', (tx) =>
      tx.db.updateTable('tenants').set({ status: 'suspended' }).where('id', '=', tenant.tenantId).execute(),
    );
    const response = await call('/unread-count', { token });
    expect([response.status, (await json<{ error: { code: string } }>(response)).error.code]).toEqual([403, 'TENANT_SUSPENDED']);
  });
});

describe('inbox with the API key and ?userId= (tenant backends)', () => {
  it('works for the named user and requires the userId', async () => {
    const tenant = await newTenant();
    const [id] = await deliver(tenant.tenantId, 'backend-user', 1);
    const list = await json<InboxPage>(await call('/notifications?userId=backend-user', { apiKey: tenant.apiKey }));
    expect(list.data.map((item) => item.id)).toEqual([id]);
    expect((await call(`/notifications/${id}/read?userId=backend-user`, { apiKey: tenant.apiKey }, 'POST')).status).toBe(200);
    const missing = await call('/unread-count', { apiKey: tenant.apiKey });
    expect([missing.status, (await json<{ error: { code: string } }>(missing)).error.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect((await call('/unread-count?userId=x', { apiKey: 'oq_live_unknown' })).status).toBe(401);
  });
});

describe('inbox rate limit', () => {
  let api: ServiceProcess | undefined;
  afterAll(async () => api?.stop());

  it('answers 429 with Retry-After past the per-user allowance, while another user of the tenant goes on', async () => {
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    api = await startService(
      fileURLToPath(new URL('../../../dist/main.api.js', import.meta.url)),
      serviceEnv({ API_PORT: String(port), INBOX_RATE_PER_MINUTE: '3' }),
      async () => (await fetch(`${apiUrl}/health/ready`).catch(() => undefined))?.ok === true,
      'api-low-limits',
    );
    const tenant = await newTenant();
    const token = await tokenFor(tenant, 'eager');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('/unread-count', { token }, 'GET', apiUrl)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call('/unread-count', { token }, 'GET', apiUrl);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('/unread-count', { token: await tokenFor(tenant, 'calm') }, 'GET', apiUrl)).status).toBe(200);
  });
});
