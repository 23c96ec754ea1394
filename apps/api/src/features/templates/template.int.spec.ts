import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { logsOf, trigger } from '../../../test/fixtures.js';
import { auditEntries, type Body, tenantWithAdmins } from '../../../test/admin-fixtures.js';

const base = '/api/v1/tenant/templates';
const email = (subject: string) => ({
  eventType: 'order.confirmed',
  channel: 'EMAIL',
  bodyFormat: 'html',
  subject,
  body: '<p>Hello {{name}}, order {{orderId}}</p>',
});

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
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id, eventType: 'order.confirmed', channel: 'EMAIL', locale: 'en', activeVersion: 2, latestVersion: 2 }),
    ]);
    const versions = await viewer.call('GET', `${base}/${id}/versions`);
    expect(versions.body.data.map((v: Body) => [v.version, v.active, v.subject])).toEqual([
      [2, true, 'Second {{orderId}}'],
      [1, false, 'First {{orderId}}'],
    ]);

    const rolledBack = await admin.call('POST', `${base}/${id}/activate`, { version: 1 });
    expect(rolledBack.body.data).toEqual({ templateId: id, activeVersion: 1 });
    expect((await admin.call('POST', `${base}/${id}/activate`, { version: 7 })).body.error.code).toBe('TEMPLATE_NOT_FOUND');

    const eventId = `evt-${randomUUID()}`;
    expect(
      (
        await trigger(tenant.apiKey, {
          eventType: 'order.confirmed',
          eventId,
          channels: ['EMAIL'],
          payload: { userId: 'u-1', recipientEmail: 'ada@example.com' },
          variables: { orderId: 'A-7', name: 'Ada' },
        })
      ).status,
    ).toBe(200);
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
    expect(smsPreview.body.data).toMatchObject({
      ok: true,
      content: { body: 'Your code is 123456' },
      sms: { encoding: 'GSM-7', segments: 1 },
    });
  });

  it('previews an unsaved draft with the errors a save would give, and stores nothing', async () => {
    const { tenant, admin, viewer, operator } = await tenantWithAdmins();
    const draft = {
      eventType: 'order.confirmed',
      channel: 'EMAIL',
      bodyFormat: 'html',
      subject: 'Order {{orderId}}',
      body: '<p>Hi {{name}}</p>',
    };
    const rendered = await viewer.call('POST', `${base}/preview`, { ...draft, variables: { orderId: 'D-1' } });
    expect(rendered.status).toBe(200);
    expect(rendered.body.data).toMatchObject({ ok: true, savable: true, content: { subject: 'Order D-1', html: '<p>Hi </p>' } });
    expect(rendered.body.data.warnings).toEqual([expect.objectContaining({ code: 'UNKNOWN_VARIABLE', field: 'body', line: 1 })]);

    // The same broken draft: a save refuses it with 422, the preview answers the same places.
    const broken = { ...draft, body: '<p>Hello</p>\n<p>{{#if name}}Hi {{name}}</p>' };
    const saved = await admin.call('POST', base, broken);
    expect(saved.status).toBe(422);
    const previewed = await admin.call('POST', `${base}/preview`, broken);
    expect(previewed.status).toBe(200);
    expect(previewed.body.data).toMatchObject({ ok: false, savable: false });
    expect(previewed.body.data.errors.map((e: Body) => [e.code, e.field, e.line, e.column])).toEqual(
      saved.body.error.details.map((d: Body) => [saved.body.error.code, d.path, d.line, d.column]),
    );

    const mjml =
      '<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-column>\n        <mj-text padding-everywhere="1px">Hi {{name}}</mj-text>\n      </mj-column>\n    </mj-section>\n  </mj-body>\n</mjml>';
    const soft = await admin.call('POST', `${base}/preview`, {
      ...draft,
      bodyFormat: 'mjml',
      body: mjml,
      variables: { name: 'Ann', orderId: 'D-2' },
    });
    expect(soft.body.data).toMatchObject({ ok: true, savable: false });
    expect(soft.body.data.content.html).toContain('Hi Ann');
    expect(soft.body.data.warnings).toEqual([expect.objectContaining({ code: 'MJML_INVALID', field: 'body', line: 5, column: 9 })]);

    const sms = await viewer.call('POST', `${base}/preview`, {
      channel: 'SMS',
      body: 'Kodi yako ni {{code}}',
      variables: { code: '4242' },
    });
    expect(sms.body.data).toMatchObject({ ok: true, content: { body: 'Kodi yako ni 4242' }, sms: { encoding: 'GSM-7', segments: 1 } });

    expect((await viewer.call('GET', base)).body.data).toEqual([]);
    const audit = await auditEntries({ tenantId: tenant.tenantId });
    expect(audit.map((a) => [a.action, (a.after as { draft?: boolean }).draft])).toEqual([
      ['template.preview', true],
      ['template.preview', true],
      ['template.preview', true],
      ['template.preview', true],
    ]);
    // Operators preview global drafts on their own route; the tenant route is not theirs.
    expect((await operator.call('POST', `${base}/preview`, draft)).status).toBe(403);
    const global = await operator.call('POST', '/api/v1/admin/global-templates/preview', {
      channel: 'PUSH',
      title: '{{title}}',
      pushBody: '{{message}}',
      variables: { title: 'Hello', message: 'World' },
    });
    expect(global.body.data).toMatchObject({ ok: true, content: { title: 'Hello', body: 'World' } });
  });

  it('test send writes a log marked as a test', async () => {
    const { tenant, admin, viewer } = await tenantWithAdmins();
    const id = (await admin.call('POST', base, email('Test {{orderId}}'))).body.data.templateId as string;
    expect((await admin.call('POST', `${base}/${id}/test-send`, { recipient: {} })).status).toBe(422);
    expect((await viewer.call('POST', `${base}/${id}/test-send`, { recipient: { email: 'qa@example.com' } })).status).toBe(403);
    const sent = await admin.call('POST', `${base}/${id}/test-send`, {
      recipient: { email: 'qa@example.com' },
      variables: { orderId: 'T-1', name: 'QA' },
    });
    expect(sent.status).toBe(202);
    // The content is an admin's to read (viewers get contentHidden: true).
    const log = await admin.call('GET', `/api/v1/tenant/logs/${sent.body.data.notificationId}`);
    expect(log.body.data).toMatchObject({ isTest: true, recipient: 'qa@example.com', channel: 'EMAIL', content: { subject: 'Test T-1' } });
    expect((await viewer.call('GET', '/api/v1/tenant/logs?isTest=true')).body.data.map((l: Body) => l.id)).toEqual([
      sent.body.data.notificationId,
    ]);
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
