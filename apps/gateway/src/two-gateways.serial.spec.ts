import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeResend } from '@orqestra/providers';
import { pollUntil, type ServiceProcess } from '@orqestra/testing';
import { addProvider, closeAll, dispatch, logOf, newTenant, pendingNotification, startGateway } from '../test/harness.js';

let gateways: ServiceProcess[] = [];
const resend = new FakeResend();
beforeAll(async () => {
  await resend.start();
  gateways = [await startGateway(), await startGateway()];
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await resend.close();
  await closeAll();
});

describe('two gateway instances', () => {
  it('never send the same notification twice, even when every dispatch message is duplicated', async () => {
    const tenantId = await newTenant();
    await addProvider(tenantId, {
      channel: 'EMAIL',
      provider: 'resend',
      credentials: { apiKey: resend.apiKey, fromAddress: 'orders@shop.example' },
      baseUrl: resend.url,
    });
    const messages = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        pendingNotification(
          tenantId,
          'EMAIL',
          { userId: `user-${i % 10}`, email: `u${i}@example.com` },
          { subject: 'Hi', html: '<p>Hi</p>' },
        ),
      ),
    );
    await dispatch(...messages);
    await dispatch(...messages);
    await pollUntil(
      async () => (await Promise.all(messages.map((m) => logOf(tenantId, m.notificationId)))).filter((r) => r.log.status === 'SENT').length,
      {
        until: (n) => n === 100,
        timeoutMs: 30_000,
        what: '100 SENT',
      },
    );
    // Every send the vendor accepted is a distinct notification: no double send across instances.
    expect(resend.acceptedSends()).toBe(100);
    const attempts = (await Promise.all(messages.map((m) => logOf(tenantId, m.notificationId)))).flatMap((r) => r.attempts);
    expect(attempts).toHaveLength(100);
  });
});
