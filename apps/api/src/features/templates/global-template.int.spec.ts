import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { adminCall, operatorToken, tenantAdminToken } from '../../../test/admin-fixtures.js';
import { newTenant, testDatabase } from '../../../test/fixtures.js';

// What the console's global-template matrix and editor read (issue 11), against the running API.
afterAll(() => testDatabase().close());

interface Row {
  id: string;
  eventType: string;
  channel: string;
  locale: string;
  activeVersion: number | null;
  overriddenBy: number;
}

async function listed(token: string, search: string): Promise<Row[]> {
  const response = await adminCall(token, 'GET', `/api/v1/admin/global-templates?search=${encodeURIComponent(search)}&limit=200`);
  expect(response.status).toBe(200);
  return response.body.data as Row[];
}

describe('global templates for the console', () => {
  it('counts the tenants that override a global template: active templates of their own for the same event type, channel and locale, deleted tenants left out', async () => {
    const token = await operatorToken();
    const eventType = `global.override-${randomUUID()}`;
    for (const [channel, locale] of [
      ['SMS', 'en'],
      ['SMS', 'fr'],
      ['PUSH', 'en'],
    ] as const) {
      const body = channel === 'SMS' ? { channel, body: 'Hello {{name}}' } : { channel, title: 'Hi', pushBody: 'Hello' };
      expect(
        (await adminCall(token, 'POST', '/api/v1/admin/global-templates', { eventType, locale, activate: true, template: body })).status,
      ).toBe(201);
    }
    const tenants = await Promise.all([newTenant(), newTenant(), newTenant(), newTenant()]);
    const own = async (tenantId: string, locale: string, activate: boolean) =>
      expect(
        (
          await adminCall(await tenantAdminToken(tenantId), 'POST', '/api/v1/tenant/templates', {
            eventType,
            channel: 'SMS',
            locale,
            activate,
            body: 'Mine {{name}}',
          })
        ).status,
      ).toBe(201);
    await own(tenants[0]!.tenantId, 'en', true);
    await own(tenants[1]!.tenantId, 'en', true);
    await own(tenants[2]!.tenantId, 'en', false); // saved but not active: the global one still serves it
    await own(tenants[3]!.tenantId, 'en', true);
    await own(tenants[0]!.tenantId, 'fr', true);
    expect((await adminCall(token, 'DELETE', `/api/v1/admin/tenants/${tenants[3]!.tenantId}`)).status).toBe(200);

    const rows = await listed(token, eventType);
    expect(rows.map((r) => [r.channel, r.locale, r.activeVersion, r.overriddenBy])).toEqual([
      ['PUSH', 'en', 1, 0],
      ['SMS', 'en', 1, 2],
      ['SMS', 'fr', 1, 1],
    ]);
    const smsEn = rows.find((r) => r.channel === 'SMS' && r.locale === 'en')!;
    const one = await adminCall(token, 'GET', `/api/v1/admin/global-templates/${smsEn.id}`);
    expect([one.status, one.body.data]).toEqual([200, smsEn]);
    expect((await adminCall(token, 'GET', `/api/v1/admin/global-templates/${randomUUID()}`)).status).toBe(404);
  });

  it('finds templates by part of the event type (case-insensitive, % and _ taken literally)', async () => {
    const token = await operatorToken();
    const marker = randomUUID().slice(0, 8);
    for (const eventType of [`global.Search_${marker}.a`, `global.searchX${marker}.b`]) {
      expect(
        (await adminCall(token, 'POST', '/api/v1/admin/global-templates', { eventType, template: { channel: 'SMS', body: 'x' } })).status,
      ).toBe(201);
    }
    expect((await listed(token, `SEARCH_${marker}`)).map((r) => r.eventType)).toEqual([`global.Search_${marker}.a`]);
    expect((await listed(token, `search%${marker}`)).map((r) => r.eventType)).toEqual([]);
    expect((await listed(token, marker)).length).toBe(2);
  });

  it('gives each version its full source, so the editor can open it', async () => {
    const token = await operatorToken();
    const eventType = `global.editor-${randomUUID()}`;
    const saved = await adminCall(token, 'POST', '/api/v1/admin/global-templates', {
      eventType,
      template: { channel: 'EMAIL', subject: 'Hi {{name}}', bodyFormat: 'html', body: '<p>Hello {{name}}</p>', textBody: 'Hello {{name}}' },
    });
    expect(saved.status).toBe(201);
    const versions = await adminCall(token, 'GET', `/api/v1/admin/global-templates/${saved.body.data.templateId}/versions`);
    expect(versions.body.data).toEqual([
      expect.objectContaining({
        version: 1,
        active: false,
        subject: 'Hi {{name}}',
        bodyFormat: 'html',
        body: '<p>Hello {{name}}</p>',
        textBody: 'Hello {{name}}',
        title: null,
        pushBody: null,
        category: null,
        data: null,
      }),
    ]);
  });
});
