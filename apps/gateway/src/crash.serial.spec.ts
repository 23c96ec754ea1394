import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Dispatch } from '@orqestra/contracts';
import { withTenant } from '@orqestra/db';
import { FakeResend, FakeTwilio } from '@orqestra/providers';
import { pollUntil, type ServiceProcess } from '@orqestra/testing';
import { addProvider, closeAll, db, dispatch, newTenant, startGateway } from '../test/harness.js';

// kill -9 of a gateway in the middle of a 2,000-notification batch, then a new gateway: every
// notification must end SENT; Resend (idempotency keys) exactly once; Twilio (none) with as many
// duplicates as the ambiguous window produced, each one recorded as an ambiguous attempt.
const PER_VENDOR = 1_000;
const resend = new FakeResend();
const twilio = new FakeTwilio();
const processes: ServiceProcess[] = [];
const settings = {
  LEASE_MS: '2000',
  SWEEPER_INTERVAL_MS: '500',
  SWEEPER_RETRY_GRACE_MS: '1000',
  SWEEPER_PENDING_AFTER_MS: '5000',
  CONCURRENCY: '64',
};

beforeAll(async () => {
  await resend.start();
  await twilio.start();
  // A little latency at the vendors keeps sends in flight when the gateway is killed.
  resend.set({ slowMs: 15 });
  twilio.set({ slowMs: 15 });
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await resend.close();
  await twilio.close();
  await closeAll();
});

/** Writes `count` PENDING rows in one transaction, as the worker would, and returns their dispatch messages. */
async function pendingBatch(
  tenantId: string,
  channel: Channel,
  count: number,
  recipient: (i: number) => Dispatch['recipient'],
  content: Dispatch['content'],
): Promise<Dispatch[]> {
  const receivedAt = new Date();
  const rows = await withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
    tx.db
      .insertInto('notification_logs')
      .values(
        Array.from({ length: count }, (_, i) => ({
          tenant_id: tenantId,
          mode: 'live',
          event_id: `crash-${i}`,
          event_type: 'crash.test',
          channel,
          user_id: recipient(i).userId,
          recipient: recipient(i).email ?? recipient(i).phone ?? null,
          content: JSON.stringify(content),
          trace_id: `crash-${i}`,
          received_at: receivedAt,
        })),
      )
      .returning(['id', 'event_id'])
      .execute(),
  );
  return rows.map((row, i) => ({
    v: 1,
    notificationId: row.id,
    attemptSeries: 1,
    tenantId,
    mode: 'live',
    isTest: false,
    eventId: row.event_id,
    eventType: 'crash.test',
    channel,
    recipient: recipient(i),
    content,
    traceId: `crash-${i}`,
    receivedAt: receivedAt.toISOString(),
  }));
}

async function statusCounts(tenantIds: string[]) {
  const rows = await Promise.all(
    tenantIds.map((tenantId) =>
      withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
        tx.db
          .selectFrom('notification_logs')
          .select(['status'])
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', tenantId)
          .groupBy('status')
          .execute(),
      ),
    ),
  );
  const counts: Record<string, number> = {};
  for (const row of rows.flat()) counts[row.status] = (counts[row.status] ?? 0) + Number(row.n);
  return counts;
}

describe('a gateway killed with SIGKILL mid-batch', () => {
  it('loses nothing: every notification ends SENT, Resend exactly once, Twilio duplicates only where an ambiguous attempt was recorded', async () => {
    const resendTenant = await newTenant();
    const twilioTenant = await newTenant();
    await addProvider(resendTenant, {
      channel: 'EMAIL',
      provider: 'resend',
      credentials: { apiKey: resend.apiKey, fromAddress: 'orders@shop.example' },
      baseUrl: resend.url,
    });
    await addProvider(twilioTenant, {
      channel: 'SMS',
      provider: 'twilio',
      credentials: { accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: '+15005550006' },
      baseUrl: twilio.url,
    });
    const phone = (i: number) => `+2547${String(i).padStart(8, '0')}`;
    const messages = [
      ...(await pendingBatch(resendTenant, 'EMAIL', PER_VENDOR, (i) => ({ userId: `r-${i % 50}`, email: `r${i}@example.com` }), {
        subject: 'Hi',
        html: '<p>Hi</p>',
        text: 'Hi',
      })),
      ...(await pendingBatch(twilioTenant, 'SMS', PER_VENDOR, (i) => ({ userId: `t-${i % 50}`, phone: phone(i) }), { body: 'Hi' })),
    ];

    const first = await startGateway(settings);
    processes.push(first);
    await dispatch(...messages);
    const tenants = [resendTenant, twilioTenant];
    const atKill = await pollUntil(() => statusCounts(tenants), {
      until: (c) => (c.SENT ?? 0) >= 400,
      timeoutMs: 60_000,
      intervalMs: 20,
      what: 'a fifth of the batch sent',
    });
    first.child.kill('SIGKILL');
    await new Promise<void>((resolve) =>
      first.child.exitCode !== null || first.child.signalCode ? resolve() : first.child.once('exit', () => resolve()),
    );

    processes.push(await startGateway(settings));
    const final = await pollUntil(() => statusCounts(tenants), {
      until: (c) => c.SENT === 2 * PER_VENDOR,
      timeoutMs: 120_000,
      intervalMs: 250,
      what: 'all 2,000 SENT',
    });
    expect(final).toEqual({ SENT: 2 * PER_VENDOR });

    // Resend: its idempotency key (notificationId:attemptSeries) made every retry harmless.
    expect(resend.acceptedSends()).toBe(PER_VENDOR);

    // Twilio: count what the vendor delivered per recipient against the ambiguous attempts recorded.
    const delivered = new Map<string, number>();
    for (const send of twilio.accepted) {
      const to = (send.body as { To?: string }).To ?? '';
      delivered.set(to, (delivered.get(to) ?? 0) + 1);
    }
    const ambiguous = await withTenant(db(), { tenantId: twilioTenant, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
      tx.db
        .selectFrom('notification_attempts as a')
        .innerJoin('notification_logs as l', 'l.id', 'a.notification_id')
        .select(['l.recipient'])
        .where('a.tenant_id', '=', twilioTenant)
        .where('a.ambiguous', '=', true)
        .execute(),
    );
    const ambiguousByRecipient = new Map<string, number>();
    for (const a of ambiguous) ambiguousByRecipient.set(a.recipient ?? '', (ambiguousByRecipient.get(a.recipient ?? '') ?? 0) + 1);
    let duplicates = 0;
    for (let i = 0; i < PER_VENDOR; i++) {
      const sends = delivered.get(phone(i)) ?? 0;
      expect(sends, phone(i)).toBeGreaterThanOrEqual(1);
      duplicates += sends - 1;
      // A second send exists only where an ambiguous attempt (gateway died during the call) was recorded.
      expect(sends - 1, phone(i)).toBeLessThanOrEqual(ambiguousByRecipient.get(phone(i)) ?? 0);
    }
    console.info(
      `crash test: SENT at kill ${atKill.SENT ?? 0}/${2 * PER_VENDOR}; resend accepted ${resend.acceptedSends()} for ${PER_VENDOR}; ` +
        `twilio accepted ${twilio.acceptedSends()} for ${PER_VENDOR} (duplicates ${duplicates}, ambiguous attempts recorded ${ambiguous.length})`,
    );
  });
});
