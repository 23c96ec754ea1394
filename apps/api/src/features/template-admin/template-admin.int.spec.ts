import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { logsOf, trigger } from '../../../test/fixtures.js';
import { auditEntries, type Body, tenantWithAdmins } from '../../../test/admin-fixtures.js';

const base = '/api/v1/tenant/templates';
const email = (subject: string) => ({ eventType: 'order.confirmed', channel: 'EMAIL', bodyFormat: 'html', subject, body: '<p>Hello {{name}}, order {{orderId}}</p>' });

describe('tenant templates', () => {
  it('refuses an invalid template with line and column', async () => {
    const { admin } = await tenantWithAdmins();
    const answer = await admin.call('POST', base, { ...email('Hi'), body: '<p>Hello</p>\n<p>{{#if name}}Hi {{name}}</p>' });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('TEMPLATE_INVALID');
    const detail = answer.body.error.details[0];
    expect(detail.path).toBe('body');
    expect(detail.line).toBeGreaterThanOrEqual(2);
    expect(typeof detail.column).toBe('number');
    expect((await admin.call('GET', base)).body.data).toEqual([]);
  });

  it('saves versions, activates and rolls back; the worker renders the active one', async () => {
    const { tenant, admin, viewer } = await tenantWithAdmins();
    const v1 = await admin.call('POST', base, { ...email('First {{orderId}}'), activate: true });
    expect(v1.status).toBe(201);
    expect(v1.body.data).toMatchObject({ version: 1, active: true });
    const id = v1.body.data.templateId as string;
    const v2 = await admin.call('POST', base, { ...email('Second {{orderId}}'), activate: true });
    expect(v2.body.data).toMatchObject({ templateId: id, version: 2, active: true });

    const listed = await viewer.call('GET', base);
    expect(listed.body.data).toEqual([expect.objectContaining({ id, eventType: 'order.confirmed', channel: 'EMAIL', locale: 'en', activeVersion: 2, latestVersion: 2 })]);
    const versions = await viewer.call('GET', `${base}/${id}/versions`);
    expect(versions.body.data.map((v: Body) => [v.version, v.active, v.subject])).toEqual([
      [2, true, 'Second {{orderId}}'],
      [1, false, 'First {{orderId}}'],
    ]);

    const rolledBack = await admin.call('POST', `${base}/${id}/activate`, { version: 1 });
    expect(rolledBack.body.data).toEqual({ templateId: id, activeVersion: 1 });
    expect((await admin.call('POST', `${base}/${id}/activate`, { version: 7 })).body.error.code).toBe('TEMPLATE_NOT_FOUND');

    const eventId = `evt-${randomUUID()}`;
    expect((await trigger(tenant.apiKey, { eventType: 'order.confirmed', eventId, channels: ['EMAIL'], payload: { userId: 'u-1', recipientEmail: 'ada@example.com' }, variables: { orderId: 'A-7', name: 'Ada' } })).status).toBe(200);
    const [log] = await pollUntil(() => logsOf(tenant.tenantId, eventId), { until: (rows) => rows.length === 1, what: 'the rendered log' });
    expect((log!.content as { subject: string }).subject).toBe('First A-7');

    const off = await admin.call('POST', `${base}/${id}/deactivate`);
    expect(off.body.data).toEqual({ templateId: id, activeVersion: null });
    expect((await viewer.call('GET', base)).body.data[0].activeVersion).toBeNull();
    const actions = (await auditEntries({ tenantId: tenant.tenantId })).map((a) => a.action);
    expect(actions).toEqual(['template.version.create', 'template.version.create', 'template.activate', 'template.deactivate']);
  });

  it('previews with sample variables and warns about unknown ones', async () => {
    const { admin, viewer } = await tenantWithAdmins();
    const id = (await admin.call('POST', base, email('Order {{orderId}}'))).body.data.templateId as string;
    const preview = await viewer.call('POST', `${base}/${id}/preview`, { variables: { orderId: 'B-2' } });
    expect(preview.status).toBe(200);
    expect(preview.body.data.ok).toBe(true);
    expect(preview.body.data.content.subject).toBe('Order B-2');
    expect(preview.body.data.warnings.map((w: Body) => w.code)).toContain('UNKNOWN_VARIABLE');
    const sms = await admin.call('POST', base, { eventType: 'otp', channel: 'SMS', body: 'Your code is {{code}}' });
    const smsPreview = await viewer.call('POST', `${base}/${sms.body.data.templateId}/preview`, { variables: { code: '123456' } });
    expect(smsPreview.body.data).toMatchObject({ ok: true, content: { body: 'Your code is 123456' }, sms: { encoding: 'GSM-7', segments: 1 } });
  });

  it('test send writes a log marked as a test', async () => {
    const { tenant, admin, viewer } = await tenantWithAdmins();
    const id = (await admin.call('POST', base, email('Test {{orderId}}'))).body.data.templateId as string;
    expect((await admin.call('POST', `${base}/${id}/test-send`, { recipient: {} })).status).toBe(422);
    expect((await viewer.call('POST', `${base}/${id}/test-send`, { recipient: { email: 'qa@example.com' } })).status).toBe(403);
    const sent = await admin.call('POST', `${base}/${id}/test-send`, { recipient: { email: 'qa@example.com' }, variables: { orderId: 'T-1', name: 'QA' } });
    expect(sent.status).toBe(202);
    const log = await viewer.call('GET', `/api/v1/tenant/logs/${sent.body.data.notificationId}`);
    expect(log.body.data).toMatchObject({ isTest: true, recipient: 'qa@example.com', channel: 'EMAIL', content: { subject: 'Test T-1' } });
    expect((await viewer.call('GET', '/api/v1/tenant/logs?isTest=true')).body.data.map((l: Body) => l.id)).toEqual([sent.body.data.notificationId]);
    expect((await auditEntries({ tenantId: tenant.tenantId })).map((a) => a.action)).toContain('template.test_send');
  });

  it("another tenant's admin finds none of it", async () => {
    const { admin, stranger } = await tenantWithAdmins();
    const id = (await admin.call('POST', base, email('Mine'))).body.data.templateId as string;
    for (const [method, path, body] of [
      ['GET', `${base}/${id}/versions`, undefined],
      ['POST', `${base}/${id}/activate`, { version: 1 }],
      ['POST', `${base}/${id}/deactivate`, undefined],
      ['POST', `${base}/${id}/preview`, {}],
      ['POST', `${base}/${id}/test-send`, { recipient: { email: 'x@example.com' } }],
    ] as const) {
      const answer = await stranger.call(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.text).not.toContain('Mine');
    }
    expect((await stranger.call('GET', base)).body.data).toEqual([]);
  });
});
