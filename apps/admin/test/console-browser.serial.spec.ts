import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeResend } from '@orqestra/providers';
import { pollUntil } from '@orqestra/testing';
import { ConsoleHarness, PASSWORD, poll, screenshots } from './harness.js';
import { ChangePasswordPage } from './pages/change-password-page.js';
import { LoginPage } from './pages/login-page.js';
import { LogsPage } from './pages/logs-page.js';
import { ProvidersPage } from './pages/providers-page.js';
import { TemplateEditorPage } from './pages/template-editor-page.js';
import { TenantDetailPage } from './pages/tenant-detail-page.js';
import { TenantsPage } from './pages/tenants-page.js';
import { api, createOperator, expectAccessible, withDeadline } from './support.js';

/**
 * The admin console in Debian's Chromium against its own API (issue 11's scenarios, in its order).
 * Seeds go through the API; every page visited is checked with axe (WCAG 2 A/AA) and its title.
 * CONSOLE_SCREENSHOTS=1 also writes the screenshots of docs/console.md into docs/img/.
 */
const harness = new ConsoleHarness();
const shot = screenshots(process.env.CONSOLE_SCREENSHOTS === '1');
const resend = new FakeResend();
let servers: ConsoleHarness['servers'];
let seedToken: string;
const newPage = () => harness.newPage();
const tokenFor = (realm: 'admin' | 'tenant', login: string, temporary: string) => harness.tokenFor(realm, login, temporary);
const seedTenant = () => harness.seedTenant();
const signIn = (page: Parameters<ConsoleHarness['signIn']>[0], realm: 'admin' | 'tenant', login: string) =>
  harness.signIn(page, realm, login);

beforeAll(async () => {
  await Promise.all([harness.start(), resend.start()]);
  ({ servers, seedToken } = harness);
}, 300_000);

afterAll(async () => {
  await withDeadline(resend.close(), 30_000, 'closing the fake Resend').catch(() => undefined);
  await harness.stop();
}, 120_000);

