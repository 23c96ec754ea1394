import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, stackEnv } from '@orqestra/testing';
import { captureTopic, event, logsOf, newTenant, testDatabase, trigger } from '../../../test/fixtures.js';

// SPEC §2.1 idempotency, checked where it matters: what reaches Kafka and what gets delivered.
let events: Awaited<ReturnType<typeof captureTopic<'eventReceived'>>>;
const redis = new Redis(stackEnv().redisUrl);
beforeAll(async () => {
  events = await captureTopic('eventReceived');
});
afterAll(async () => {
  await events.close();
  redis.disconnect();
  await testDatabase().close();
});

describe('idempotency', () => {
  it('sequential repeats of a key publish one event and replay the first answer', async () => {
    const tenant = await newTenant();
    const first = await trigger(tenant.apiKey, event(), { 'x-idempotency-key': 'seq' });
    const again = await trigger(tenant.apiKey, event(), { 'x-idempotency-key': 'seq' });
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    await pollUntil(() => events.forTenant(tenant.tenantId).length, { until: (n) => n >= 1, what: 'the event on the topic' });
    // A later unrelated event proves the consumer is past any second copy.
    const marker = await trigger(tenant.apiKey, event({ eventId: 'marker' }));
    await pollUntil(() => events.forTenant(tenant.tenantId).some((m) => m.eventId === marker.body.eventId), {
      until: Boolean,
      what: 'the marker',
    });
    expect(events.forTenant(tenant.tenantId).filter((m) => m.eventId === first.body.eventId)).toHaveLength(1);
  });

  it('20 concurrent requests with one key: exactly one event reaches the topic', async () => {
    const tenant = await newTenant();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => trigger(tenant.apiKey, event(), { 'x-idempotency-key': 'burst' })),
    );
    const eventIds = new Set(responses.filter((r) => r.status === 200).map((r) => r.body.eventId));
    expect(eventIds.size).toBe(1);
    const marker = await trigger(tenant.apiKey, event({ eventId: 'marker' }));
    await pollUntil(() => events.forTenant(tenant.tenantId).some((m) => m.eventId === marker.body.eventId), {
      until: Boolean,
      what: 'the marker',
    });
    expect(events.forTenant(tenant.tenantId).filter((m) => m.eventId !== 'marker')).toHaveLength(1);
  });

  it('after Redis forgets the key, a retry is accepted again but still makes one notification', async () => {
    const tenant = await newTenant();
    const body = { eventType: 'global.info', channels: ['PUSH'], payload: { userId: 'u' }, variables: { title: 't', message: 'm' } };
    const first = await trigger(tenant.apiKey, body, { 'x-idempotency-key': 'forgotten' });
    await pollUntil(() => logsOf(tenant.tenantId, first.body.eventId as string), {
      until: (rows) => rows.length === 1,
      what: 'the notification',
    });
    for (const key of await redis.keys(`orq:{${tenant.tenantId}}:live:idem:*`)) await redis.del(key);
    const retry = await trigger(tenant.apiKey, body, { 'x-idempotency-key': 'forgotten' });
    expect(retry.status).toBe(200);
    expect(retry.body.duplicate).toBe(false);
    // Same derived eventId (UUID v5 of tenant, mode, key): the database refuses a second notification.
    expect(retry.body.eventId).toBe(first.body.eventId);
    await pollUntil(() => events.forTenant(tenant.tenantId).length, { until: (n) => n === 2, what: 'both publications' });
    const rows = await pollUntil(() => logsOf(tenant.tenantId, first.body.eventId as string), { until: (r) => r.length >= 1 });
    expect(rows).toHaveLength(1);
  });
});

describe('POST /api/v1/events/trigger/bulk', () => {
  it('answers per event in request order, deduplicating by eventId and charging each as if sent alone', async () => {
    const tenant = await newTenant({ rateLimitPerMinute: 6, burst: 3 });
    const response = await trigger(
      tenant.apiKey,
      {
        events: [
          event({ eventId: 'b-1' }),
          { eventType: 'bad type', payload: {} },
          event({ eventId: 'b-1' }),
          event({ eventId: 'b-2' }),
          event({ eventId: 'b-3' }),
          event({ eventId: 'b-4' }),
        ],
      },
      {},
      '/api/v1/events/trigger/bulk',
    );
    expect(response.status).toBe(200);
    const results = response.body.results as { success: boolean; eventId?: string; duplicate?: boolean; error?: { code: string } }[];
    expect(results.map((r) => (r.success ? `${r.eventId}${r.duplicate ? ' (dup)' : ''}` : r.error?.code))).toEqual([
      'b-1',
      'VALIDATION_FAILED',
      'IDEMPOTENCY_IN_PROGRESS',
      'b-2',
      'b-3',
      'RATE_LIMITED',
    ]);
    await pollUntil(
      () =>
        events
          .forTenant(tenant.tenantId)
          .map((m) => m.eventId)
          .sort()
          .join(),
      { until: (ids) => ids === 'b-1,b-2,b-3', what: 'three events' },
    );
  });

  it('replays the whole answer for a repeated X-Idempotency-Key, and refuses the key with another body', async () => {
    const tenant = await newTenant();
    const body = { events: [event({ eventId: 'r-1' }), event({ eventId: 'r-2' })] };
    const first = await trigger(tenant.apiKey, body, { 'x-idempotency-key': 'bulk-1' }, '/api/v1/events/trigger/bulk');
    const again = await trigger(tenant.apiKey, body, { 'x-idempotency-key': 'bulk-1' }, '/api/v1/events/trigger/bulk');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await trigger(
      tenant.apiKey,
      { events: [event({ eventId: 'r-3' })] },
      { 'x-idempotency-key': 'bulk-1' },
      '/api/v1/events/trigger/bulk',
    );
    expect(other.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await trigger(tenant.apiKey, { events: [] }, {}, '/api/v1/events/trigger/bulk')).status).toBe(422);
  });

  it('does not freeze rate-limited refusals into a keyed replay: the retry accepts them, and the first ones replay', async () => {
    const tenant = await newTenant({ rateLimitPerMinute: 120, burst: 2 });
    const body = { events: [event(), event(), event()] };
    const first = await trigger(tenant.apiKey, body, { 'x-idempotency-key': 'bulk-limited' }, '/api/v1/events/trigger/bulk');
    const firstResults = first.body.results as { success: boolean; eventId?: string; error?: { code: string } }[];
    expect(firstResults.map((r) => (r.success ? 'ok' : r.error?.code))).toEqual(['ok', 'ok', 'RATE_LIMITED']);
    // 120/min refills a token every 500 ms.
    const retry = await pollUntil(
      () => trigger(tenant.apiKey, body, { 'x-idempotency-key': 'bulk-limited' }, '/api/v1/events/trigger/bulk'),
      {
        until: (r) => (r.body.results as { success: boolean }[]).every((x) => x.success),
        what: 'every event accepted',
      },
    );
    const retryResults = retry.body.results as { eventId: string; duplicate: boolean }[];
    expect(retryResults.map((r) => r.duplicate)).toEqual([true, true, false]);
    expect(retryResults.slice(0, 2).map((r) => r.eventId)).toEqual(firstResults.slice(0, 2).map((r) => r.eventId));
    await pollUntil(() => events.forTenant(tenant.tenantId).length, { until: (n) => n === 3, what: 'three events, no duplicates' });
  });
});
