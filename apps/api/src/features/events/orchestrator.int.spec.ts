import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventReceived } from '@orqestra/contracts';
import { Redis } from 'ioredis';
import { pollUntil, stackEnv } from '@orqestra/testing';
import { captureDispatches, eventStatus, logsOf, newTenant, testDatabase, trigger } from '../../../test/fixtures.js';
import { TemplateRenderer } from '../templates/engine/template.renderer.js';
import { TemplateService, type TemplateOwner } from '../templates/template.service.js';
import { OrchestratorService } from './orchestrator.service.js';

// SPEC §3 step 2, through the real API and worker processes, PostgreSQL and Kafka.
let capture: Awaited<ReturnType<typeof captureDispatches>>;
beforeAll(async () => {
  capture = await captureDispatches();
});
afterAll(async () => {
  await capture.close();
  await testDatabase().close();
});

const templates = () => new TemplateService(testDatabase());
const asTenant = (tenantId: string): TemplateOwner => ({ kind: 'tenant', tenantId, actor: { type: 'operator', id: 'tests' } });

async function processed(tenantId: string, eventId: string, channels: number) {
  return pollUntil(() => logsOf(tenantId, eventId), {
    until: (rows) => rows.length === channels,
    timeoutMs: 15_000,
    what: `${channels} log rows for ${eventId}`,
  });
}