describe('admin console', { timeout: 240_000 }, () => {
  it('operator: signs in by username, must change the temporary password, keeps the session across a reload through the refresh cookie, signs out', async () => {
    const username = `op-${randomUUID().slice(0, 8)}`;
    await createOperator(username, 'temporary password 2');
    const page = await newPage();
    const login = new LoginPage(page, servers.consoleUrl);

    const first = await page.goto(`${servers.consoleUrl}/operator`);
    const csp = first?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(first?.headers()['x-frame-options']).toBe('DENY');
    await page.waitForURL(/\/login\?realm=admin/);
    await poll(() => page.title()).toBe('Sign in · Orqestra');
    await expectAccessible(page);
    await shot(page, 'login');

    // A wrong password: the API's refusal, never which field was wrong.
    expect((await login.signIn('admin', username, 'not the password at all')).status()).toBe(401);
    await poll(() => login.refusal().textContent()).toContain('INVALID_LOGIN');
    expect(await login.refusal().textContent()).not.toMatch(/username is|password is/i);

    expect((await login.signIn('admin', username, 'temporary password 2')).status()).toBe(200);
    const change = new ChangePasswordPage(page);
    await change.waitForForced();
    await poll(() => page.title()).toBe('Change password · Orqestra');
    await expectAccessible(page);
    expect((await change.change('temporary password 2', PASSWORD)).status()).toBe(200);
    await page.getByRole('heading', { name: 'Platform overview' }).waitFor();
    await poll(() => page.title()).toBe('Overview · Orqestra');
    await expectAccessible(page);
    await shot(page, 'operator-overview');

    // The refresh cookie is httpOnly (script never reads it); the access token lives in memory only.
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'orqestra_refresh')?.httpOnly).toBe(true);
    expect(await page.evaluate<string>('document.cookie')).not.toContain('orqestra_refresh');
    expect(await page.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })')).not.toMatch(/eyJ/);

    // A reload loses the in-memory token: the console refreshes it silently, with the CSRF header.
    const refreshed = page.waitForRequest((r) => r.url().endsWith('/api/v1/admin/auth/refresh'));
    await page.reload();
    expect((await refreshed).headers()['x-orqestra-csrf']).toBe('1');
    await page.getByRole('heading', { name: 'Platform overview' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${servers.consoleUrl}/operator/tenants`);
    await page.waitForURL(/\/login\?realm=admin&next=%2Foperator%2Ftenants/);
  });

  it('session: a minute before the access token expires the console refreshes it silently (refresh cookie, CSRF header), uses the new one, and no "Session expired" dialog appears', async () => {
    const tenant = await seedTenant();
    const page = await newPage();
    // The browser's clock is the console's: jump it to the refresh moment instead of waiting 14 minutes.
    await page.clock.install();
    await signIn(page, 'tenant', tenant.adminEmail);
    await page.getByRole('region', { name: 'Setup checklist' }).waitFor();
    // Every token a refresh hands out (the clock now runs 14 minutes ahead, so the console keeps refreshing).
    const issued: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/v1/tenant/auth/refresh') && r.ok())
        void r.json().then(
          (b: { accessToken: string }) => issued.push(b.accessToken),
          () => undefined,
        );
    });
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/tenant/auth/refresh'));
    await page.clock.fastForward('14:05');
    const refresh = await refreshed;
    expect(refresh.status()).toBe(200);
    expect(refresh.request().headers()['x-orqestra-csrf']).toBe('1');

    const next = page.waitForRequest((r) => r.url().includes('/api/v1/tenant/logs'));
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Logs' }).click();
    const bearer = (await next).headers().authorization?.replace(/^Bearer /, '') ?? '';
    await poll(() => issued.includes(bearer)).toBe(true);
    await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    await page.getByText('Nothing in the last 24 hours').waitFor();
    expect(await page.getByRole('dialog', { name: 'Session expired' }).count()).toBe(0);
  });

  it('operator: creates a tenant in the wizard and reads its API key once, then adds its first admin with a temporary password', async () => {
    const username = `op-${randomUUID().slice(0, 8)}`;
    await createOperator(username, 'temporary password 3');
    await tokenFor('admin', username, 'temporary password 3');
    const page = await newPage();
    await signIn(page, 'admin', username);
    const tenants = new TenantsPage(page, servers.consoleUrl);
    await tenants.open();
    await poll(() => page.title()).toBe('Tenants · Orqestra');
    await expectAccessible(page);

    const name = `Wizard ${randomUUID().slice(0, 8)}`;
    const key = await tenants.create(name);
    expect(key).toMatch(/^oq_live_/);
    await expectAccessible(page);
    await shot(page, 'operator-tenant-key-once');
    // The key works against the events API (unknown event: 404, not 401 INVALID_API_KEY).
    expect((await api(servers.apiUrl, `/api/v1/events/${randomUUID()}`, { apiKey: key })).status).toBe(404);
    await tenants.closeWizard();
    await tenants.row(name).waitFor();
    expect(await page.content()).not.toContain(key);

    await tenants.row(name).getByRole('link', { name }).click();
    await page
      .getByRole('note')
      .filter({ hasText: `Viewing tenant ${name} as operator` })
      .waitFor();
    await poll(() => page.title()).toBe(`Settings · ${name} · Orqestra`);
    await expectAccessible(page);
    await page.getByRole('tab', { name: 'Admins' }).click();
    await page.waitForURL(/tab=admins/);
    const detail = new TenantDetailPage(page, servers.consoleUrl);
    const temporary = await detail.addAdmin(`first-${randomUUID().slice(0, 8)}@wizard.example`, 'admin');
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await expectAccessible(page);
  });

  it('tenant admin: signs in by email with a forced password change, sees the setup checklist, connects a provider against the vendor fake and tests the connection', async () => {
    const tenant = await seedTenant();
    const email = `new-${randomUUID().slice(0, 8)}@acme.example`;
    const created = await api<{ data: { temporaryPassword: string } }>(servers.apiUrl, `/api/v1/admin/tenants/${tenant.id}/admins`, {
      token: seedToken,
      body: { email, role: 'admin' },
    });
    const page = await newPage();
    const login = new LoginPage(page, servers.consoleUrl);
    await login.open('tenant');
    expect((await login.signIn('tenant', email, created.body.data.temporaryPassword)).status()).toBe(200);
    const change = new ChangePasswordPage(page);
    await change.waitForForced();
    expect((await change.change(created.body.data.temporaryPassword, PASSWORD)).status()).toBe(200);
    await page.getByRole('region', { name: 'Setup checklist' }).waitFor();
    await poll(() => page.title()).toBe(`Home · ${tenant.name} · Orqestra`);
    await expectAccessible(page);
    await shot(page, 'tenant-home');

    const providers = new ProvidersPage(page, servers.consoleUrl);
    await providers.open();
    await poll(() => page.title()).toBe(`Providers · ${tenant.name} · Orqestra`);
    const saved = await providers.addResend(resend.apiKey, 'orders@acme.example');
    expect(saved.status()).toBe(201);
    const providerId = ((await saved.json()) as { data: { id: string } }).data.id;
    // Saving closes the drawer: the typed secret leaves the page with it.
    await page.getByRole('dialog', { name: 'Add provider' }).waitFor({ state: 'hidden' });
    // The operator points it at the fake vendor (base URLs are an operator's override).
    expect(
      (
        await api(servers.apiUrl, `/api/v1/admin/tenants/${tenant.id}/providers/${providerId}/base-url`, {
          token: seedToken,
          method: 'PUT',
          body: { baseUrl: resend.url },
        })
      ).status,
    ).toBe(200);
    const card = page.getByTestId(`provider-${providerId}`);
    await poll(() => card.textContent()).toContain(`…${resend.apiKey.slice(-4)}`);
    expect(await page.content()).not.toContain(resend.apiKey);
    await card.getByRole('button', { name: 'Test connection' }).click();
    await card.getByRole('status').filter({ hasText: 'OK' }).waitFor();
    await expectAccessible(page);
    await shot(page, 'tenant-providers');
  });

  it('template: an error is shown with its line and column, the fix previews live, a save makes a version, and activating the older one rolls back', async () => {
    const tenant = await seedTenant();
    const first = await api<{ data: { templateId: string } }>(servers.apiUrl, '/api/v1/tenant/templates', {
      token: tenant.adminToken,
      body: {
        eventType: 'order.confirmed',
        channel: 'EMAIL',
        locale: 'en',
        activate: true,
        subject: 'Order {{orderId}}',
        bodyFormat: 'html',
        body: '<p>Hello {{name}}</p>',
      },
    });
    expect(first.status).toBe(201);
    const templateId = first.body.data.templateId;
    const page = await newPage();
    await signIn(page, 'tenant', tenant.adminEmail);
    const editor = new TemplateEditorPage(page, servers.consoleUrl);
    await editor.open(templateId);
    await editor.waitForEditor();
    await poll(() => page.title()).toBe(`Template order.confirmed (EMAIL) · ${tenant.name} · Orqestra`);
    await editor.previewFrame().getByText('Hello Ada').waitFor();

    await editor.replaceBody('<p>\n{{#if name}}Hello</p>');
    await editor.problems().waitFor();
    expect(await editor.problems().textContent()).toMatch(/line \d+, column \d+/);
    expect((await editor.save()).status()).toBe(422);

    await editor.replaceBody('<p>Hello {{name}}, version two</p>');
    await editor.previewFrame().getByText('Hello Ada, version two').waitFor();
    await poll(() => editor.problems().count()).toBe(0);
    expect((await editor.save()).status()).toBe(201);
    await page.getByRole('status').filter({ hasText: 'Saved as version 2 (active)' }).waitFor();
    await expectAccessible(page);
    await shot(page, 'tenant-template-editor');

    expect((await editor.activate(1)).status()).toBe(200);
    await page.getByRole('status').filter({ hasText: 'Version 1 is active.' }).waitFor();
    const list = await api<{ data: { id: string; activeVersion: number }[] }>(servers.apiUrl, '/api/v1/tenant/templates', {
      token: tenant.adminToken,
    });
    expect(list.body.data.find((t) => t.id === templateId)?.activeVersion).toBe(1);
  });

  it('a template containing <script> and an <img onerror> runs nothing in the preview, and its HTML never enters the console page', async () => {
    const tenant = await seedTenant();
    const created = await api<{ data: { templateId: string } }>(servers.apiUrl, '/api/v1/tenant/templates', {
      token: tenant.adminToken,
      body: {
        eventType: 'xss.probe',
        channel: 'EMAIL',
        locale: 'en',
        activate: true,
        subject: 'Probe',
        bodyFormat: 'html',
        body: '<p>Safe text</p>',
      },
    });
    const page = await newPage();
    const loaded: string[] = [];
    page.on('response', (r) => loaded.push(r.url()));
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(page, 'tenant', tenant.adminEmail);
    const editor = new TemplateEditorPage(page, servers.consoleUrl);
    await editor.open(created.body.data.templateId);
    await editor.waitForEditor();
    await editor.replaceBody(
      `<p>Probe body</p><script>document.body.dataset.ran="script";parent.document.title="pwned";alert(1)</script><img src="${resend.url}/pixel.gif" onerror="document.body.dataset.ran='onerror';parent.document.title='pwned';alert(2)">`,
    );
    await editor.previewFrame().getByText('Probe body').waitFor();
    expect(await editor.previewIframe().getAttribute('sandbox')).toBe('');
    expect(await editor.previewFrame().locator('body[data-ran]').count()).toBe(0);
    await poll(() => page.title()).toBe(`Template xss.probe (EMAIL) · ${tenant.name} · Orqestra`);
    expect(dialogs).toEqual([]);
    expect(await page.locator('img[src$="/pixel.gif"]').count()).toBe(0);
    // A tracking pixel on another host never fires (img-src 'self' data:, and the frame's own policy).
    expect(loaded.filter((u) => u.includes('pixel.gif'))).toEqual([]);
    expect(resend.received.filter((r) => r.path === '/pixel.gif')).toEqual([]);
  });

  it('events: found by trace id, recipient and status; the lifecycle view explains a skipped channel; Enter opens the drawer, Escape closes it and focus returns to the row; the CSV export comes from the API and shows in the audit log, which exports too', async () => {
    const tenant = await seedTenant();
    await api(servers.apiUrl, '/api/v1/tenant/templates', {
      token: tenant.adminToken,
      body: {
        eventType: 'order.shipped',
        channel: 'EMAIL',
        locale: 'en',
        activate: true,
        subject: 'Shipped',
        bodyFormat: 'html',
        body: '<p>On its way, {{name}}</p>',
      },
    });
    const traceId = randomUUID();
    const recipients = [`ada-${randomUUID().slice(0, 6)}@example.com`, `bob-${randomUUID().slice(0, 6)}@example.com`];
    for (const [i, recipientEmail] of recipients.entries()) {
      const accepted = await api(servers.apiUrl, '/api/v1/events/trigger', {
        apiKey: tenant.apiKey,
        headers: i === 0 ? { 'x-trace-id': traceId } : {},
        body: { eventType: 'order.shipped', payload: { userId: `u-${i}`, recipientEmail }, variables: { name: 'Ada' } },
      });
      expect(accepted.status).toBe(200);
    }
    await pollUntil(
      async () => (await api<{ data: unknown[] }>(servers.apiUrl, '/api/v1/tenant/logs', { token: tenant.adminToken })).body.data.length,
      { until: (n) => n === 2, timeoutMs: 120_000, intervalMs: 500, what: 'two notifications' },
    );

    const page = await newPage();
    await signIn(page, 'tenant', tenant.adminEmail);
    const logs = new LogsPage(page, servers.consoleUrl);
    await logs.open();
    await poll(() => page.title()).toBe(`Logs · ${tenant.name} · Orqestra`);
    await logs.openButton('order.shipped').first().waitFor();
    await expectAccessible(page);
    await shot(page, 'tenant-logs');

    await logs.filter('Trace id', traceId);
    await page.waitForURL(new RegExp(`traceId=${traceId}`));
    await poll(() => logs.openButton('order.shipped').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => !u.searchParams.has('traceId'));
    await logs.filter('Recipient (exact address or number)', recipients[1]!);
    await page.waitForURL((u) => u.searchParams.get('recipient') === recipients[1]);
    await poll(() => page.getByRole('table', { name: 'Notifications' }).textContent()).toContain(recipients[1]!);
    await poll(() => logs.openButton('order.shipped').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => !u.searchParams.has('recipient'));
    await logs.filter('Status', 'SENT');
    await page.waitForURL((u) => u.searchParams.get('status') === 'SENT');
    await page.getByText('No notification matches these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.waitForURL((u) => !u.searchParams.has('status'));
    await poll(() => logs.openButton('order.shipped').count()).toBe(2);

    const row = logs.openButton('order.shipped').first();
    await row.focus();
    await page.keyboard.press('Enter');
    await logs.drawer().waitFor();
    await page.waitForURL(/open=/);
    await logs
      .drawer()
      .getByText(/SMS: skipped/)
      .waitFor();
    await expectAccessible(page);
    await shot(page, 'tenant-lifecycle');
    await page.keyboard.press('Escape');
    await logs.drawer().waitFor({ state: 'hidden' });
    await poll(() => row.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);

    // A notification that arrives while the list is open is announced, not slipped under the reader.
    const third = await api(servers.apiUrl, '/api/v1/events/trigger', {
      apiKey: tenant.apiKey,
      headers: { 'x-trace-id': traceId },
      body: {
        eventType: 'order.shipped',
        payload: { userId: 'u-3', recipientEmail: `cy-${randomUUID().slice(0, 6)}@example.com` },
        variables: { name: 'Cy' },
      },
    });
    expect(third.status).toBe(200);
    await logs.newBanner().filter({ hasText: '1 new notification' }).waitFor();
    expect(await logs.openButton('order.shipped').count()).toBe(2);
    await expectAccessible(page);
    await logs.newBanner().getByRole('button', { name: 'Show them' }).click();
    await poll(() => logs.openButton('order.shipped').count()).toBe(3);
    await logs.newBanner().waitFor({ state: 'hidden' });

    // CSV of the current query (the trace id filter: two of the three), written by the API (bounded,
    // formula-safe, audited) and downloaded through the console's proxy.
    await logs.filter('Trace id', traceId);
    await poll(() => logs.openButton('order.shipped').count()).toBe(2);
    const exported = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/tenant/logs/export');
    const csv = await logs.exportCsv();
    const answer = await exported;
    expect([answer.status(), answer.headers()['content-type'], new URL(answer.url()).searchParams.get('traceId')]).toEqual([
      200,
      'text/csv; charset=utf-8',
      traceId,
    ]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^created_at,notification_id,event_id,event_type,channel,/);
    expect(lines.slice(1).map((l) => l.includes(traceId) && l.includes('order.shipped'))).toEqual([true, true]);
    await page.getByRole('status').filter({ hasText: 'Exported 2 notifications.' }).waitFor();

    // The time range is in the URL and narrows the query; "Everything kept" is one choice away.
    await logs.range('Last hour');
    await page.waitForURL((u) => u.searchParams.get('range') === '1h');
    await poll(() => logs.openButton('order.shipped').count()).toBe(2);

    // The export is in the tenant's audit log with its filters and row count; the audit log exports too.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await poll(() => page.title()).toBe(`Audit log · ${tenant.name} · Orqestra`);
    await page.getByRole('button', { name: 'logs.export' }).first().click();
    const entry = page.getByRole('dialog', { name: 'Audit entry' });
    await entry.waitFor();
    await poll(() => entry.textContent()).toContain(`"traceId": "${traceId}"`);
    expect(await entry.textContent()).toContain('"rows": 2');
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await entry.waitFor({ state: 'hidden' });
    const auditCsv = (await logs.exportCsv()).split('\r\n');
    expect(auditCsv[0]).toMatch(/^created_at,entry_id,actor_type,actor_id,action,/);
    expect(auditCsv.some((l) => l.includes(',logs.export,'))).toBe(true);
    await page
      .getByRole('status')
      .filter({ hasText: /^Exported \d+ audit entr(y|ies)\.$/ })
      .waitFor();
  });

  it("viewer: sees no provider or secret controls and no rendered content, exports the audit log without before/after values; another tenant's template id in the URL shows not-found", async () => {
    const tenant = await seedTenant();
    const other = await seedTenant();
    const foreign = await api<{ data: { templateId: string } }>(servers.apiUrl, '/api/v1/tenant/templates', {
      token: other.adminToken,
      body: {
        eventType: 'secret.thing',
        channel: 'EMAIL',
        locale: 'en',
        activate: true,
        subject: 'S',
        bodyFormat: 'html',
        body: '<p>other tenant</p>',
      },
    });
    const email = `viewer-${randomUUID().slice(0, 8)}@acme.example`;
    const created = await api<{ data: { temporaryPassword: string } }>(servers.apiUrl, `/api/v1/admin/tenants/${tenant.id}/admins`, {
      token: seedToken,
      body: { email, role: 'viewer' },
    });
    await tokenFor('tenant', email, created.body.data.temporaryPassword);

    const page = await newPage();
    await signIn(page, 'tenant', email);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Keys & secrets' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Providers' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Keys & secrets' }).click();
    await page.getByRole('heading', { name: 'Keys & secrets', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'API keys' }).getByRole('row').nth(1).waitFor();
    await poll(() => page.title()).toBe(`Keys & secrets · ${tenant.name} · Orqestra`);
    expect(await page.getByRole('button', { name: /Rotate|Generate/ }).count()).toBe(0);
    await expectAccessible(page);

    // The audit log's CSV holds what the viewer's list shows: entries without before/after values.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('table', { name: 'Audit entries' }).waitFor();
    const [header, ...rows] = (await new LogsPage(page, servers.consoleUrl).exportCsv()).trimEnd().split('\r\n');
    expect(header).toMatch(/,values_hidden,before,after$/);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => !r.endsWith(',true,,'))).toEqual([]);

    await page.goto(`${servers.consoleUrl}/tenant/templates/${foreign.body.data.templateId}`);
    await page.getByRole('alert').filter({ hasText: 'NOT_FOUND' }).waitFor();
    expect(await page.content()).not.toContain('other tenant');
    await poll(() => page.title()).toBe(`Template not found · ${tenant.name} · Orqestra`);
    await expectAccessible(page);
  });
});
