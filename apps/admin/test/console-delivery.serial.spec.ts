import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeResend } from '@orqestra/providers';
import { pollUntil } from '@orqestra/testing';
import { ConsoleHarness, poll, screenshots, type SeededTenant } from './harness.js';
import { DlqPage } from './pages/dlq-page.js';
import { LogsPage } from './pages/logs-page.js';
import { SandboxPage } from './pages/sandbox-page.js';
import { api, expectAccessible, withDeadline } from './support.js';

/**
 * The console over notifications that are really delivered: its own API, worker and gateway on topics
 * of their own, Resend faked on loopback. A failed notification's lifecycle, its bulk replay by filter
 * until it is SENT, and a sandbox session's captured message (issue 11's scenarios).
 */
const harness = new ConsoleHarness();
const shot = screenshots(process.env.CONSOLE_SCREENSHOTS === '1');
const resend = new FakeResend();

beforeAll(async () => {
  await Promise.all([harness.start({ gateway: { topicPrefix: 'console-e2e.' } }), resend.start()]);
}, 300_000);

afterAll(async () => {
  await withDeadline(resend.close(), 30_000, 'closing the fake Resend').catch(() => undefined);
  await harness.stop();
}, 120_000);

/** The tenant's EMAIL provider is Resend at the fake (the base URL is an operator's override). */
async function connectResend(tenant: SeededTenant): Promise<void> {
  const { apiUrl } = harness.servers;
  const created = await api<{ data: { id: string } }>(apiUrl, '/api/v1/tenant/providers', {
    token: tenant.adminToken,
    body: { channel: 'EMAIL', provider: 'resend', credentials: { apiKey: resend.apiKey, fromAddress: 'orders@acme.example' } },
  });
  expect(created.status).toBe(201);
  const moved = await api(apiUrl, `/api/v1/admin/tenants/${tenant.id}/providers/${created.body.data.id}/base-url`, {
    token: harness.seedToken,
    method: 'PUT',
    body: { baseUrl: resend.url },
  });
  expect(moved.status).toBe(200);
}

async function emailTemplate(tenant: SeededTenant, eventType: string, body: string): Promise<void> {
  const created = await api(harness.servers.apiUrl, '/api/v1/tenant/templates', {
    token: tenant.adminToken,
    body: { eventType, channel: 'EMAIL', locale: 'en', activate: true, subject: `About ${eventType}`, bodyFormat: 'html', body },
  });
  expect(created.status).toBe(201);
}

interface LogRow {
  id: string;
  status: string;
  lastErrorCode: string | null;
}

/** The tenant's notifications of one event type, polled through the API until `until` holds. */
function notificationsOf(tenant: SeededTenant, eventType: string, until: (rows: LogRow[]) => boolean, what: string): Promise<LogRow[]> {
  return pollUntil(
    async () =>
      (await api<{ data: LogRow[] }>(harness.servers.apiUrl, `/api/v1/tenant/logs?eventType=${eventType}`, { token: tenant.adminToken }))
        .body.data ?? [],
    {
      until,
      timeoutMs: 90_000,
      intervalMs: 500,
      what,
    },
  );
}

