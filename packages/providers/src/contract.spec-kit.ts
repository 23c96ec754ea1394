import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '@orqestra/contracts';
import { closedPortUrl, type FakeBehaviour, type FakeVendorServer, type ReceivedRequest } from './fakes/fake-vendor-server.js';
import type { RegisteredManifest } from './registry.js';
import type { Outcome, ProviderAdapter, SendRequest } from './types.js';

/**
 * The shared part of the per-channel contract tests: every vendor of a channel must pass these
 * against its fake. A vendor case says how to configure the adapter for its fake and what a
 * correct request looks like on the wire.
 */
export interface VendorCase<F extends FakeVendorServer<FakeBehaviour>> {
  name: string;
  manifest: RegisteredManifest;
  newFake(): F;
  credentials(fake: F): Record<string, unknown>;
  /** Credentials the fake refuses (a wrong key). */
  wrongCredentials(fake: F): Record<string, unknown>;
  request(): SendRequest;
  /** The recipient field of `request()` that must never appear in an outcome message. */
  recipientOf(request: SendRequest): string;
  /** Secrets of `credentials()` that must never appear in an outcome message. */
  secretsOf(fake: F): string[];
  /** Checks the wire format of one accepted send request. */
  checkWire(received: ReceivedRequest, request: SendRequest, fake: F): void;
}

export const TEST_TIMEOUT_MS = 2_000;

export function newRequest(channel: Channel, recipient: SendRequest['recipient'], content: SendRequest['content']): SendRequest {
  const notificationId = randomUUID();
  return {
    notificationId,
    attemptSeries: 1,
    idempotencyKey: `${notificationId}:1`,
    tenantId: randomUUID(),
    mode: 'live',
    channel,
    recipient,
    content,
    eventType: 'order.confirmed',
    receivedAt: new Date().toISOString(),
  };
}

export function adapterFor<F extends FakeVendorServer<FakeBehaviour>>(
  vendor: VendorCase<F>,
  fake: F,
  overrides: { credentials?: Record<string, unknown>; baseUrl?: string; timeoutMs?: number } = {},
): ProviderAdapter {
  return vendor.manifest.create({
    credentials: overrides.credentials ?? vendor.credentials(fake),
    baseUrl: overrides.baseUrl ?? fake.url,
    timeoutMs: overrides.timeoutMs ?? TEST_TIMEOUT_MS,
  });
}

export const signal = (): AbortSignal => new AbortController().signal;

/** No secret and no recipient in what the gateway will store and log. */
export function expectClean(outcome: Outcome, forbidden: string[]): void {
  const text = JSON.stringify(outcome);
  for (const value of forbidden) expect(text).not.toContain(value);
}

