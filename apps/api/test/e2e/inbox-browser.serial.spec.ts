import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { pollUntil } from '@orqestra/testing';
import { newTenant, type TestTenant } from '../fixtures.js';
import { launchChromium, startPipeline, type Pipeline } from './pipeline.js';

/**
 * SPEC §2.4–§2.6 from a user's seat: the demo inbox page in real Chromium receives a PUSH
 * notification triggered over HTTP, through the API, worker, gateway and Centrifugo.
 */
let pipeline: Pipeline;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

beforeAll(async () => {
  [pipeline, chromium] = await Promise.all([startPipeline(), launchChromium()]);
  context = chromium.context;
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await pipeline?.stop();
});

async function triggerPush(tenant: TestTenant, userId: string, title: string, message: string): Promise<string> {
  const eventId = randomUUID();
  const response = await fetch(`${pipeline.apiUrl}/api/v1/events/trigger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
    body: JSON.stringify({ eventType: 'global.success', eventId, channels: ['PUSH'], payload: { userId }, variables: { title, message } }),
  });
  expect(response.status).toBe(200);
  return eventId;
}

/** Waits until the event's PUSH notification is SENT (published to Centrifugo). */
async function untilPushed(tenant: TestTenant, eventId: string): Promise<void> {
  await pollUntil(
    async () => {
      const response = await fetch(`${pipeline.apiUrl}/api/v1/events/${eventId}`, { headers: { 'x-api-key': tenant.apiKey } });
      const body = (await response.json()) as { channels?: { PUSH?: { status?: string } } };
      return body.channels?.PUSH?.status;
    },
    { until: (status) => status === 'SENT', timeoutMs: 20_000, what: `event ${eventId} pushed` },
  );
}

async function openInbox(tenant: TestTenant, userId: string, extra = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${pipeline.apiUrl}/demo/inbox#apiKey=${encodeURIComponent(tenant.apiKey)}&userId=${encodeURIComponent(userId)}${extra}`);
  await page.getByTestId('state').filter({ hasText: 'connected' }).waitFor({ timeout: 15_000 });
  return page;
}

const root = fileURLToPath(new URL('../../../../', import.meta.url));
/** infra/stack.sh, as an operator runs it. */
const stack = (...args: string[]) => promisify(execFile)('bash', ['infra/stack.sh', ...args], { cwd: root });

const items = (page: Page) => page.getByTestId('item');
const badge = async (page: Page) => ((await page.getByTestId('badge').isVisible()) ? await page.getByTestId('badge').textContent() : '');

