import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request, Response } from 'playwright-core';
import { pollUntil } from '@orqestra/testing';
import { ConsoleHarness, poll } from './harness.js';
import { api, expectAccessible } from './support.js';

/**
 * The console's session against an API whose access tokens live 5 seconds (ADMIN_ACCESS_TOKEN_SECONDS),
 * so that a token really expires on the API's clock instead of the browser's clock being moved: the
 * first action after the expiry refreshes silently through the refresh cookie, and a refused refresh
 * shows the "Session expired" dialog. A token that short gets no background refresh timer in the
 * console (it would fire every few seconds), so what refreshes here is the action itself — as after a
 * laptop's sleep with a 15-minute token. The background refresh a minute before a 15-minute token
 * expires is console-browser.serial.spec.ts's session test.
 */
const TOKEN_SECONDS = 5;
const harness = new ConsoleHarness();

beforeAll(async () => {
  await harness.start({ worker: false, apiEnv: { ADMIN_ACCESS_TOKEN_SECONDS: String(TOKEN_SECONDS) } });
}, 300_000);

afterAll(async () => {
  await harness.stop();
}, 120_000);

/** Every call the page makes to the tenant API, with the bearer it carried and the answer it got. */
function recordCalls(page: Page) {
  const calls: { path: string; bearer: string; csrf?: string; status: number; body: Record<string, unknown> }[] = [];
  page.on('response', (response: Response) => {
    const request: Request = response.request();
    const path = new URL(response.url()).pathname;
    if (!path.startsWith('/api/v1/tenant/')) return;
    void response.json().then(
      (body: Record<string, unknown>) =>
        calls.push({
          path,
          bearer: request.headers().authorization?.replace(/^Bearer /, '') ?? '',
          csrf: request.headers()['x-orqestra-csrf'],
          status: response.status(),
          body,
        }),
      () => undefined,
    );
  });
  return calls;
}

describe('admin console session with 5-second access tokens', { timeout: 180_000 }, () => {
  it('after the access token really expired, the next action refreshes it silently (refresh cookie, CSRF header) and succeeds: no sign-in page, no dialog', async () => {
    const tenant = await harness.seedTenant();
    const page = await harness.newPage();
    const calls = recordCalls(page);
    await harness.signIn(page, 'tenant', tenant.adminEmail);
    await page.getByRole('region', { name: 'Setup checklist' }).waitFor();

    // The token the page holds: the last one a sign-in or refresh handed it, once Home has loaded.
    await page.waitForLoadState('networkidle');
    const issued = () =>
      calls.filter((c) => /\/auth\/(login|refresh)$/.test(c.path) && c.status === 200).map((c) => String(c.body.accessToken));
    await poll(() => issued().length).toBeGreaterThan(0);
    const held = issued().at(-1)!;
    expect(Date.parse(String(calls.find((c) => c.body.accessToken === held)!.body.expiresAt)) - Date.now()).toBeLessThanOrEqual(
      TOKEN_SECONDS * 1000,
    );
    // Wait (with a deadline) until the API itself refuses that token: it has really expired. The
    // console, idle meanwhile, refreshed nothing by itself (no timer for a 5-second token).
    await pollUntil(async () => (await api(harness.servers.apiUrl, '/api/v1/tenant/auth/me', { token: held })).status, {
      until: (s) => s === 401,
      timeoutMs: 30_000,
      intervalMs: 250,
      what: 'the access token to expire on the API',
    });
    expect(issued().at(-1)).toBe(held);
    // From here on: what the next action does (Home's own calls, made with the same token, came before).
    const mark = calls.length;
    const after = () => calls.slice(mark);

    // The next action: open Logs. Its first call carries the expired token and is refused; the console
    // refreshes through the cookie with the CSRF header and makes the call again with the new token.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    await page.getByText('Nothing in the last 24 hours').waitFor();
    await poll(() => after().some((c) => c.path === '/api/v1/tenant/logs' && c.bearer === held)).toBe(true);
    const refused = after().find((c) => c.path === '/api/v1/tenant/logs' && c.bearer === held)!;
    expect([refused.status, (refused.body.error as { code?: string } | undefined)?.code]).toEqual([401, 'UNAUTHENTICATED']);
    const refreshes = after().filter((c) => c.path.endsWith('/auth/refresh'));
    expect(refreshes.length).toBeGreaterThan(0);
    expect(refreshes.map((r) => [r.status, r.csrf])).toEqual(refreshes.map(() => [200, '1']));
    const renewed = String(refreshes[0]!.body.accessToken);
    await poll(() => after().some((c) => c.path === '/api/v1/tenant/logs' && c.bearer === renewed && c.status === 200)).toBe(true);
    expect(page.url()).not.toMatch(/\/login/);
    expect(await page.getByRole('dialog', { name: 'Session expired' }).count()).toBe(0);
    await expectAccessible(page);
  });

  it('a refused refresh (the session was signed out elsewhere) shows the "Session expired" dialog, whose button leads to the sign-in page with the way back', async () => {
    const tenant = await harness.seedTenant();
    const page = await harness.newPage();
    await harness.signIn(page, 'tenant', tenant.adminEmail);
    await page.getByRole('region', { name: 'Setup checklist' }).waitFor();

    // The same session signed out from elsewhere (its refresh cookie, as another tab would send it).
    const cookie = (await page.context().cookies()).find((c) => c.name === 'orqestra_refresh');
    expect(cookie?.httpOnly).toBe(true);
    const out = await fetch(`${harness.servers.apiUrl}/api/v1/tenant/auth/logout`, {
      method: 'POST',
      headers: { cookie: `orqestra_refresh=${cookie!.value}`, 'x-orqestra-csrf': '1' },
    });
    expect(out.status).toBeLessThan(300);

    const refresh = page.waitForResponse((r) => r.url().endsWith('/api/v1/tenant/auth/refresh'));
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Logs' }).click();
    expect((await refresh).status()).toBe(401);
    const dialog = page.getByRole('dialog', { name: 'Session expired' });
    await dialog.waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Sign in again' }).click();
    await page.waitForURL(/\/login\?realm=tenant&next=%2Ftenant%2Flogs/);
  });
});
