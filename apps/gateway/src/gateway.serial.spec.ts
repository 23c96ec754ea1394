import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, DeadLetter, Dispatch } from '@orqestra/contracts';
import { withTenant } from '@orqestra/db';
import {
  closedPortUrl,
  FakeAfricasTalking,
  FakeResend,
  FakeSendGrid,
  FakeTwilio,
  type FakeBehaviour,
  type FakeVendorServer,
} from '@orqestra/providers';
import { pollUntil, type ServiceProcess } from '@orqestra/testing';
import {
  addProvider,
  bus,
  captureDeadLetters,
  closeAll,
  db,
  dispatch,
  logOf,
  newTenant,
  pendingNotification,
  startGateway,
  untilStatus,
} from '../test/harness.js';

// SPEC §3 step 3 against the real gateway process, PostgreSQL, Redis and Kafka; vendors faked
// over HTTP in their own wire formats (packages/providers). Serial: breaker state lives in each
// gateway process, so this file's gateway must be the only one on the gateway suites' topics.
type Fake = FakeVendorServer<FakeBehaviour>;
interface Vendor {
  provider: string;
  channel: Channel;
  newFake: () => Fake;
  credentials: (fake: never) => Record<string, unknown>;
  recipient: Dispatch['recipient'];
  content: Dispatch['content'];
  /** The vendor honours our idempotency key (a retried send is not a second message). */
  idempotent: boolean;
}

