import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Centrifuge } from 'centrifuge';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { GLOBAL_NAMESPACE, REALTIME_TOKEN_AUDIENCE, REALTIME_TOKEN_ISSUER, userChannel } from '@orqestra/contracts';
import { realtimeSubject } from '@orqestra/crypto';
import { withTenant } from '@orqestra/db';
import { pollUntil, stackEnv, type ServiceProcess } from '@orqestra/testing';
import { closeAll, db, dispatch, newTenant, pendingNotification, startGateway, untilStatus } from '../test/harness.js';

// SPEC §3 step 3 for PUSH: the real gateway process stores the inbox row, then publishes through
// the real Centrifugo to the user's channel. Serial like the other gateway suites: its gateway must
// be the only one on the gateway suites' topics.
let gateway: ServiceProcess;

beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway.stop();
  await closeAll();
});

describe('PUSH through Centrifugo', () => {
  it('reaches a client subscribed with the official centrifuge package, and the inbox row exists before it arrives', async () => {
    const tenantId = await newTenant();
    const env = stackEnv();
    const sub = realtimeSubject(tenantId, 'live-user');
    const token = await new SignJWT({ sub })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(REALTIME_TOKEN_AUDIENCE)
      .setIssuer(REALTIME_TOKEN_ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(env.centrifugoHmacSecret));
    const client = new Centrifuge(`${env.centrifugoUrl.replace('http', 'ws')}/connection/websocket`, { token, websocket: WebSocket });
    const received: { id: string; title: string; inboxRowExisted: boolean }[] = [];
    const subscription = client.newSubscription(userChannel(GLOBAL_NAMESPACE, sub));
    subscription.on('publication', (ctx) => {
      const data = ctx.data as { id: string; title: string };
      void withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
        tx.db
          .selectFrom('in_app_notifications')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', data.id)
          .executeTakeFirst(),
      ).then((row) => received.push({ ...data, inboxRowExisted: row !== undefined }));
    });
    const subscribed = new Promise<void>((resolve) => subscription.once('subscribed', () => resolve()));
    subscription.subscribe();
    client.connect();
    await subscribed;
    try {
      const message = await pendingNotification(
        tenantId,
        'PUSH',
        { userId: 'live-user' },
        { title: 'Live', body: 'Now', category: 'info' },
      );
      await dispatch(message);
      const [arrived] = await pollUntil(() => received, { until: (list) => list.length === 1, what: 'the publication at the client' });
      expect(arrived).toEqual({
        id: message.notificationId,
        title: 'Live',
        body: 'Now',
        category: 'info',
        eventType: 'test.event',
        createdAt: message.receivedAt,
        inboxRowExisted: true,
      });
    } finally {
      client.disconnect();
    }
  });

  it('stores the inbox row, then publishes it to the user channel with the notification id', async () => {
    const tenantId = await newTenant();
    const message = await pendingNotification(
      tenantId,
      'PUSH',
      { userId: 'bell-user' },
      { title: 'Paid', body: 'Thanks', category: 'success' },
    );
    await dispatch(message);
    await untilStatus(tenantId, message.notificationId, 'SENT');
    const inbox = await withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
      tx.db
        .selectFrom('in_app_notifications')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', message.notificationId)
        .executeTakeFirst(),
    );
    expect(inbox).toMatchObject({ title: 'Paid', body: 'Thanks', category: 'success', user_id: 'bell-user' });
    const env = stackEnv();
    const history = (await (
      await fetch(`${env.centrifugoUrl}/api/history`, {
        method: 'POST',
        headers: { 'x-api-key': env.centrifugoApiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: userChannel(GLOBAL_NAMESPACE, realtimeSubject(tenantId, 'bell-user')), limit: 10 }),
      })
    ).json()) as { result: { publications: { data: { id: string; title: string } }[] } };
    expect(history.result.publications.map((p) => p.data.id)).toEqual([message.notificationId]);
  });
});
