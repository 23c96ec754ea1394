import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDatabase, dropTenants, newTenants, randomTag } from '../../test/helpers.js';
import { withTenant } from '../context.js';
import { createNotifications, type NewNotification } from './create.js';

// The worker's notification rows for a tenant group of a batch: one statement, ids in input order.
const database = appDatabase(1); // one connection, so its prepared statements can be counted
let tenantId: string;

beforeAll(async () => {
  [tenantId] = (await newTenants(database, 1)) as [string];
});

afterAll(async () => {
  await dropTenants(database, [tenantId]);
  await database.close();
});

const work = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
  withTenant(database, { tenantId, actorType: 'system_tenant', actorId: 'db-tests' }, fn);

function row(eventId: string, channel: NewNotification['channel'], extra: Partial<NewNotification> = {}): NewNotification {
  return {
    mode: 'live',
    sandboxSessionId: null,
    eventId,
    eventType: 'order.shipped',
    channel,
    userId: 'u-1',
    recipient: channel === 'PUSH' ? null : 'ada@example.com',
    templateVersionId: null,
    content: { subject: 's', text: 't' },
    traceId: 'trace-1',
    receivedAt: new Date('2026-01-02T03:04:05.678Z'),
    ...extra,
  };
}

describe('deliveryState.createNotifications', () => {
  it('inserts every row in one statement and returns the ids in input order; an existing or repeated key gets undefined', async () => {
    const e1 = `e1-${randomTag()}`;
    const e2 = `e2-${randomTag()}`;
    const sessionId = '00000000-0000-4000-8000-000000000001';
    const inputs = [
      row(e1, 'EMAIL'),
      row(e1, 'SMS', {
        recipient: null,
        content: null,
        failure: { code: 'MISSING_RECIPIENT', message: 'payload.recipientPhone is required for SMS' },
      }),
      row(e2, 'PUSH', { mode: 'sandbox', sandboxSessionId: sessionId, content: { title: 'T', body: 'B' } }),
      row(e1, 'EMAIL', { traceId: 'trace-repeat' }),
    ];
    const ids = await work((tx) => createNotifications(tx, inputs));
    expect(ids).toHaveLength(4);
    expect(ids.slice(0, 3).every((id) => typeof id === 'string')).toBe(true);
    expect(ids[3]).toBeUndefined();
    const stored = await work(async (tx) =>
      tx.db.selectFrom('notification_logs').selectAll().where('tenant_id', '=', tenantId).where('event_id', 'in', [e1, e2]).execute(),
    );
    const byId = new Map(stored.map((r) => [r.id, r]));
    expect(stored).toHaveLength(3);
    expect(byId.get(ids[0]!)).toMatchObject({
      mode: 'live',
      event_id: e1,
      channel: 'EMAIL',
      status: 'PENDING',
      content: { subject: 's', text: 't' },
      trace_id: 'trace-1',
      recipient: 'ada@example.com',
    });
    expect(byId.get(ids[0]!)?.received_at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(byId.get(ids[1]!)).toMatchObject({
      channel: 'SMS',
      status: 'FAILED',
      content: null,
      recipient: null,
      last_error_code: 'MISSING_RECIPIENT',
    });
    expect(byId.get(ids[2]!)).toMatchObject({ mode: 'sandbox', sandbox_session_id: sessionId, channel: 'PUSH', status: 'PENDING' });

    // Replayed: nothing new, every id undefined; the rows are untouched.
    expect(await work((tx) => createNotifications(tx, inputs))).toEqual([undefined, undefined, undefined, undefined]);
    expect(
      await work(
        async (tx) =>
          (
            await tx.db
              .selectFrom('notification_logs')
              .select('id')
              .where('tenant_id', '=', tenantId)
              .where('event_id', 'in', [e1, e2])
              .execute()
          ).length,
      ),
    ).toBe(3);
  });

  it('has the same statement text (one prepared plan) for any number of rows', async () => {
    const countPrepared = () =>
      work(
        async (tx) =>
          (
            await sql<{
              n: number;
            }>`select count(*)::int as n from pg_prepared_statements where statement like '%INSERT INTO ' || 'notification_logs%'`.execute(
              tx.db,
            )
          ).rows[0]?.n,
      );
    await work((tx) => createNotifications(tx, [row(`p1-${randomTag()}`, 'EMAIL')]));
    const after = await countPrepared();
    await work((tx) =>
      createNotifications(tx, [row(`p2-${randomTag()}`, 'EMAIL'), row(`p2-${randomTag()}`, 'SMS'), row(`p3-${randomTag()}`, 'PUSH')]),
    );
    expect(after).toBe(1);
    expect(await countPrepared()).toBe(1);
  });

  it('fails the whole statement on a value PostgreSQL refuses (a data error the caller isolates per event)', async () => {
    await expect(
      work((tx) =>
        createNotifications(tx, [row(`ok-${randomTag()}`, 'EMAIL'), row(`bad-${randomTag()}`, 'EMAIL', { userId: 'bad\u0000user' })]),
      ),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^22/),
    });
  });
});