/** Starts a fresh fake for every test; `use()` gives the running one. */
export function withFake<F extends FakeVendorServer<FakeBehaviour>>(vendor: VendorCase<F>): () => F {
  let fake: F | undefined;
  beforeEach(async () => {
    fake = vendor.newFake();
    await fake.start();
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return () => {
    if (!fake) throw new Error('fake not started');
    return fake;
  };
}

/** The behaviour every vendor adapter of every channel shares (SPEC §3 step 3, §5). */
export function commonContract<F extends FakeVendorServer<FakeBehaviour>>(vendor: VendorCase<F>): void {
  describe(`${vendor.name}: common contract`, () => {
    const use = withFake(vendor);

    it('sends: outcome sent with the vendor id, the fake saw the documented wire format', async () => {
      const fake = use();
      const request = vendor.request();
      const outcome = await adapterFor(vendor, fake).send(request, signal());
      expect(outcome.kind).toBe('sent');
      expect(fake.acceptedSends()).toBe(1);
      if (outcome.kind === 'sent') expect(outcome.vendorMessageId).toBe(fake.accepted[0]?.id);
      const received = fake.received.at(-1);
      expect(received?.authorized).toBe(true);
      if (received) vendor.checkWire(received, request, fake);
    });

    it('429 with a back-off header → retryable, throttled, failover, retryAfterMs from the header', async () => {
      const fake = use().set({ rateLimit: 1, retryAfterSeconds: 3 });
      const outcome = await adapterFor(vendor, fake).send(vendor.request(), signal());
      expect(outcome).toMatchObject({ kind: 'retryable', code: 'VENDOR_RATE_LIMITED', throttled: true, failover: true, httpStatus: 429 });
      const after = outcome.kind === 'retryable' ? (outcome.retryAfterMs ?? -1) : -1;
      // Epoch-second reset headers round up to the next second.
      expect(after).toBeGreaterThanOrEqual(2_000);
      expect(after).toBeLessThanOrEqual(4_000);
      expect(fake.acceptedSends()).toBe(0);
    });

    it('5xx then success: retryable first, sent on the retry, one accepted send', async () => {
      const fake = use().set({ fail5xx: 1 });
      const adapter = adapterFor(vendor, fake);
      const request = vendor.request();
      const first = await adapter.send(request, signal());
      expect(first).toMatchObject({ kind: 'retryable' });
      expect((first as { httpStatus?: number }).httpStatus).toBeGreaterThanOrEqual(500);
      const second = await adapter.send(request, signal());
      expect(second.kind).toBe('sent');
      expect(fake.acceptedSends()).toBe(1);
    });

    it('no answer within the timeout → ambiguous (it may have been sent)', async () => {
      const fake = use().set({ slowMs: 1_000 });
      const started = Date.now();
      const outcome = await adapterFor(vendor, fake, { timeoutMs: 150 }).send(vendor.request(), signal());
      expect(outcome).toMatchObject({ kind: 'ambiguous', code: 'TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(900);
    });

    it('the connection reset after the request was sent → ambiguous (it may have been sent)', async () => {
      const fake = use().set({ dropConnection: true });
      const outcome = await adapterFor(vendor, fake).send(vendor.request(), signal());
      expect(outcome).toMatchObject({ kind: 'ambiguous', code: 'CONNECTION_LOST' });
      expect(fake.acceptedSends()).toBe(1);
    });

    it('a message-level 4xx (invalid recipient) → permanent, message level; no secret or recipient in the message', async () => {
      const fake = use().set({ permanent: true });
      const request = vendor.request();
      const outcome = await adapterFor(vendor, fake).send(request, signal());
      expect(outcome).toMatchObject({ kind: 'permanent', level: 'message' });
      expectClean(outcome, [...vendor.secretsOf(fake), vendor.recipientOf(request)]);
    });

    it('revoked credentials → permanent, provider level INVALID_CREDENTIALS', async () => {
      const fake = use().set({ badCredentials: true });
      const outcome = await adapterFor(vendor, fake).send(vendor.request(), signal());
      expect(outcome).toMatchObject({ kind: 'permanent', level: 'provider', code: 'INVALID_CREDENTIALS' });
      expectClean(outcome, vendor.secretsOf(fake));
    });

    it('wrong credentials → permanent, provider level INVALID_CREDENTIALS', async () => {
      const fake = use();
      const outcome = await adapterFor(vendor, fake, { credentials: vendor.wrongCredentials(fake) }).send(vendor.request(), signal());
      expect(outcome).toMatchObject({ kind: 'permanent', level: 'provider', code: 'INVALID_CREDENTIALS' });
      expect(fake.acceptedSends()).toBe(0);
    });

    it('connection refused → retryable with failover (nothing was sent)', async () => {
      const fake = use();
      const outcome = await adapterFor(vendor, fake, { baseUrl: await closedPortUrl() }).send(vendor.request(), signal());
      expect(outcome).toMatchObject({ kind: 'retryable', code: 'CONNECTION_REFUSED', failover: true });
    });

    it('a recipient without the channel field → permanent MISSING_RECIPIENT, nothing sent', async () => {
      const fake = use();
      const request = vendor.request();
      const outcome = await adapterFor(vendor, fake).send({ ...request, recipient: { userId: request.recipient.userId } }, signal());
      expect(outcome).toMatchObject({ kind: 'permanent', level: 'message', code: 'MISSING_RECIPIENT' });
      expect(fake.received).toHaveLength(0);
    });

    it('testConnection: ok with good credentials, INVALID_CREDENTIALS with bad ones, UNREACHABLE on a closed port; sends nothing', async () => {
      const fake = use();
      expect(await adapterFor(vendor, fake).testConnection(signal())).toEqual({ ok: true });
      expect(await adapterFor(vendor, fake, { credentials: vendor.wrongCredentials(fake) }).testConnection(signal())).toEqual({
        ok: false,
        code: 'INVALID_CREDENTIALS',
      });
      expect(await adapterFor(vendor, fake, { baseUrl: await closedPortUrl() }).testConnection(signal())).toEqual({
        ok: false,
        code: 'UNREACHABLE',
      });
      expect(fake.acceptedSends()).toBe(0);
    });

    it('invalid credentials for the schema → a provider-level failure, not a throw', async () => {
      const fake = use();
      const adapter = vendor.manifest.create({ credentials: { nonsense: true }, baseUrl: fake.url, timeoutMs: TEST_TIMEOUT_MS });
      expect(await adapter.send(vendor.request(), signal())).toMatchObject({
        kind: 'permanent',
        level: 'provider',
        code: 'PROVIDER_MISCONFIGURED',
      });
      expect(await adapter.testConnection(signal())).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
      expect(fake.received).toHaveLength(0);
    });
  });
}
