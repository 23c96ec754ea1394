import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { withTenant } from '@orqestra/db';
import { pollUntil, stackEnv } from '@orqestra/testing';
import { Orqestra } from '../../../../packages/sdk/src/index.js';
import { browserBundle } from '../../../../packages/inbox/scripts/bundles.mjs';
import { newTenant, testDatabase, type TestTenant } from '../fixtures.js';
import { launchChromium, startPipeline, type Pipeline } from './pipeline.js';

/**
 * The <orqestra-inbox> component (packages/inbox) in Debian's Chromium, as users embed it: on the
 * demo page (/demo/inbox, under its strict CSP) and on a host app of another origin whose backend
 * mints tokens with @orqestra/node — plain, and through the React wrapper. Serial for the same
 * reason as inbox-browser.serial.spec.ts: the pipeline runs a gateway of its own.
 */
let pipeline: Pipeline;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let host: Server;
let hostUrl = '';
const websocketUrl = `${stackEnv().centrifugoUrl.replace(/^http/, 'ws')}/connection/websocket`;
/** Host-app sessions: the signed-in user of each page, as the host's backend knows them. */
const sessions = new Map<string, { tenant: TestTenant; userId: string }>();

const hostPage = (script: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host app</title>
<style>body{font-family:sans-serif} .themed{--orq-inbox-badge:#5b21b6}</style></head>
<body><header><h1>Host app</h1><div id="slot"></div></header><main><p>Content</p></main>
<script src="/orqestra-inbox.js"></script><script src="/${script}"></script></body></html>`;

/** The host page's own code: a token callback that asks the host's backend (never the API key in the browser). */
const hostScript = (api: string) => `
const session = new URLSearchParams(location.search).get('session');
const inbox = document.createElement('orqestra-inbox');
if (location.search.includes('themed')) inbox.className = 'themed';
inbox.setAttribute('api-url', ${JSON.stringify(api)});
inbox.setAttribute('centrifugo-url', ${JSON.stringify(websocketUrl)});
inbox.setAttribute('page-size', '20');
inbox.getToken = async () => (await fetch('/token?session=' + session)).json();
document.getElementById('slot').append(inbox);
`;

const reactEntry = (api: string) => `
import { createElement, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { OrqestraInbox } from './packages/inbox/browser/react.ts';
const session = new URLSearchParams(location.search).get('session');
function App() {
  const [unread, setUnread] = useState(0);
  const getToken = useCallback(async () => (await fetch('/token?session=' + session)).json(), []);
  return createElement('div', null,
    createElement(OrqestraInbox, { apiUrl: ${JSON.stringify(api)}, centrifugoUrl: ${JSON.stringify(websocketUrl)}, getToken, onUnreadChange: setUnread, label: 'Alerts' }),
    createElement('p', { 'data-testid': 'react-unread' }, 'unread ' + unread));
}
createRoot(document.getElementById('slot')).render(createElement(App));
`;

beforeAll(async () => {
  [pipeline, chromium] = await Promise.all([startPipeline(), launchChromium()]);
  context = chromium.context;
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const component = await browserBundle();
  const react = (
    await build({
      stdin: { contents: reactEntry(pipeline.apiUrl), resolveDir: root, loader: 'js' },
      bundle: true,
      format: 'iife',
      write: false,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    })
  ).outputFiles[0]!.text;
  host = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://host');
    const send = (type: string, body: string) => response.writeHead(200, { 'content-type': type }).end(body);
    if (url.pathname === '/') return send('text/html', hostPage('host.js'));
    if (url.pathname === '/react') return send('text/html', hostPage('react.js'));
    if (url.pathname === '/orqestra-inbox.js') return send('text/javascript', component);
    if (url.pathname === '/host.js') return send('text/javascript', hostScript(pipeline.apiUrl));
    if (url.pathname === '/react.js') return send('text/javascript', react);
    if (url.pathname === '/token') {
      // The host's backend: it knows the signed-in user and holds the API key.
      const session = sessions.get(url.searchParams.get('session') ?? '');
      if (!session) return response.writeHead(401).end();
      const orqestra = new Orqestra({ baseUrl: pipeline.apiUrl, apiKey: session.tenant.apiKey });
      orqestra.createRealtimeToken(session.userId).then(
        (token) => send('application/json', JSON.stringify(token)),
        () => response.writeHead(502).end(),
      );
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await pipeline?.stop();
  if (host) await new Promise((resolve) => host.close(resolve));
  await testDatabase().close();
});

async function triggerPush(tenant: TestTenant, userId: string, title: string, message: string): Promise<string> {
  const orqestra = new Orqestra({ baseUrl: pipeline.apiUrl, apiKey: tenant.apiKey });
  return (await orqestra.trigger({ eventType: 'global.success', channels: ['PUSH'], payload: { userId }, variables: { title, message } }))
    .eventId;
}

async function untilPushed(tenant: TestTenant, eventId: string): Promise<void> {
  const orqestra = new Orqestra({ baseUrl: pipeline.apiUrl, apiKey: tenant.apiKey });
  await pollUntil(() => orqestra.getEvent(eventId), {
    until: (s) => s.status === 'PROCESSED' && 'channels' in s && (s.channels.PUSH as { status?: string } | undefined)?.status === 'SENT',
    timeoutMs: 20_000,
    what: `event ${eventId} pushed`,
  });
}

/** Every URL the page asks for, WebSockets included. */
function recordNetwork(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('websocket', (socket) => urls.push(socket.url()));
  return urls;
}

async function openHost(tenant: TestTenant, userId: string, path = '/', extra = ''): Promise<Page> {
  const session = randomUUID();
  sessions.set(session, { tenant, userId });
  const page = await context.newPage();
  await page.goto(`${hostUrl}${path}?session=${session}${extra}`);
  await page.locator('orqestra-inbox[data-state="connected"]').waitFor({ timeout: 20_000 });
  return page;
}

async function openDemo(tenant: TestTenant, userId: string): Promise<{ page: Page; urls: string[] }> {
  const page = await context.newPage();
  const urls = recordNetwork(page);
  await page.goto(`${pipeline.apiUrl}/demo/inbox#apiKey=${encodeURIComponent(tenant.apiKey)}&userId=${encodeURIComponent(userId)}`);
  await page
    .getByTestId('state')
    .filter({ hasText: /^connected$/ })
    .waitFor({ timeout: 20_000 });
  return { page, urls };
}

const items = (page: Page) => page.getByTestId('item');
const badge = async (page: Page) => ((await page.getByTestId('badge').isVisible()) ? await page.getByTestId('badge').textContent() : '');

/** Inbox rows stored as the gateway stores them, oldest first, a second apart. */
async function stored(tenantId: string, userId: string, count: number): Promise<void> {
  await withTenant(testDatabase(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
    tx.db
      .insertInto('in_app_notifications')
      .values(
        Array.from({ length: count }, (_, i) => ({
          id: randomUUID(),
          tenant_id: tenantId,
          user_id: userId,
          title: `Old ${i}`,
          body: `stored ${i}`,
          category: 'info',
          event_type: 'global.info',
          created_at: new Date(Date.UTC(2026, 10, 1) + i * 1000),
        })),
      )
      .execute(),
  );
}

describe('<orqestra-inbox> on the demo page', () => {
  it('shows a push live, counts it, is driven by keyboard, and talks only to the API and Centrifugo', async () => {
    const tenant = await newTenant();
    const { page, urls } = await openDemo(tenant, 'ada');
    await triggerPush(tenant, 'ada', 'First', 'one');
    await triggerPush(tenant, 'ada', 'Second', 'two');
    await expect.poll(() => items(page).count(), { timeout: 20_000 }).toBe(2);
    expect(await badge(page)).toBe('2');
    expect(await page.getByTestId('bell').getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(await items(page).first().getAttribute('data-source')).toBe('live');

    // Keyboard only: open with Enter, walk the list with the arrow keys, mark one read, close with Escape.
    await page.getByTestId('bell').focus();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('bell').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Tab'); // "Mark all as read"
    await page.keyboard.press('Tab'); // the newest notification
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const first = items(page).filter({ hasText: 'First' });
    await expect.poll(() => first.getAttribute('data-read'), { timeout: 10_000 }).toBe('true');
    expect(await items(page).filter({ hasText: 'Second' }).getAttribute('data-read')).toBe('false');
    expect(await badge(page)).toBe('1');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('panel').isVisible()).toBe(false);
    expect(await page.evaluate('document.activeElement?.shadowRoot?.activeElement?.getAttribute("data-testid")')).toBe('bell');

    await page.getByTestId('bell').click();
    await page.getByTestId('read-all').click();
    await expect.poll(() => badge(page), { timeout: 10_000 }).toBe('');
    expect(await items(page).evaluateAll((li) => li.map((e) => e.getAttribute('data-read')))).toEqual(['true', 'true']);

    const api = new URL(pipeline.apiUrl).origin;
    const centrifugo = new URL(websocketUrl).origin;
    expect(urls.length).toBeGreaterThan(3);
    expect(urls.filter((url) => new URL(url).origin !== api && new URL(url).origin !== centrifugo)).toEqual([]);
    expect(await page.getByTestId('error').isVisible()).toBe(false);
    await page.close();
  });

  it('has no axe violations, closed and open with read and unread notifications', async () => {
    const tenant = await newTenant();
    await stored(tenant.tenantId, 'axe', 2);
    const { page } = await openDemo(tenant, 'axe');
    await expect.poll(() => items(page).count(), { timeout: 10_000 }).toBe(2);
    await triggerPush(tenant, 'axe', 'Fresh', 'unread one');
    await items(page).filter({ hasText: 'Fresh' }).waitFor({ state: 'attached', timeout: 20_000 });
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
    await page.getByTestId('bell').click();
    await items(page).filter({ hasText: 'Old 0' }).click();
    await expect.poll(() => items(page).filter({ hasText: 'Old 0' }).getAttribute('data-read'), { timeout: 10_000 }).toBe('true');
    const open = await new AxeBuilder({ page }).analyze();
    expect(open.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.close();
  });
});

describe('<orqestra-inbox> embedded in a host app of another origin', () => {
  it('recovers what was published while it was offline, without duplicates', async () => {
    const tenant = await newTenant();
    const page = await openHost(tenant, 'grace');
    await triggerPush(tenant, 'grace', 'Before', 'seen live');
    await items(page).filter({ hasText: 'Before' }).waitFor({ state: 'attached', timeout: 20_000 });

    await page.locator('orqestra-inbox').evaluate((inbox) => (inbox as unknown as { disconnect(): void }).disconnect());
    await page.locator('orqestra-inbox[data-state="disconnected"]').waitFor({ timeout: 10_000 });
    await untilPushed(tenant, await triggerPush(tenant, 'grace', 'While offline', 'missed live'));
    expect(await items(page).count()).toBe(1);

    await page.locator('orqestra-inbox').evaluate((inbox) => (inbox as unknown as { connect(): void }).connect());
    const recovered = items(page).filter({ hasText: 'While offline' });
    await recovered.waitFor({ state: 'attached', timeout: 20_000 });
    expect(await recovered.getAttribute('data-source')).toBe('recovered');
    expect(await items(page).count()).toBe(2);
    expect(await badge(page)).toBe('2');
    await page.close();
  });

  it('never shows another tenant’s notification to the same userId', async () => {
    const [a, b] = await Promise.all([newTenant(), newTenant()]);
    const [pageA, pageB] = await Promise.all([openHost(a, 'shared-id'), openHost(b, 'shared-id')]);
    await triggerPush(a, 'shared-id', 'For tenant A only', 'secret of A');
    await items(pageA).filter({ hasText: 'For tenant A only' }).waitFor({ state: 'attached', timeout: 20_000 });
    // B's own notification is published after A's: had A's leaked, it would be there by now.
    await triggerPush(b, 'shared-id', 'For tenant B', 'hello B');
    await items(pageB).filter({ hasText: 'For tenant B' }).waitFor({ state: 'attached', timeout: 20_000 });
    expect(await items(pageB).allTextContents()).toEqual([expect.stringContaining('For tenant B')]);
    await pageB.reload();
    await pageB.locator('orqestra-inbox[data-state="connected"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => items(pageB).count(), { timeout: 10_000 }).toBe(1);
    expect(await items(pageB).allTextContents()).toEqual([expect.stringContaining('For tenant B')]);
    await Promise.all([pageA.close(), pageB.close()]);
  });

  it('pages through history and takes its colours from CSS custom properties', async () => {
    const tenant = await newTenant();
    await stored(tenant.tenantId, 'reader', 25);
    const page = await openHost(tenant, 'reader', '/', '&themed');
    await expect.poll(() => items(page).count(), { timeout: 10_000 }).toBe(20);
    expect(await badge(page)).toBe('25');
    expect(await items(page).first().textContent()).toContain('Old 24');
    await page.getByTestId('bell').click();
    await page.getByTestId('load-more').click();
    await expect.poll(() => items(page).count(), { timeout: 10_000 }).toBe(25);
    expect(await items(page).last().textContent()).toContain('Old 0');
    expect(await page.getByTestId('load-more').isVisible()).toBe(false);
    // The host set --orq-inbox-badge on the element: the badge is that colour (#5b21b6).
    const style = (element: unknown) =>
      (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor;
    expect(await page.getByTestId('badge').evaluate(style)).toBe('rgb(91, 33, 182)');
    await page.close();
  });

  it('works through the React wrapper: live pushes and the unread callback', async () => {
    const tenant = await newTenant();
    const page = await openHost(tenant, 'linus', '/react');
    await triggerPush(tenant, 'linus', 'From React', 'wrapped');
    await items(page).filter({ hasText: 'From React' }).waitFor({ state: 'attached', timeout: 20_000 });
    await expect.poll(() => page.getByTestId('react-unread').textContent(), { timeout: 10_000 }).toBe('unread 1');
    expect(await page.getByTestId('bell').getAttribute('aria-label')).toBe('Alerts, 1 unread');
    await page.close();
  });
});