describe('the demo inbox in Chromium', () => {
  it('shows a triggered notification live with its title and body, counts it, and keeps it read after a reload', async () => {
    const tenant = await newTenant();
    const page = await openInbox(tenant, 'ada');
    expect(await items(page).count()).toBe(0);
    expect(await badge(page)).toBe('');

    const eventId = await triggerPush(tenant, 'ada', 'Build finished', 'All 212 checks passed');
    const item = items(page).filter({ hasText: 'Build finished' });
    await item.waitFor({ state: 'attached', timeout: 20_000 });
    expect(await item.locator('.body').textContent()).toBe('All 212 checks passed');
    expect(await item.getAttribute('data-source')).toBe('live');
    expect(await item.getAttribute('data-category')).toBe('success');
    expect(await badge(page)).toBe('1');
    // The publication carries the inbox row id (= the notification id) and the time the event was accepted.
    const status = (await (
      await fetch(`${pipeline.apiUrl}/api/v1/events/${eventId}`, { headers: { 'x-api-key': tenant.apiKey } })
    ).json()) as {
      acceptedAt: string;
      channels: { PUSH: { notificationId: string } };
    };
    expect(await item.getAttribute('data-id')).toBe(status.channels.PUSH.notificationId);
    expect(await item.getAttribute('data-created-at')).toBe(status.acceptedAt);

    await page.getByTestId('bell').click();
    await item.click();
    await expect.poll(() => item.getAttribute('data-read'), { timeout: 10_000 }).toBe('true');
    expect(await badge(page)).toBe('');

    await page.reload();
    await page.getByTestId('state').filter({ hasText: 'connected' }).waitFor({ timeout: 15_000 });
    const stored = items(page).filter({ hasText: 'Build finished' });
    await stored.waitFor({ state: 'attached', timeout: 10_000 });
    expect(await stored.getAttribute('data-read')).toBe('true');
    expect(await stored.getAttribute('data-source')).toBe('stored');
    expect(await items(page).count()).toBe(1);
    expect(await badge(page)).toBe('');
    await page.close();
  });

  it('never shows one tenant’s notification to the same userId of another tenant', async () => {
    const [a, b] = await Promise.all([newTenant(), newTenant()]);
    const [pageA, pageB] = await Promise.all([openInbox(a, 'shared-id'), openInbox(b, 'shared-id')]);
    await triggerPush(a, 'shared-id', 'For tenant A only', 'secret of A');
    await items(pageA).filter({ hasText: 'For tenant A only' }).waitFor({ state: 'attached', timeout: 20_000 });
    // B's own notification arrives after A's was published: had A's leaked, it would be there by now.
    await triggerPush(b, 'shared-id', 'For tenant B', 'hello B');
    await items(pageB).filter({ hasText: 'For tenant B' }).waitFor({ state: 'attached', timeout: 20_000 });
    expect(await items(pageB).allTextContents()).toEqual([expect.stringContaining('For tenant B')]);
    expect(await badge(pageB)).toBe('1');
    await Promise.all([pageA.close(), pageB.close()]);
  });

  it('delivers what was sent while the browser was offline, through Centrifugo’s recovery, without duplicates', async () => {
    const tenant = await newTenant();
    const page = await openInbox(tenant, 'grace');
    await triggerPush(tenant, 'grace', 'Before the tunnel', 'seen live');
    await items(page).filter({ hasText: 'Before the tunnel' }).waitFor({ state: 'attached', timeout: 20_000 });

    await page.getByTestId('toggle').click();
    await page.getByTestId('state').filter({ hasText: 'disconnected' }).waitFor({ timeout: 10_000 });
    const missed = await triggerPush(tenant, 'grace', 'While offline', 'missed live');
    await untilPushed(tenant, missed);
    expect(await items(page).count()).toBe(1);

    await page.getByTestId('toggle').click();
    const recovered = items(page).filter({ hasText: 'While offline' });
    await recovered.waitFor({ state: 'attached', timeout: 20_000 });
    expect(await recovered.getAttribute('data-source')).toBe('recovered');
    expect(await items(page).count()).toBe(2);
    expect(await badge(page)).toBe('2');
    await page.close();
  });

  it('recovers what was missed across a Centrifugo restart (history lives in Redis)', async () => {
    const tenant = await newTenant();
    const page = await openInbox(tenant, 'katherine');
    await page.getByTestId('toggle').click();
    await page.getByTestId('state').filter({ hasText: 'disconnected' }).waitFor({ timeout: 10_000 });
    const missed = await triggerPush(tenant, 'katherine', 'Sent before the restart', 'kept in history');
    await untilPushed(tenant, missed);

    await stack('stop', 'centrifugo');
    await stack('start', 'centrifugo');
    await page.getByTestId('toggle').click();
    const recovered = items(page).filter({ hasText: 'Sent before the restart' });
    await recovered.waitFor({ state: 'attached', timeout: 20_000 });
    expect(await recovered.getAttribute('data-source')).toBe('recovered');
    await page.close();
  });

  it('lets a page of another origin read the inbox with the token, but not mint tokens with the API key', async () => {
    const tenant = await newTenant();
    const minted = await fetch(`${pipeline.apiUrl}/api/v1/auth/realtime-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
      body: JSON.stringify({ userId: 'ida' }),
    });
    const { token } = (await minted.json()) as { token: string };
    const page = await context.newPage();
    // localhost and 127.0.0.1 are different origins to the browser: every call below is cross-origin.
    // (A page without a Content-Security-Policy of its own: the demo page's allows only its own origin.)
    await page.goto(`${pipeline.apiUrl.replace('127.0.0.1', 'localhost')}/health/live`);
    const outcome = await page.evaluate(
      async ({ api, token, apiKey }) => {
        const inbox = await fetch(`${api}/api/v1/inbox/unread-count`, { headers: { authorization: `Bearer ${token}` } });
        const mint = await fetch(`${api}/api/v1/auth/realtime-token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          body: '{"userId":"ida"}',
        })
          .then(() => 'allowed')
          .catch(() => 'blocked');
        return { inbox: { status: inbox.status, body: await inbox.json() }, mint };
      },
      { api: pipeline.apiUrl, token, apiKey: tenant.apiKey },
    );
    expect(outcome).toEqual({ inbox: { status: 200, body: { success: true, unreadCount: 0 } }, mint: 'blocked' });
    await page.close();
  });

  it('refreshes an expiring token through getToken and keeps receiving, without a reload', async () => {
    const tenant = await newTenant();
    const page = await openInbox(tenant, 'hedy', '&ttl=10');
    const loadedAt = Date.now();
    // The first token lives 10 s; wait until it has expired and the page fetched a new one.
    await expect
      .poll(async () => Number(await page.getByTestId('refreshes').textContent()) >= 1 && Date.now() > loadedAt + 11_000, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(true);
    expect(await page.getByTestId('state').textContent()).toBe('connected');

    await triggerPush(tenant, 'hedy', 'After the refresh', 'still live');
    const item = items(page).filter({ hasText: 'After the refresh' });
    await item.waitFor({ state: 'attached', timeout: 20_000 });
    expect(await item.getAttribute('data-source')).toBe('live');
    expect(await page.getByTestId('error').isVisible()).toBe(false);
    await page.close();
  });
});
