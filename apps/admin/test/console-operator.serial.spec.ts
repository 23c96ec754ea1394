import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleHarness, poll, screenshots } from './harness.js';
import { GlobalTemplatesPage } from './pages/global-templates-page.js';
import { ReplayTasksPage } from './pages/replay-tasks-page.js';
import { SystemPage } from './pages/system-page.js';
import { TemplateEditorPage } from './pages/template-editor-page.js';
import { api, createOperator, expectAccessible } from './support.js';

/**
 * The operator pages of issue 11 in Debian's Chromium against their own API, worker and gateway
 * (the gateway on topics of its own, the API probing both for the System page): the global-template
 * matrix with its override counts and the shared editor, the System page, the replay tasks.
 * Seeds go through the API; every page is checked with axe and its title.
 */
const harness = new ConsoleHarness();
const shot = screenshots(process.env.CONSOLE_SCREENSHOTS === '1');
let operator: string;

beforeAll(async () => {
  await harness.start({ gateway: { topicPrefix: `console-op-${randomUUID().slice(0, 8)}.` }, probes: true });
  operator = `op-${randomUUID().slice(0, 8)}`;
  await createOperator(operator, 'temporary password 3');
  await harness.tokenFor('admin', operator, 'temporary password 3');
}, 300_000);

afterAll(() => harness.stop(), 120_000);

const seed = <T = Record<string, unknown>>(path: string, init: { token?: string; method?: string; body?: unknown } = {}) =>
  api<{ data: T }>(harness.servers.apiUrl, path, { token: harness.seedToken, ...init });

