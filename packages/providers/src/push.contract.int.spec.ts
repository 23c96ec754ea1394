import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GLOBAL_NAMESPACE } from '@orqestra/contracts';
import { realtimeSubject } from '@orqestra/crypto';
import { stackEnv } from '@orqestra/testing';
import { newRequest, signal } from './contract.spec-kit.js';
import { closedPortUrl } from './fakes/fake-vendor-server.js';
import { pushChannel } from './push/adapter.js';
import { PROVIDERS } from './registry.js';
import type { SendRequest } from './types.js';

// The built-in PUSH provider against the REAL Centrifugo of the local stack (no fake for it).

const env = stackEnv();

const pushFor = (apiKey = env.centrifugoApiKey, apiUrl = env.centrifugoUrl) =>
  PROVIDERS.push.create({ credentials: { apiUrl, apiKey }, baseUrl: apiUrl, timeoutMs: 2_000 });

const pushRequest = (): SendRequest =>
  newRequest(
    'PUSH',
    { userId: `user-${randomUUID()}` },
    { title: 'Order shipped', body: 'Your order is on its way ✓', category: 'success', data: { orderId: 42 } },
  );

async function epochOf(channel: string): Promise<string | undefined> {
  const response = await fetch(`${env.centrifugoUrl}/api/history`, {
    method: 'POST',
    headers: { 'X-API-Key': env.centrifugoApiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel, limit: 0 }),
  });
  return ((await response.json()) as { result?: { epoch?: string } }).result?.epoch;
}

async function history(channel: string): Promise<{ data: unknown; offset?: number }[]> {
  const response = await fetch(`${env.centrifugoUrl}/api/history`, {
    method: 'POST',
    headers: { 'X-API-Key': env.centrifugoApiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel, limit: 100 }),
  });
  const body = (await response.json()) as { result?: { publications?: { data: unknown }[] } };
  return body.result?.publications ?? [];
}

describe('push (Centrifugo publish)', () => {
  it("publishes to the user's channel; the publication is in the channel history with the documented fields", async () => {
    const request = pushRequest();
    const outcome = await pushFor().send(request, signal());
    expect(outcome).toMatchObject({ kind: 'sent', httpStatus: 200 });
    expect(outcome.kind === 'sent' && outcome.vendorMessageId).toMatch(/^.+:\d+$/);
    const channel = pushChannel(request.tenantId, request.recipient.userId);
    expect(channel).toBe(`${GLOBAL_NAMESPACE}#${realtimeSubject(request.tenantId, request.recipient.userId)}`);
    expect(await history(channel)).toEqual([
      {
        data: {
          id: request.notificationId,
          title: 'Order shipped',
          body: 'Your order is on its way ✓',
          category: 'success',
          eventType: 'order.confirmed',
          createdAt: request.receivedAt,
          data: { orderId: 42 },
        },
        offset: expect.any(Number) as number,
      },
    ]);
  });

  it('publishing the same notification again (a retry, a replay) does not publish twice: the notification id is the idempotency key', async () => {
    const request = pushRequest();
    const adapter = pushFor();
    const first = await adapter.send(request, signal());
    const second = await adapter.send({ ...request, attemptSeries: 2, idempotencyKey: `${request.notificationId}:2` }, signal());
    expect(second).toEqual(first);
    expect(await history(pushChannel(request.tenantId, request.recipient.userId))).toHaveLength(1);
  });

  it('publications asked for together go out as one batch, and each caller is answered with its own publication', async () => {
    const adapter = pushFor();
    const requests = Array.from({ length: 25 }, () => pushRequest());
    // A request that repeats one of the batch's notifications is deduplicated by its idempotency key.
    const outcomes = await Promise.all([...requests, { ...requests[0]!, attemptSeries: 2 }].map((r) => adapter.send(r, signal())));
    expect(outcomes.map((o) => o.kind)).toEqual(Array(26).fill('sent'));
    for (const [i, request] of requests.entries()) {
      const channel = pushChannel(request.tenantId, request.recipient.userId);
      const publications = await history(channel);
      expect(publications.map((p) => (p.data as { id: string }).id)).toEqual([request.notificationId]);
      // The caller's vendor message id is its own publication's position (epoch:offset) in its channel.
      const outcome = outcomes[i]!;
      expect(outcome.kind === 'sent' && outcome.vendorMessageId).toBe(`${await epochOf(channel)}:${publications[0]!.offset}`);
    }
  });

  it('the same user in two tenants gets two different channels', () => {
    expect(pushChannel(randomUUID(), 'user-1')).not.toBe(pushChannel(randomUUID(), 'user-1'));
  });

  it('a category-less notification is published as info', async () => {
    const request = newRequest('PUSH', { userId: `user-${randomUUID()}` }, { title: 'Hi', body: 'there' });
    expect((await pushFor().send(request, signal())).kind).toBe('sent');
    const [publication] = await history(pushChannel(request.tenantId, request.recipient.userId));
    expect(publication?.data).toMatchObject({ id: request.notificationId, category: 'info' });
  });

  it('a wrong API key → permanent, provider level INVALID_CREDENTIALS; the key is not in the message', async () => {
    const outcome = await pushFor('wrong-key').send(pushRequest(), signal());
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'provider', code: 'INVALID_CREDENTIALS', httpStatus: 401 });
    expect(JSON.stringify(outcome)).not.toContain(env.centrifugoApiKey);
  });

  it('Centrifugo down (connection refused) → retryable', async () => {
    const url = await closedPortUrl();
    expect(await pushFor(env.centrifugoApiKey, url).send(pushRequest(), signal())).toMatchObject({
      kind: 'retryable',
      code: 'CONNECTION_REFUSED',
    });
  });

  it('testConnection: ok with the key, INVALID_CREDENTIALS without, UNREACHABLE when down', async () => {
    expect(await pushFor().testConnection(signal())).toEqual({ ok: true });
    expect(await pushFor('wrong-key').testConnection(signal())).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(await pushFor(env.centrifugoApiKey, await closedPortUrl()).testConnection(signal())).toEqual({ ok: false, code: 'UNREACHABLE' });
  });
});

describe('capture (sandbox)', () => {
  it('sends nothing and answers sent with a capture id, for any channel', async () => {
    const adapter = PROVIDERS.capture.create({ credentials: {}, timeoutMs: 1_000 });
    for (const channel of ['EMAIL', 'SMS', 'PUSH'] as const) {
      const outcome = await adapter.send(
        newRequest(channel, { userId: 'u', email: 'a@b.co', phone: '+254711000111' }, { body: 'x' }),
        signal(),
      );
      expect(outcome).toMatchObject({ kind: 'sent' });
      expect(outcome.kind === 'sent' && outcome.vendorMessageId).toMatch(/^capture:[0-9a-f-]{36}$/);
    }
    expect(await adapter.testConnection(signal())).toEqual({ ok: true });
  });
});
