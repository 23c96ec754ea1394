import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSendGrid } from '@orqestra/providers';
import { pollUntil, stackEnv, TcpGate, type ServiceProcess } from '@orqestra/testing';
import { addProvider, closeAll, dispatch, logOf, newTenant, pendingNotification, startGateway, untilStatus } from '../test/harness.js';

// Issue 12 D: a PostgreSQL restart between the vendor's answer and the outcome write. Giving up on
// that write drops the knowledge that the vendor accepted the message: the row stays SENDING, the
// sweeper records an ambiguous attempt once the lease ends, and a vendor without idempotency keys
// (SendGrid) delivers the message twice. This gateway reaches PostgreSQL through a gate that the
// test closes (every connection reset, new ones refused) exactly while that write is due.
const fake = new FakeSendGrid();
const gate = new TcpGate(targetOf(stackEnv().gatewayDatabaseUrl));
let gateway: ServiceProcess;

function targetOf(databaseUrl: string): { host: string; port: number } {
  const url = new URL(databaseUrl);
  return { host: url.hostname, port: Number(url.port || 5432) };
}

beforeAll(async () => {
  await fake.start();
  const port = await gate.start();
  const url = new URL(stackEnv().gatewayDatabaseUrl);
  url.host = `127.0.0.1:${port}`;
  // A lease and send timeout long enough that the outage ends while this gateway still holds it.
  gateway = await startGateway({
    DATABASE_URL: url.toString(),
    LEASE_MS: '15000',
    SEND_TIMEOUT_MS: '15000',
    SWEEPER_PENDING_AFTER_MS: '60000',
  });
});
afterAll(async () => {
  await gateway?.stop();
  await gate.close();
  await fake.close();
  await closeAll();
});

describe('a PostgreSQL outage while the outcome of a send is written', () => {
  it('records the send once the database is back: SENT, one delivery, no ambiguous attempt', async () => {
    const tenantId = await newTenant();
    await addProvider(tenantId, {
      channel: 'EMAIL',
      provider: 'sendgrid',
      credentials: { apiKey: fake.apiKey, fromAddress: 'orders@shop.example' },
      baseUrl: fake.url,
    });
    fake.set({ hang: true });
    const message = await pendingNotification(
      tenantId,
      'EMAIL',
      { userId: 'u-1', email: 'ada@example.com' },
      { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' },
    );
    await dispatch(message);
    await pollUntil(() => fake.received.length, { until: (n) => n === 1, what: 'the send to reach the vendor' });

    // The database goes away while the vendor holds the request; then the vendor accepts it.
    gate.cut();
    fake.set({ hang: false });
    await pollUntil(() => fake.acceptedSends(), { until: (n) => n === 1, what: 'the vendor to accept the send' });
    // The gateway has come back for the database at least twice (its write, then a retry) before
    // it is reachable again.
    await pollUntil(() => gate.refused, {
      until: (n) => n >= 2,
      timeoutMs: 10_000,
      what: 'the gateway to retry its write against the closed database',
    });
    gate.restore();

    const { log, attempts } = await untilStatus(tenantId, message.notificationId, 'SENT', 20_000);
    expect(log.provider).toBe('sendgrid');
    expect(attempts.map((a) => ({ outcome: a.outcome, ambiguous: a.ambiguous }))).toEqual([{ outcome: 'sent', ambiguous: false }]);
    expect(fake.acceptedSends()).toBe(1);
    // Nothing is left to send it again: the row is terminal and has no lease or retry pending.
    expect((await logOf(tenantId, message.notificationId)).log.status).toBe('SENT');
  });
});