const email = { recipient: { userId: 'u-1', email: 'ada@example.com' }, content: { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' } };
const sms = { recipient: { userId: 'u-1', phone: '+254700000001' }, content: { body: 'Hi' } };
const VENDORS: Vendor[] = [
  {
    provider: 'resend',
    channel: 'EMAIL',
    newFake: () => new FakeResend(),
    credentials: (f: FakeResend) => ({ apiKey: f.apiKey, fromAddress: 'orders@shop.example' }),
    idempotent: true,
    ...email,
  },
  {
    provider: 'sendgrid',
    channel: 'EMAIL',
    newFake: () => new FakeSendGrid(),
    credentials: (f: FakeSendGrid) => ({ apiKey: f.apiKey, fromAddress: 'orders@shop.example' }),
    idempotent: false,
    ...email,
  },
  {
    provider: 'twilio',
    channel: 'SMS',
    newFake: () => new FakeTwilio(),
    credentials: (f: FakeTwilio) => ({ accountSid: f.accountSid, authToken: f.authToken, fromNumber: '+15005550006' }),
    idempotent: false,
    ...sms,
  },
  {
    provider: 'africastalking',
    channel: 'SMS',
    newFake: () => new FakeAfricasTalking({ senderIds: ['ORQESTRA'] }),
    credentials: (f: FakeAfricasTalking) => ({ username: f.username, apiKey: f.apiKey, senderId: 'ORQESTRA' }),
    idempotent: false,
    ...sms,
  },
] as Vendor[];

let gateway: ServiceProcess;
let deadLetters: Awaited<ReturnType<typeof captureDeadLetters>>;
const fakes: Fake[] = [];

beforeAll(async () => {
  gateway = await startGateway();
  deadLetters = await captureDeadLetters();
});
afterAll(async () => {
  await deadLetters.close();
  await gateway.stop();
  await Promise.all(fakes.map((f) => f.close()));
  await closeAll();
});

async function setUp(vendor: Vendor) {
  const fake = vendor.newFake();
  fakes.push(fake);
  await fake.start();
  const tenantId = await newTenant();
  const configId = await addProvider(tenantId, {
    channel: vendor.channel,
    provider: vendor.provider,
    credentials: vendor.credentials(fake as never),
    baseUrl: fake.url,
  });
  const send = async () => {
    const message = await pendingNotification(tenantId, vendor.channel, vendor.recipient, vendor.content);
    await dispatch(message);
    return message;
  };
  return { fake, tenantId, configId, send };
}

function letterFor(notificationId: string): Promise<DeadLetter> {
  return pollUntil(() => deadLetters.letters.find((l) => l.notificationId === notificationId), {
    what: 'the dead letter',
  }) as Promise<DeadLetter>;
}

describe('dead letters follow the code catalog', () => {
  it("an adapter's MISSING_RECIPIENT fails the notification without a dead letter (nothing to replay), like the worker's", async () => {
    const resend = VENDORS[0]!;
    const { fake, tenantId } = await setUp(resend);
    const missing = await pendingNotification(tenantId, 'EMAIL', { userId: 'u-1' }, resend.content);
    await dispatch(missing);
    const { log, attempts } = await untilStatus(tenantId, missing.notificationId, 'FAILED');
    expect([log.last_error_code, attempts.map((a) => a.error_code)]).toEqual(['MISSING_RECIPIENT', ['MISSING_RECIPIENT']]);
    // A later message to the same recipient (same partition, handled after it) that is dead-lettered:
    // once its letter is out, a letter for the first would have been published before it.
    fake.set({ permanent: true });
    const refused = await pendingNotification(tenantId, 'EMAIL', resend.recipient, resend.content);
    await dispatch(refused);
    await letterFor(refused.notificationId);
    expect(deadLetters.letters.filter((l) => l.notificationId === missing.notificationId)).toEqual([]);
    expect(fake.acceptedSends()).toBe(0);
  });
});

describe.each(VENDORS)('delivery through $provider', (vendor) => {
  it('sends once and marks the notification SENT with the vendor message id', async () => {
    const { fake, tenantId, configId, send } = await setUp(vendor);
    const message = await send();
    const { log, attempts } = await untilStatus(tenantId, message.notificationId, 'SENT');
    expect(log.vendor_message_id).toBeTruthy();
    expect(log.provider_config_id).toBe(configId);
    expect(attempts.map((a) => [a.outcome, a.provider])).toEqual([['sent', vendor.provider]]);
    expect(fake.acceptedSends()).toBe(1);
  });

  it("on 429 waits for the vendor's back-off, then sends (the wait is not a retry)", async () => {
    const { fake, tenantId, send } = await setUp(vendor);
    fake.set({ rateLimit: 1, retryAfterSeconds: 1 });
    const message = await send();
    const { attempts } = await untilStatus(tenantId, message.notificationId, 'SENT');
    expect(attempts.map((a) => [a.outcome, a.error_code])).toEqual([
      ['retryable', 'VENDOR_RATE_LIMITED'],
      ['sent', null],
    ]);
    const gap = attempts[1]!.started_at.getTime() - attempts[0]!.started_at.getTime();
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(fake.acceptedSends()).toBe(1);
  });

  it('retries after a 5xx and then sends', async () => {
    const { fake, tenantId, send } = await setUp(vendor);
    fake.set({ fail5xx: 1 });
    const message = await send();
    const { attempts } = await untilStatus(tenantId, message.notificationId, 'SENT');
    expect(attempts.map((a) => a.outcome)).toEqual(['retryable', 'sent']);
    expect(fake.acceptedSends()).toBe(1);
  });

  it(`after a timeout records an ambiguous attempt and retries; duplicates at the vendor: ${vendor.idempotent ? 'none' : 'exactly the ambiguous ones'}`, async () => {
    const { fake, tenantId, send } = await setUp(vendor);
    fake.set({ slowMs: 2_500 });
    const message = await send();
    await pollUntil(() => logOf(tenantId, message.notificationId), {
      until: (r) => r.attempts.some((a) => a.outcome === 'ambiguous'),
      what: 'an ambiguous attempt',
    });
    fake.ok();
    const { attempts } = await untilStatus(tenantId, message.notificationId, 'SENT');
    const ambiguous = attempts.filter((a) => a.ambiguous).length;
    expect(ambiguous).toBeGreaterThanOrEqual(1);
    expect(fake.acceptedSends()).toBe(vendor.idempotent ? 1 : 1 + ambiguous);
  });

  it('dead-letters a message-level permanent failure with its attempt history', async () => {
    const { fake, tenantId, send } = await setUp(vendor);
    fake.set({ permanent: true });
    const message = await send();
    const { log } = await untilStatus(tenantId, message.notificationId, 'FAILED');
    const letter = await letterFor(message.notificationId);
    expect(letter.lastError.code).toBe(log.last_error_code);
    expect(letter.attempts.map((a) => a.outcome)).toEqual(['permanent']);
    expect(letter.content).toEqual(vendor.content);
  });

  it('on bad credentials opens the breaker and fails over to the next provider; with none left, dead-letters', async () => {
    const { fake, tenantId, configId, send } = await setUp(vendor);
    const backup = vendor.newFake();
    fakes.push(backup);
    await backup.start();
    fake.set({ badCredentials: true });
    await addProvider(tenantId, {
      channel: vendor.channel,
      provider: vendor.provider,
      credentials: vendor.credentials(backup as never),
      baseUrl: backup.url,
      priority: 1,
    });
    const first = await send();
    const { attempts } = await untilStatus(tenantId, first.notificationId, 'SENT');
    expect(attempts.map((a) => a.outcome)).toEqual(['permanent', 'sent']);
    // The open breaker skips the primary for the next notification.
    const second = await send();
    const next = await untilStatus(tenantId, second.notificationId, 'SENT');
    expect(next.attempts).toHaveLength(1);
    expect(backup.acceptedSends()).toBe(2);

    // After the cool-down (1 s here) a trial call is let through; when it succeeds the primary is used again.
    fake.ok();
    const openedAt = Date.now();
    await pollUntil(
      async () => {
        const next = await send();
        return (await untilStatus(tenantId, next.notificationId, 'SENT')).attempts.map((a) => a.provider_config_id);
      },
      { until: (ids) => ids.length === 1 && ids[0] === configId, timeoutMs: 10_000, intervalMs: 100, what: 'the primary to be used again' },
    );
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(500);

    const alone = await setUp(vendor);
    alone.fake.set({ badCredentials: true });
    const lost = await alone.send();
    await untilStatus(alone.tenantId, lost.notificationId, 'FAILED');
    expect((await letterFor(lost.notificationId)).lastError.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('circuit breakers never stall delivery (issue: a trial left half-open refused every call for the life of the process)', () => {
  const resend = VENDORS[0]!;
  const metricOf = async (breaker: string, state: string) => {
    const text = await (await fetch(`${(gateway as ServiceProcess & { url: string }).url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`orqestra_breaker_state{breaker="${breaker}",state="${state}"}`));
    return line ? Number(line.split(' ').at(-1)) : undefined;
  };
  /** Sends a fresh notification and waits until it is SENT or FAILED. */
  const terminal = async (send: () => Promise<Dispatch>, tenantId: string) => {
    const message = await send();
    return pollUntil(() => logOf(tenantId, message.notificationId), {
      until: (r) => r.log.status === 'SENT' || r.log.status === 'FAILED',
      timeoutMs: 20_000,
      what: 'a final status',
    });
  };

  it('a trial call that times out re-opens the breaker, and the next trial after the vendor recovers closes it', async () => {
    const { fake, tenantId, configId, send } = await setUp(resend);
    fake.set({ fail5xx: 1_000 });
    await Promise.all([send(), send()]);
    await pollUntil(() => metricOf(configId, 'open'), { until: (v) => v === 1, timeoutMs: 15_000, what: 'the breaker to open (metrics)' });
    // The vendor now answers too slowly: the trial after the cool-down times out (an ambiguous send).
    fake.set({ fail5xx: 0, slowMs: 1_500 });
    const trial = await send();
    await pollUntil(() => logOf(tenantId, trial.notificationId), {
      until: (r) => r.attempts.some((a) => a.ambiguous),
      timeoutMs: 15_000,
      what: 'the trial to time out',
    });
    fake.ok();
    const next = await pollUntil(() => terminal(send, tenantId), {
      until: (r) => r.log.status === 'SENT',
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'a notification to be SENT again',
    });
    expect(next.log.provider_config_id).toBe(configId);
    expect(await metricOf(configId, 'closed')).toBe(1);
    // The trial's own notification is not left waiting either: it ends, with its ambiguous attempt recorded.
    const ended = await pollUntil(() => logOf(tenantId, trial.notificationId), {
      until: (r) => r.log.status === 'SENT' || r.log.status === 'FAILED',
      timeoutMs: 20_000,
      what: 'the trial notification to end',
    });
    expect(ended.attempts.filter((a) => a.ambiguous)).toHaveLength(1);
  });

  it('while every provider stays paused, a notification uses up its retries and is dead-lettered instead of waiting for ever', async () => {
    const { fake, tenantId, send } = await setUp(resend);
    fake.set({ fail5xx: 100_000 });
    const results = await Promise.all(Array.from({ length: 6 }, () => terminal(send, tenantId)));
    for (const { log, attempts } of results) {
      expect(log.status).toBe('FAILED');
      expect(log.last_error_code).toBe('RETRIES_EXHAUSTED');
      expect(attempts.length).toBeLessThanOrEqual(4);
    }
    // Some were held back by the open breaker without calling the vendor; that is recorded too.
    expect(results.flatMap((r) => r.attempts).some((a) => a.error_code === 'BREAKER_OPEN')).toBe(true);
  });
});

describe('exactly once where it can be prevented', () => {
  const resend = VENDORS[0]!;

  it('a duplicate dispatch message and a late retry message never cause a second send', async () => {
    const { fake, tenantId, send } = await setUp(resend);
    const message = await send();
    await dispatch(message);
    await untilStatus(tenantId, message.notificationId, 'SENT');
    await bus().publish('retry', [
      {
        message: {
          ...message,
          attempt: 2,
          dueAt: new Date().toISOString(),
          lastError: { code: 'X', message: 'late' },
          triedProviderIds: [],
        },
        traceId: message.traceId,
      },
    ]);
    // A later notification for the same recipient is processed after both (per-key order): by then the late ones were skipped.
    const marker = await send();
    await untilStatus(tenantId, marker.notificationId, 'SENT');
    const { attempts } = await logOf(tenantId, message.notificationId);
    expect(attempts).toHaveLength(1);
    expect(fake.acceptedSends()).toBe(2);
  });

  it('never fails over after a timeout: the retry goes back to the provider that may have sent', async () => {
    const sendgrid = VENDORS[1]!;
    const { fake: primary, tenantId, send } = await setUp(sendgrid);
    const backup = sendgrid.newFake();
    fakes.push(backup);
    await backup.start();
    const backupId = await addProvider(tenantId, {
      channel: 'EMAIL',
      provider: 'sendgrid',
      credentials: sendgrid.credentials(backup as never),
      baseUrl: backup.url,
      priority: 1,
    });
    // The primary fails clearly (a 5xx with an error body: fail over); the backup then times out.
    primary.set({ fail5xx: 1 });
    backup.set({ slowMs: 2_500 });
    const message = await send();
    await pollUntil(() => logOf(tenantId, message.notificationId), {
      until: (r) => r.attempts.some((a) => a.ambiguous),
      what: 'the ambiguous attempt',
    });
    // The next retry meets a 5xx at the backup (normally a reason to fail over): still not the primary.
    backup.ok().set({ fail5xx: 1 });
    const { log, attempts } = await untilStatus(tenantId, message.notificationId, 'SENT');
    // The primary works again by now, but no retry may go there: the backup may have sent.
    expect(log.provider_config_id).toBe(backupId);
    expect(attempts.slice(1).map((a) => a.provider_config_id)).toEqual([backupId, backupId, backupId]);
    expect(primary.acceptedSends()).toBe(0);
  });

  it('retries exhausted: FAILED with RETRIES_EXHAUSTED after the schedule (3 retries in tests)', async () => {
    const { fake, tenantId, send } = await setUp(resend);
    fake.set({ fail5xx: 100 });
    const message = await send();
    await untilStatus(tenantId, message.notificationId, 'FAILED');
    const letter = await letterFor(message.notificationId);
    expect(letter.lastError.code).toBe('RETRIES_EXHAUSTED');
    expect(letter.attempts.map((a) => a.outcome)).toEqual(['retryable', 'retryable', 'retryable', 'retryable']);
    // Schedule tolerance: each retry starts no earlier than its delay and at most 400 ms after it.
    const scheduled = [100, 200, 300];
    const starts = letter.attempts.map((a) => new Date(a.startedAt).getTime() + a.durationMs);
    const late = scheduled.map((delay, i) => new Date(letter.attempts[i + 1]!.startedAt).getTime() - starts[i]! - delay);
    console.info(`retry schedule tolerance: ${late.map((ms) => `+${ms} ms`).join(', ')} after the scheduled 100/200/300 ms`);
    for (const ms of late) {
      expect(ms).toBeGreaterThanOrEqual(-5);
      expect(ms).toBeLessThanOrEqual(400);
    }
  });

  it('exposes what happened as Prometheus metrics', async () => {
    const url = `${(gateway as ServiceProcess & { url: string }).url}/metrics`;
    // The counters move right after the broker acknowledged what they count: poll, don't race.
    const text = await pollUntil(async () => (await fetch(url)).text(), {
      until: (t) => /orqestra_dead_letters_total\{channel="EMAIL",code="RETRIES_EXHAUSTED"\} [1-9]/.test(t),
      what: 'the dead-letter counter',
    });
    expect(text).toMatch(/orqestra_dispatch_outcomes_total\{channel="EMAIL",provider="resend",outcome="sent"\} [1-9]/);
    expect(text).toMatch(/orqestra_provider_latency_seconds_bucket\{/);
    expect(text).toMatch(/orqestra_consumer_lag\{topic="dispatch"\} \d+/);
  });

  it('connection refused with no other provider: the notification waits as RETRYING with its next attempt scheduled', async () => {
    const tenantId = await newTenant();
    await addProvider(tenantId, {
      channel: 'EMAIL',
      provider: 'resend',
      credentials: { apiKey: 're_test_key_0001', fromAddress: 'orders@shop.example' },
      baseUrl: await closedPortUrl(),
    });
    const message = await pendingNotification(tenantId, 'EMAIL', resend.recipient, resend.content);
    await dispatch(message);
    const { attempts, log } = await pollUntil(() => logOf(tenantId, message.notificationId), {
      until: (r) => r.attempts.length >= 1 && r.log.status !== 'SENDING',
      what: 'an attempt',
    });
    expect(attempts[0]).toMatchObject({ outcome: 'retryable', error_code: 'CONNECTION_REFUSED' });
    expect(['RETRYING', 'FAILED']).toContain(log.status);
  });
});

describe('sandbox mode', () => {
  it('delivers only to the capture provider and stores what it captured, never reaching a vendor', async () => {
    const { fake, tenantId } = await setUp(VENDORS[0]!);
    const message = await pendingNotification(tenantId, 'EMAIL', email.recipient, email.content);
    const sessionId = randomUUID();
    await withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
      tx.db
        .updateTable('notification_logs')
        .set({ mode: 'sandbox', sandbox_session_id: sessionId })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', message.notificationId)
        .execute(),
    );
    await dispatch({ ...message, mode: 'sandbox' });
    const { log, attempts } = await untilStatus(tenantId, message.notificationId, 'SENT');
    expect(log.provider).toBe('capture');
    expect(attempts.map((a) => a.provider)).toEqual(['capture']);
    expect(fake.acceptedSends()).toBe(0);
    const captured = await withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
      tx.db
        .selectFrom('sandbox_messages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('notification_id', '=', message.notificationId)
        .execute(),
    );
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({
      sandbox_session_id: sessionId,
      channel: 'EMAIL',
      recipient: 'ada@example.com',
      content: email.content,
    });
  });
});

describe('send-rate limits per provider config', () => {
  it('hold a burst to the configured rate (5/s) without failing any notification', async () => {
    const fake = new FakeResend();
    fakes.push(fake);
    await fake.start();
    const tenantId = await newTenant();
    await addProvider(tenantId, {
      channel: 'EMAIL',
      provider: 'resend',
      credentials: { apiKey: fake.apiKey, fromAddress: 'orders@shop.example' },
      baseUrl: fake.url,
      sendRatePerSecond: 5,
    });
    const messages = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        pendingNotification(tenantId, 'EMAIL', { userId: `rate-${i}`, email: `r${i}@example.com` }, email.content),
      ),
    );
    await dispatch(...messages);
    for (const m of messages) await untilStatus(tenantId, m.notificationId, 'SENT', 20_000);
    const times = fake.accepted.map((s) => s.at.getTime()).sort((a, b) => a - b);
    expect(times).toHaveLength(15);
    // 5 at once (one second's burst), then 10 more at 5 per second: at least ~2 s from first to last.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(1_700);
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!, `sends ${i - 10}..${i}`).toBeGreaterThanOrEqual(1_000);
  });
});