describe('operator console pages', { timeout: 240_000 }, () => {
  it('global templates: the matrix shows each channel’s active version and how many tenants override it; the shared editor saves and rolls back a global template', async () => {
    const eventType = `global.console-${randomUUID().slice(0, 8)}`;
    const save = async (channel: string, locale: string, activate: boolean, template: Record<string, unknown>) => {
      const saved = await seed<{ templateId: string }>('/api/v1/admin/global-templates', {
        body: { eventType, locale, activate, template: { channel, ...template } },
      });
      expect(saved.status).toBe(201);
      return saved.body.data.templateId;
    };
    const emailEn = await save('EMAIL', 'en', true, { subject: '{{title}}', bodyFormat: 'html', body: '<p>{{message}}</p>' });
    await save('SMS', 'en', true, { body: '{{title}}: {{message}}' });
    await save('EMAIL', 'fr', false, { subject: '{{title}}', bodyFormat: 'html', body: '<p>{{message}}</p>' });
    // Two tenants override the English e-mail with an active template of their own; a third only saved an inactive one.
    const tenants = await Promise.all([harness.seedTenant(), harness.seedTenant(), harness.seedTenant()]);
    for (const [index, tenant] of tenants.entries()) {
      const own = await api(harness.servers.apiUrl, '/api/v1/tenant/templates', {
        token: tenant.adminToken,
        body: { eventType, channel: 'EMAIL', locale: 'en', activate: index < 2, subject: 'Ours', bodyFormat: 'html', body: '<p>Ours</p>' },
      });
      expect(own.status).toBe(201);
    }

    const page = await harness.newPage();
    await harness.signIn(page, 'admin', operator);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Global templates' }).click();
    const matrix = new GlobalTemplatesPage(page, harness.servers.consoleUrl);
    await page.getByRole('heading', { name: 'Global templates', level: 1 }).waitFor();
    await poll(() => page.title()).toBe('Global templates · Platform · Orqestra');
    await matrix.search(eventType);
    await poll(() => new URL(page.url()).searchParams.get('search')).toBe(eventType);
    await matrix.templateLink(eventType, 'EMAIL', 'en').waitFor();
    expect(await matrix.templateLink(eventType, 'EMAIL', 'en').textContent()).toContain('v1');
    expect(await matrix.cell(eventType, 'en', 'EMAIL').textContent()).toContain('Overridden by 2 tenants');
    expect(await matrix.cell(eventType, 'en', 'SMS').textContent()).toContain('Not overridden');
    expect(await matrix.cell(eventType, 'en', 'PUSH').textContent()).toContain('no PUSH template');
    expect(await matrix.cell(eventType, 'fr', 'EMAIL').textContent()).toMatch(/edit \(latest v1\).*inactive/);
    await expectAccessible(page);
    await shot(page, 'operator-global-templates');

    // The same editor as tenants', on the global template: no test send (that goes through a tenant's providers).
    await matrix.templateLink(eventType, 'EMAIL', 'en').click();
    await page.waitForURL(new RegExp(`/operator/templates/${emailEn}$`));
    const editor = new TemplateEditorPage(page, harness.servers.consoleUrl, 'operator');
    await editor.waitForEditor();
    await poll(() => page.title()).toBe(`Template ${eventType} (EMAIL) · Platform · Orqestra`);
    await page.getByRole('note').filter({ hasText: '2 tenants override it' }).waitFor();
    expect(await page.getByRole('button', { name: 'Send test' }).count()).toBe(0);
    await editor.replaceBody('<p>Platform notice: {{message}}</p>');
    await editor.previewFrame().getByText('Platform notice: Sending pauses tonight from 02:00 to 02:15 UTC.').waitFor();
    await expectAccessible(page);
    await shot(page, 'operator-global-template-editor');
    expect((await editor.save()).status()).toBe(201);
    await page.getByRole('status').filter({ hasText: 'Saved as version 2 (active).' }).waitFor();
    await editor.versions().getByText('v2', { exact: true }).waitFor();
    await poll(
      async () => (await seed<{ activeVersion: number }>(`/api/v1/admin/global-templates/${emailEn}`)).body.data.activeVersion,
    ).toBe(2);

    expect((await editor.activate(1)).status()).toBe(200);
    await page.getByRole('status').filter({ hasText: 'Version 1 is active.' }).waitFor();
    await poll(
      async () => (await seed<{ activeVersion: number }>(`/api/v1/admin/global-templates/${emailEn}`)).body.data.activeVersion,
    ).toBe(1);
    const versions = await seed<{ version: number; body: string }[]>(`/api/v1/admin/global-templates/${emailEn}/versions`);
    expect(versions.body.data.map((v) => [v.version, v.body])).toEqual([
      [2, '<p>Platform notice: {{message}}</p>'],
      [1, '<p>{{message}}</p>'],
    ]);
  });

  it('system: every service and component as the API found it, with versions, the active key, retention and the metrics and reference links', async () => {
    const report = await seed<{ encryption: { activeKeyId: string } }>('/api/v1/admin/system');
    expect(report.status).toBe(200);
    const page = await harness.newPage();
    await harness.signIn(page, 'admin', operator);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'System' }).click();
    const system = new SystemPage(page, harness.servers.consoleUrl);
    await system.waitForReport();
    await poll(() => page.title()).toBe('System · Platform · Orqestra');

    for (const name of ['api', 'worker', 'gateway']) await poll(() => system.serviceStatus(name).textContent()).toBe('✓ok');
    expect(await system.service('worker').textContent()).toContain('0.1.0');
    expect(await system.service('gateway').textContent()).toContain('0.1.0');
    await system.service('console').getByText('0.1.0').waitFor();
    for (const name of ['PostgreSQL', 'Redis', 'Kafka', 'Centrifugo']) expect(await system.componentStatus(name).textContent()).toBe('✓ok');
    expect(await system.component('PostgreSQL').textContent()).toMatch(/\d+\.\d+/);
    expect(await system.component('Centrifugo').textContent()).toMatch(/6\.\d+/);
    expect(await system.card('Encryption').textContent()).toContain(report.body.data.encryption.activeKeyId);
    expect(await system.card('Retention').textContent()).toContain('no automatic purge runs yet');
    expect(await page.getByRole('link', { name: 'API reference (/api/docs)' }).getAttribute('href')).toBe('/api/docs');
    expect(await page.getByRole('link', { name: 'Prometheus metrics of worker' }).getAttribute('href')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/metrics$/,
    );
    await expectAccessible(page);
    await shot(page, 'operator-system');
    expect((await system.checkAgain()).status()).toBe(200);
    await system.waitForReport();
  });

  it('replay tasks: finished bulk replays and discards from their audit entries, said to run synchronously, each linking to its entry', async () => {
    const tenant = await harness.seedTenant();
    const reason = `console tasks ${randomUUID().slice(0, 8)}`;
    const replay = await seed<{ matched: number; done: number }>('/api/v1/admin/dlq/replay', {
      body: { filter: { tenantId: tenant.id, eventType: 'order.shipped' }, limit: 5, reason: `${reason} replay` },
    });
    expect(replay.status).toBe(200);
    const discard = await seed('/api/v1/admin/dlq/discard', {
      body: { filter: { tenantId: tenant.id }, limit: 3, reason: `${reason} discard` },
    });
    expect(discard.status).toBe(200);

    const page = await harness.newPage();
    await harness.signIn(page, 'admin', operator);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Replay tasks' }).click();
    const tasks = new ReplayTasksPage(page, harness.servers.consoleUrl);
    await page.getByRole('heading', { name: 'Replay tasks', level: 1 }).waitFor();
    await poll(() => page.title()).toBe('Replay tasks · Platform · Orqestra');
    expect(await tasks.note().textContent()).toContain('Bulk work runs synchronously.');
    await tasks.row(`${reason} replay`).waitFor();
    const replayRow = await tasks.row(`${reason} replay`).textContent();
    expect(replayRow).toContain('Replay');
    expect(replayRow).toContain(`tenantId = ${tenant.id}`);
    expect(replayRow).toContain('eventType = order.shipped');
    expect(replayRow).toContain(`${replay.body.data.done} (5)`);
    expect(await tasks.row(`${reason} discard`).textContent()).toMatch(/Discard.*0 \(3\)/);
    await expectAccessible(page);

    await tasks.auditLink(`${reason} replay`).click();
    await page.waitForURL(/\/operator\/audit\?action=dlq\.bulk_replay&traceId=[^&]+&open=/);
    await page.getByRole('dialog', { name: 'Audit entry' }).getByText(`${reason} replay`).waitFor();
  });
});