describe('the worker', () => {
  it('renders each channel with an active template and publishes one dispatch per PENDING row', async () => {
    const tenant = await newTenant();
    const mjml =
      '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{name}}, order {{order.items.0.name}} is on its way{{#if vip}}, VIP{{/if}}.</mj-text><mj-button href="https://shop.example/o/{{orderNo}}">Track</mj-button></mj-column></mj-section></mj-body></mjml>';
    await templates().saveVersion(asTenant(tenant.tenantId), {
      eventType: 'order.shipped',
      draft: { channel: 'EMAIL', subject: 'Order {{orderNo}} for {{name}}', bodyFormat: 'mjml', body: mjml },
      activate: true,
      createdBy: 'tests',
    });
    await templates().saveVersion(asTenant(tenant.tenantId), {
      eventType: 'order.shipped',
      draft: { channel: 'SMS', bodyFormat: 'text', body: '{{name}}: order {{orderNo}} shipped' },
      activate: true,
      createdBy: 'tests',
    });
    const name = '<script>alert("x")</script> & Co';
    const response = await trigger(tenant.apiKey, {
      eventType: 'order.shipped',
      eventId: 'ship-1',
      payload: { userId: 'u-1', recipientEmail: 'ada@example.com', recipientPhone: '+254700000001', name: 'from payload' },
      variables: { name, orderNo: 'A-17', vip: true, order: { items: [{ name: 'Teapot' }] } },
    });
    expect(response.status).toBe(200);
    const rows = await processed(tenant.tenantId, 'ship-1', 2);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['EMAIL', 'PENDING'],
      ['SMS', 'PENDING'],
    ]);
    const dispatches = await pollUntil(() => capture.forTenant(tenant.tenantId), {
      until: (list) => list.length === 2,
      what: 'two dispatches',
    });
    const email = dispatches.find((d) => d.channel === 'EMAIL')!;
    const sms = dispatches.find((d) => d.channel === 'SMS')!;
    expect(email.notificationId).toBe(rows.find((r) => r.channel === 'EMAIL')!.id);
    expect(email.recipient).toEqual({ userId: 'u-1', email: 'ada@example.com' });
    expect(email.traceId).toBe(response.body.traceId);
    // Variables win over payload fields; escaping happens in the HTML body only.
    expect(email.content.subject).toBe(`Order A-17 for ${name}`);
    expect(email.content.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co, order Teapot is on its way, VIP.');
    expect(email.content.html).not.toContain('<script>');
    expect(email.content.html).toContain('href="https://shop.example/o/A-17"');
    expect(email.content.text).toContain('Teapot');
    expect(sms.content.body).toBe(`${name}: order A-17 shipped`);
    expect(sms.recipient).toEqual({ userId: 'u-1', phone: '+254700000001' });
  });

  it('resolves channels: requested ∩ the tenant’s delivery channels ∩ those with an active template', async () => {
    const tenant = await newTenant({ deliveryChannels: ['EMAIL', 'PUSH'] });
    for (const channel of ['EMAIL', 'SMS'] as const) {
      await templates().saveVersion(asTenant(tenant.tenantId), {
        eventType: 'invoice.due',
        draft:
          channel === 'EMAIL'
            ? { channel, subject: 'Due', bodyFormat: 'html', body: '<p>Due</p>' }
            : { channel, bodyFormat: 'text', body: 'Due' },
        activate: true,
        createdBy: 'tests',
      });
    }
    await trigger(tenant.apiKey, {
      eventType: 'invoice.due',
      eventId: 'inv-1',
      payload: { userId: 'u', recipientEmail: 'a@example.com', recipientPhone: '+15550000001' },
    });
    await processed(tenant.tenantId, 'inv-1', 1);
    const status = await pollUntil(() => eventStatus(tenant.apiKey, 'inv-1'), {
      until: (s) => s.body.status === 'PROCESSED',
      what: 'the event status',
    }).then((s) => s.body);
    expect(Object.keys(status.channels).sort()).toEqual(['EMAIL', 'PUSH', 'SMS']);
    expect(status.channels.EMAIL?.status).toBe('PENDING');
    expect(status.channels.SMS).toEqual({ skipped: 'CHANNEL_NOT_ALLOWED' });
    expect(status.channels.PUSH).toEqual({ skipped: 'NO_ACTIVE_TEMPLATE' });

    await trigger(tenant.apiKey, { eventType: 'invoice.due', eventId: 'inv-2', channels: ['PUSH'], payload: { userId: 'u' } });
    await pollUntil(() => eventStatus(tenant.apiKey, 'inv-2'), { until: (s) => s.status === 200, what: 'inv-2' });
    expect(await logsOf(tenant.tenantId, 'inv-2')).toEqual([]);
  });

  it('uses the tenant override, then falls back to the global template, by the locale chain', async () => {
    const tenant = await newTenant({ defaultLocale: 'fr' });
    await templates().saveVersion(asTenant(tenant.tenantId), {
      eventType: 'global.success',
      locale: 'de',
      draft: { channel: 'SMS', bodyFormat: 'text', body: 'DE {{title}}' },
      activate: true,
      createdBy: 'tests',
    });
    await templates().saveVersion(asTenant(tenant.tenantId), {
      eventType: 'global.success',
      locale: 'fr',
      draft: { channel: 'SMS', bodyFormat: 'text', body: 'FR {{title}}' },
      activate: true,
      createdBy: 'tests',
    });
    const base = {
      eventType: 'global.success',
      payload: { userId: 'u', recipientPhone: '+15550000002', recipientEmail: 'a@example.com' },
      variables: { title: 'Paid', message: 'Thanks' },
    };
    await trigger(tenant.apiKey, { ...base, eventId: 'g-de', locale: 'de-AT', channels: ['SMS'] }); // de-AT → de
    await trigger(tenant.apiKey, { ...base, eventId: 'g-xx', locale: 'ja', channels: ['SMS'] }); // ja → tenant default fr
    await trigger(tenant.apiKey, { ...base, eventId: 'g-email', channels: ['EMAIL'] }); // no tenant EMAIL template → global
    const sms = await pollUntil(() => capture.forTenant(tenant.tenantId), { until: (list) => list.length === 3, what: 'three dispatches' });
    expect(sms.find((d) => d.eventId === 'g-de')?.content.body).toBe('DE Paid');
    expect(sms.find((d) => d.eventId === 'g-xx')?.content.body).toBe('FR Paid');
    const email = sms.find((d) => d.eventId === 'g-email')!;
    expect(email.content.subject).toBe('Paid');
    expect(email.content.html).toContain('Thanks');
  });

  it('fails a notification whose rendered output is over 256 KiB with a coded error and no content to send', async () => {
    const tenant = await newTenant();
    await templates().saveVersion(asTenant(tenant.tenantId), {
      eventType: 'report.ready',
      draft: { channel: 'SMS', bodyFormat: 'text', body: '{{#each parts}}{{../blob}}{{/each}}' },
      activate: true,
      createdBy: 'tests',
    });
    const response = await trigger(tenant.apiKey, {
      eventType: 'report.ready',
      eventId: 'big-1',
      payload: { userId: 'u', recipientPhone: '+15550000003' },
      variables: { blob: 'x'.repeat(60_000), parts: [1, 2, 3, 4, 5] },
    });
    expect(response.status).toBe(200);
    const rows = await processed(tenant.tenantId, 'big-1', 1);
    expect(rows[0]).toMatchObject({ status: 'FAILED', last_error_code: 'TEMPLATE_OUTPUT_TOO_LARGE', content: null });
  });

  it('records MISSING_RECIPIENT as a FAILED log and dispatches nothing for that channel', async () => {
    const tenant = await newTenant();
    await trigger(tenant.apiKey, {
      eventType: 'global.alert',
      eventId: 'm-1',
      payload: { userId: 'u' },
      variables: { title: 'T', message: 'M' },
    });
    const rows = await processed(tenant.tenantId, 'm-1', 3);
    const byChannel = Object.fromEntries(rows.map((r) => [r.channel, r]));
    expect(byChannel.EMAIL).toMatchObject({ status: 'FAILED', last_error_code: 'MISSING_RECIPIENT' });
    expect(byChannel.SMS).toMatchObject({ status: 'FAILED', last_error_code: 'MISSING_RECIPIENT' });
    expect(byChannel.PUSH).toMatchObject({ status: 'PENDING' });
    const dispatches = await pollUntil(() => capture.forTenant(tenant.tenantId), {
      until: (list) => list.length >= 1,
      what: 'the push dispatch',
    });
    expect(dispatches.map((d) => d.channel)).toEqual(['PUSH']);
    expect(dispatches[0]!.content).toMatchObject({ title: 'T', body: 'M', category: 'alert' });
  });

  it('a redelivered event creates no new row and republishes the rows still PENDING', async () => {
    const tenant = await newTenant();
    const message: EventReceived = {
      v: 1,
      tenantId: tenant.tenantId,
      mode: 'live',
      eventId: `re-${randomUUID()}`,
      eventType: 'global.info',
      channels: ['PUSH'],
      payload: { userId: 'u-9' },
      variables: { title: 'Hi', message: 'There' },
      traceId: 'trace-redelivery',
      receivedAt: new Date().toISOString(),
    };
    await capture.producer.publish('eventReceived', [{ message, traceId: message.traceId }]);
    await capture.producer.publish('eventReceived', [{ message, traceId: message.traceId }]);
    const dispatches = await pollUntil(() => capture.forTenant(tenant.tenantId), {
      until: (list) => list.length === 2,
      what: 'the dispatch twice',
    });
    expect(new Set(dispatches.map((d) => d.notificationId)).size).toBe(1);
    expect(await logsOf(tenant.tenantId, message.eventId)).toHaveLength(1);
  });

  it('skips an event it can never process (unknown tenant) without blocking the ones behind it', async () => {
    const tenant = await newTenant();
    const base = {
      v: 1 as const,
      mode: 'live' as const,
      eventType: 'global.info',
      channels: ['PUSH' as const],
      variables: { title: 't', message: 'm' },
      traceId: 't-poison',
    };
    const ghost: EventReceived = {
      ...base,
      tenantId: randomUUID(),
      eventId: 'ghost',
      payload: { userId: 'same-user' },
      receivedAt: new Date().toISOString(),
    };
    const real: EventReceived = {
      ...base,
      tenantId: tenant.tenantId,
      eventId: 'after-ghost',
      payload: { userId: 'same-user' },
      receivedAt: new Date().toISOString(),
    };
    await capture.producer.publish('eventReceived', [
      { message: ghost, traceId: ghost.traceId },
      { message: real, traceId: real.traceId },
    ]);
    await processed(tenant.tenantId, 'after-ghost', 1);
  });

  it('a poisoned event among good ones of the same tenant costs only itself, and its status says FAILED', async () => {
    const tenant = await newTenant();
    const base = {
      v: 1 as const,
      tenantId: tenant.tenantId,
      mode: 'live' as const,
      eventType: 'global.info',
      channels: ['PUSH' as const],
      variables: { title: 't', message: 'm' },
    };
    // What the API now refuses (issue 13 item 4), produced straight to the topic: PostgreSQL refuses NUL in text.
    const events: EventReceived[] = ['good-1', 'poisoned', 'good-2'].map((eventId) => ({
      ...base,
      eventId,
      payload: { userId: eventId === 'poisoned' ? 'bad\u0000user' : 'u-ok' },
      traceId: `t-${eventId}`,
      receivedAt: new Date().toISOString(),
    }));
    await capture.producer.publish(
      'eventReceived',
      events.map((message) => ({ message, traceId: message.traceId })),
    );
    await processed(tenant.tenantId, 'good-1', 1);
    await processed(tenant.tenantId, 'good-2', 1);
    const status = await pollUntil(() => eventStatus(tenant.apiKey, 'poisoned'), {
      until: (s) => s.status === 200,
      what: 'the poisoned event to be recorded',
    });
    expect(status.body).toMatchObject({ eventId: 'poisoned', status: 'FAILED', error: { code: 'EVENT_DATA_INVALID' } });
    expect(await logsOf(tenant.tenantId, 'poisoned')).toHaveLength(0);
  });

  it('in one fetched batch, a data error retries the group one event at a time and parks only the offender', async () => {
    const tenant = await newTenant();
    const base = {
      v: 1 as const,
      tenantId: tenant.tenantId,
      mode: 'live' as const,
      eventType: 'global.info',
      channels: ['PUSH' as const],
      traceId: 't-batch',
      receivedAt: new Date().toISOString(),
    };
    const batch: EventReceived[] = [
      { ...base, eventId: 'b-good-1', payload: { userId: 'u' }, variables: { title: 't', message: 'm' } },
      { ...base, eventId: 'b-poisoned', payload: { userId: 'u' }, variables: { title: 'bad\u0000title', message: 'm' } },
      { ...base, eventId: 'b-good-2', payload: { userId: 'u' }, variables: { title: 't', message: 'm' } },
    ];
    const rejected: string[] = [];
    const result = await new OrchestratorService(testDatabase(), new TemplateRenderer()).processBatch(batch, (event) =>
      rejected.push(event.eventId),
    );
    expect(result.outcomes).toMatchObject({ processed: 2, rejected: 1 });
    expect(result.dispatches.map((d) => d.message.eventId)).toEqual(['b-good-1', 'b-good-2']);
    expect(rejected).toEqual(['b-poisoned']);
    expect(await logsOf(tenant.tenantId, 'b-good-1')).toHaveLength(1);
    expect(await logsOf(tenant.tenantId, 'b-good-2')).toHaveLength(1);
    const status = await eventStatus(tenant.apiKey, 'b-poisoned');
    expect(status.body).toMatchObject({ status: 'FAILED', error: { code: 'EVENT_DATA_INVALID' } });
  });

  it('a tenant group is written batch-shaped: new events, a repeat, a reused eventId, a missing recipient and a sandbox event each keep their path, and a replay writes nothing new', async () => {
    const tenant = await newTenant();
    const receivedAt = new Date().toISOString();
    const base = {
      v: 1 as const,
      tenantId: tenant.tenantId,
      mode: 'live' as const,
      eventType: 'global.alert',
      variables: { title: 't', message: 'm' },
      receivedAt,
    };
    const a: EventReceived = {
      ...base,
      eventId: 'mix-a',
      channels: ['EMAIL', 'PUSH'],
      payload: { userId: 'u-a', recipientEmail: 'a@example.com' },
      traceId: 't-a',
    };
    const b: EventReceived = { ...base, eventId: 'mix-b', channels: ['SMS', 'PUSH'], payload: { userId: 'u-b' }, traceId: 't-b' };
    const reused: EventReceived = { ...a, traceId: 't-a-later', receivedAt: new Date(Date.parse(receivedAt) + 60_000).toISOString() };
    const sandboxSessionId = randomUUID();
    const c: EventReceived = {
      ...base,
      mode: 'sandbox',
      sandboxSessionId,
      eventId: 'mix-a',
      channels: ['PUSH'],
      payload: { userId: 'u-c' },
      traceId: 't-c',
    };
    const batch = [a, b, a, reused, c];
    const orchestrator = new OrchestratorService(testDatabase(), new TemplateRenderer());
    const first = await orchestrator.processBatch(batch, () => {});
    expect(first.outcomes).toEqual({ processed: 3, redelivered: 1, duplicate_event_id: 1, rejected: 0 });
    const live = (await logsOf(tenant.tenantId, 'mix-a')).filter((r) => r.mode === 'live');
    const sandbox = (await logsOf(tenant.tenantId, 'mix-a')).filter((r) => r.mode === 'sandbox');
    const rowsB = await logsOf(tenant.tenantId, 'mix-b');
    expect(live.map((r) => [r.channel, r.status])).toEqual([
      ['EMAIL', 'PENDING'],
      ['PUSH', 'PENDING'],
    ]);
    expect(rowsB.map((r) => [r.channel, r.status, r.last_error_code])).toEqual([
      ['PUSH', 'PENDING', null],
      ['SMS', 'FAILED', 'MISSING_RECIPIENT'],
    ]);
    expect(sandbox.map((r) => [r.channel, r.status, r.sandbox_session_id])).toEqual([['PUSH', 'PENDING', sandboxSessionId]]);
    const idOf = (rows: typeof live, channel: string) => rows.find((r) => r.channel === channel)!.id;
    // In the events' order: a's rows, b's PUSH (its SMS failed: nothing to send), the repeat of a republishing its rows, then c.
    const dispatched = first.dispatches.map((d) => d.message);
    expect(dispatched.map((d) => [d.eventId, d.mode, d.channel])).toEqual([
      ['mix-a', 'live', 'EMAIL'],
      ['mix-a', 'live', 'PUSH'],
      ['mix-b', 'live', 'PUSH'],
      ...dispatched.slice(3, 5).map((d) => ['mix-a', 'live', d.channel]),
      ['mix-a', 'sandbox', 'PUSH'],
    ]);
    expect(new Set(dispatched.slice(3, 5).map((d) => d.notificationId))).toEqual(new Set([idOf(live, 'EMAIL'), idOf(live, 'PUSH')]));
    expect(dispatched[0]).toMatchObject({
      notificationId: idOf(live, 'EMAIL'),
      recipient: { userId: 'u-a', email: 'a@example.com' },
      traceId: 't-a',
    });
    expect(dispatched[2]).toMatchObject({ notificationId: idOf(rowsB, 'PUSH'), traceId: 't-b' });
    const statusA = await eventStatus(tenant.apiKey, 'mix-a');
    expect(statusA.body).toMatchObject({ status: 'PROCESSED', duplicates: 1 });
    expect(statusA.body.channels.EMAIL?.notificationId).toBe(idOf(live, 'EMAIL'));
    expect(statusA.body.channels.PUSH?.notificationId).toBe(idOf(live, 'PUSH'));
    expect(statusA.body.channels.SMS).toBeUndefined();
    const statusB = await eventStatus(tenant.apiKey, 'mix-b');
    expect(statusB.body.channels.SMS).toMatchObject({ notificationId: idOf(rowsB, 'SMS'), status: 'FAILED' });

    // The batch again (a crash before the offset commit): no new row, the PENDING rows published again.
    const replay = await orchestrator.processBatch(batch, () => {});
    expect(replay.outcomes).toEqual({ processed: 0, redelivered: 4, duplicate_event_id: 1, rejected: 0 });
    expect(new Set(replay.dispatches.map((d) => d.message.notificationId))).toEqual(
      new Set(first.dispatches.map((d) => d.message.notificationId)),
    );
    expect(await logsOf(tenant.tenantId, 'mix-a')).toHaveLength(3);
    expect(await logsOf(tenant.tenantId, 'mix-b')).toHaveLength(2);
    expect((await eventStatus(tenant.apiKey, 'mix-a')).body.duplicates).toBe(2);
  });

  it('a batch with a repeated event and a data error: the group is retried one event at a time, the repeat republishes, only the offender is parked', async () => {
    const tenant = await newTenant();
    const base = {
      v: 1 as const,
      tenantId: tenant.tenantId,
      mode: 'live' as const,
      eventType: 'global.info',
      channels: ['PUSH' as const],
      variables: { title: 't', message: 'm' },
      receivedAt: new Date().toISOString(),
    };
    const good1: EventReceived = { ...base, eventId: 'rb-good-1', payload: { userId: 'u-1' }, traceId: 't-1' };
    const bad: EventReceived = { ...base, eventId: 'rb-bad', payload: { userId: 'bad\u0000user' }, traceId: 't-bad' };
    const good2: EventReceived = { ...base, eventId: 'rb-good-2', payload: { userId: 'u-2' }, traceId: 't-2' };
    const rejected: string[] = [];
    const orchestrator = new OrchestratorService(testDatabase(), new TemplateRenderer());
    const result = await orchestrator.processBatch([good1, bad, good1, good2], (event) => rejected.push(event.eventId));
    expect(result.outcomes).toEqual({ processed: 2, redelivered: 1, duplicate_event_id: 0, rejected: 1 });
    expect(rejected).toEqual(['rb-bad']);
    const [row1] = await logsOf(tenant.tenantId, 'rb-good-1');
    const [row2] = await logsOf(tenant.tenantId, 'rb-good-2');
    expect(result.dispatches.map((d) => d.message.notificationId)).toEqual([row1!.id, row1!.id, row2!.id]);
    expect(await logsOf(tenant.tenantId, 'rb-bad')).toHaveLength(0);
    expect((await eventStatus(tenant.apiKey, 'rb-bad')).body).toMatchObject({ status: 'FAILED', error: { code: 'EVENT_DATA_INVALID' } });
    // Replayed, the batch writes nothing new and parks nothing again: the parked event is already recorded.
    const replay = await orchestrator.processBatch([good1, bad, good1, good2], () => {});
    expect(replay.outcomes).toEqual({ processed: 0, redelivered: 4, duplicate_event_id: 0, rejected: 0 });
    expect(replay.dispatches.map((d) => d.message.notificationId)).toEqual([row1!.id, row1!.id, row2!.id]);
    expect(await logsOf(tenant.tenantId, 'rb-good-1')).toHaveLength(1);
  });

  it('in one tenant group, each event gets the template of its own locale chain', async () => {
    const tenant = await newTenant({ defaultLocale: 'fr' });
    for (const locale of ['de', 'fr']) {
      await templates().saveVersion(asTenant(tenant.tenantId), {
        eventType: 'loc.batch',
        locale,
        draft: { channel: 'SMS', bodyFormat: 'text', body: `${locale.toUpperCase()} {{n}}` },
        activate: true,
        createdBy: 'tests',
      });
    }
    const base = {
      v: 1 as const,
      tenantId: tenant.tenantId,
      mode: 'live' as const,
      eventType: 'loc.batch',
      payload: { userId: 'u', recipientPhone: '+15550000009' },
      traceId: 't-loc',
      receivedAt: new Date().toISOString(),
    };
    const locales = ['de-AT', 'ja', undefined, 'de', 'fr-CA'];
    const batch: EventReceived[] = locales.map((locale, n) => ({
      ...base,
      eventId: `loc-${n}`,
      variables: { n },
      ...(locale ? { locale } : {}),
    }));
    const result = await new OrchestratorService(testDatabase(), new TemplateRenderer()).processBatch(batch, () => {});
    expect(result.outcomes.processed).toBe(5);
    expect(result.dispatches.map((d) => d.message.content.body)).toEqual(['DE 0', 'FR 1', 'FR 2', 'DE 3', 'FR 4']);
  });

  it('a render a busy machine slowed down is retried later instead of failing the notification for good', async () => {
    const tenant = await newTenant();
    const event: EventReceived = {
      v: 1,
      tenantId: tenant.tenantId,
      mode: 'live',
      eventId: 'slow-machine',
      eventType: 'global.info',
      channels: ['PUSH'],
      payload: { userId: 'u' },
      variables: { title: 't', message: 'm' },
      traceId: 't-slow',
      receivedAt: new Date().toISOString(),
    };
    let now = 0;
    // Contention simulated by the clocks: every wall-clock reading 2 s later, no CPU time used.
    const contended = new OrchestratorService(testDatabase(), new TemplateRenderer({ clock: () => (now += 2_000), cpuClock: () => 1 }));
    await expect(contended.processBatch([event], () => {})).rejects.toThrow(/busy machine/);
    expect(await logsOf(tenant.tenantId, 'slow-machine')).toHaveLength(0);
    // The retry, once the machine is calm, delivers it.
    const calm = await new OrchestratorService(testDatabase(), new TemplateRenderer()).processBatch([event], () => {});
    expect(calm.outcomes.processed).toBe(1);
    expect((await logsOf(tenant.tenantId, 'slow-machine')).map((r) => r.status)).toEqual(['PENDING']);
  });

  it('an eventId reused later is accepted but not delivered again, and its record says so', async () => {
    const tenant = await newTenant();
    const body = {
      eventType: 'global.info',
      eventId: 'dup-1',
      channels: ['PUSH'],
      payload: { userId: 'u' },
      variables: { title: 'a', message: 'b' },
    };
    await trigger(tenant.apiKey, body);
    await processed(tenant.tenantId, 'dup-1', 1);
    // The idempotency window has passed (its record is gone): the same eventId comes again.
    const redis = new Redis(stackEnv().redisUrl);
    for (const key of await redis.keys(`orq:{${tenant.tenantId}}:live:idem:*`)) await redis.del(key);
    redis.disconnect();
    expect((await trigger(tenant.apiKey, body)).body.duplicate).toBe(false);
    const status = await pollUntil(() => eventStatus(tenant.apiKey, 'dup-1'), {
      until: (s) => s.body.duplicates === 1,
      what: 'the duplicate to be recorded',
    }).then((s) => s.body);
    expect(status.channels.PUSH?.notificationId).toBeDefined();
    expect(await logsOf(tenant.tenantId, 'dup-1')).toHaveLength(1);
    expect(capture.forTenant(tenant.tenantId)).toHaveLength(1);
  });
});