describe('admin console: delivery', { timeout: 240_000 }, () => {
  it('a failed notification: the lifecycle view shows the vendor refusal and the next step; a bulk replay by filter after a dry run sends it, and the logs show it SENT', async () => {
    const tenant = await harness.seedTenant();
    await connectResend(tenant);
    await emailTemplate(tenant, 'invoice.ready', '<p>Your invoice, {{name}}</p>');
    resend.set({ permanent: true });
    const recipientEmail = `ada-${randomUUID().slice(0, 6)}@example.com`;
    const accepted = await api(harness.servers.apiUrl, '/api/v1/events/trigger', {
      apiKey: tenant.apiKey,
      body: { eventType: 'invoice.ready', channels: ['EMAIL'], payload: { userId: 'u-1', recipientEmail }, variables: { name: 'Ada' } },
    });
    expect(accepted.status).toBe(200);
    const [failed] = await notificationsOf(tenant, 'invoice.ready', (rows) => rows[0]?.status === 'FAILED', 'the notification FAILED');
    resend.ok();
    const errorCode = failed!.lastErrorCode ?? '';
    expect(errorCode).not.toBe('');

    const page = await harness.newPage();
    await harness.signIn(page, 'tenant', tenant.adminEmail);
    const logs = new LogsPage(page, harness.servers.consoleUrl);
    await logs.open('?status=FAILED');
    const row = logs.openButton('invoice.ready');
    await row.focus();
    await page.keyboard.press('Enter');
    const drawer = logs.drawer();
    await drawer.waitFor();
    // The status, the vendor's coded refusal on the message and on its attempt, and what to do next.
    await drawer.getByText(`Last error ${errorCode}`).waitFor();
    const attempts = drawer.getByRole('table', { name: 'Attempts' });
    await poll(() => attempts.textContent()).toContain(errorCode);
    expect(await attempts.textContent()).toContain('resend');
    await drawer.getByRole('link', { name: 'replay it from Dead letters' }).waitFor();
    // What was rendered for the recipient, in the sandboxed preview (a frame axe cannot enter).
    await page.frameLocator('iframe[title="Sent email preview"]').getByText('Your invoice, Ada').waitFor();
    await expectAccessible(page);
    await shot(page, 'tenant-failed-lifecycle');

    await drawer.getByRole('link', { name: 'replay it from Dead letters' }).click();
    const dlq = new DlqPage(page, harness.servers.consoleUrl);
    await dlq.drawer().getByText(errorCode).first().waitFor();
    await poll(() => page.title()).toBe(`Dead letters · ${tenant.name} · Orqestra`);
    await page.keyboard.press('Escape');
    await dlq.drawer().waitFor({ state: 'hidden' });

    await dlq.open('?eventType=invoice.ready');
    expect(await dlq.dryRun()).toContain('1 dead letters match');
    await expectAccessible(page);
    const replayed = await dlq.replay('vendor fixed', 1);
    expect(replayed.status()).toBe(200);
    await dlq.bulkDialog().getByRole('status').filter({ hasText: 'Done: 1 of 1 matching' }).waitFor();
    await shot(page, 'tenant-bulk-replay');

    await notificationsOf(tenant, 'invoice.ready', (rows) => rows[0]?.status === 'SENT', 'the replayed notification SENT');
    await logs.open('?status=SENT&eventType=invoice.ready');
    await logs.openButton('invoice.ready').click();
    await drawer.getByRole('table', { name: 'Attempts' }).getByText('2 / 1').waitFor();
    expect(resend.acceptedSends()).toBe(1);
  });

  it('sandbox: a session started in the console captures a triggered email, previewed in the sandboxed frame, and nothing reaches the vendor', async () => {
    const tenant = await harness.seedTenant();
    await connectResend(tenant);
    await emailTemplate(tenant, 'sandbox.hello', '<p>Captured for {{name}}</p>');
    const sentBefore = resend.acceptedSends();

    const page = await harness.newPage();
    await harness.signIn(page, 'tenant', tenant.adminEmail);
    const sandbox = new SandboxPage(page, harness.servers.consoleUrl);
    await sandbox.open();
    await poll(() => page.title()).toBe(`Sandbox · ${tenant.name} · Orqestra`);
    const key = await sandbox.start();
    expect(key).toMatch(/^oq_test_/);
    await expectAccessible(page);

    // The session is bound to the address the API saw the console call from (this machine).
    const accepted = await api(harness.servers.apiUrl, '/api/v1/events/trigger', {
      apiKey: key,
      body: {
        eventType: 'sandbox.hello',
        channels: ['EMAIL'],
        payload: { userId: 'u-1', recipientEmail: 'ada@example.com' },
        variables: { name: 'Ada' },
      },
    });
    expect(accepted.status).toBe(200);
    const message = sandbox.captured().getByRole('button', { name: /sandbox\.hello/ });
    await message.waitFor({ timeout: 90_000 });
    await message.click();
    await sandbox.drawer().getByText('Subject: About sandbox.hello').waitFor();
    await sandbox.previewFrame().getByText('Captured for Ada').waitFor();
    await expectAccessible(page);
    await shot(page, 'tenant-sandbox-captured');
    await page.keyboard.press('Escape');
    await sandbox.drawer().waitFor({ state: 'hidden' });
    expect(resend.acceptedSends()).toBe(sentBefore);
  });
});
