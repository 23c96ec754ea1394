import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { adapterFor, commonContract, newRequest, signal, withFake, type VendorCase } from './contract.spec-kit.js';
import { closedPortUrl } from './fakes/fake-vendor-server.js';
import { PROVIDERS } from './registry.js';
import { FakeResend } from './resend/fake-server.js';
import { FakeSendGrid } from './sendgrid/fake-server.js';
import { FakeSmtp } from './smtp/fake-server.js';
import type { SendRequest } from './types.js';

// Contract tests of the EMAIL providers, each against its fake vendor (SPEC §5, DESIGN "Tests").

const emailRequest = (): SendRequest =>
  newRequest(
    'EMAIL',
    { userId: 'user-1', email: 'ada@example.com' },
    { subject: 'Your order', html: '<p>Ünïcödé ✓</p>', text: 'Ünïcödé ✓' },
  );

const resend: VendorCase<FakeResend> = {
  name: 'resend',
  manifest: PROVIDERS.resend,
  newFake: () => new FakeResend(),
  credentials: (fake) => ({
    apiKey: fake.apiKey,
    fromAddress: 'orders@shop.example',
    fromName: 'Shop, Inc.',
    replyTo: 'help@shop.example',
  }),
  wrongCredentials: () => ({ apiKey: 're_wrong_key_1234', fromAddress: 'orders@shop.example' }),
  request: emailRequest,
  recipientOf: (request) => request.recipient.email ?? '',
  secretsOf: (fake) => [fake.apiKey],
  checkWire(received, request) {
    expect(received).toMatchObject({ method: 'POST', path: '/emails', contentType: 'application/json' });
    expect(received.headers['idempotency-key']).toBe(request.idempotencyKey);
    expect(received.body).toEqual({
      from: '"Shop, Inc." <orders@shop.example>',
      to: ['ada@example.com'],
      subject: 'Your order',
      html: '<p>Ünïcödé ✓</p>',
      text: 'Ünïcödé ✓',
      reply_to: 'help@shop.example',
    });
  },
};

const sendgrid: VendorCase<FakeSendGrid> = {
  name: 'sendgrid',
  manifest: PROVIDERS.sendgrid,
  newFake: () => new FakeSendGrid(),
  credentials: (fake) => ({ apiKey: fake.apiKey, fromAddress: 'orders@shop.example', fromName: 'Shop' }),
  wrongCredentials: () => ({ apiKey: 'SG.wrong.key', fromAddress: 'orders@shop.example' }),
  request: emailRequest,
  recipientOf: (request) => request.recipient.email ?? '',
  secretsOf: (fake) => [fake.apiKey],
  checkWire(received, request) {
    expect(received).toMatchObject({ method: 'POST', path: '/v3/mail/send', contentType: 'application/json' });
    expect(received.body).toEqual({
      personalizations: [{ to: [{ email: 'ada@example.com' }] }],
      from: { email: 'orders@shop.example', name: 'Shop' },
      subject: 'Your order',
      content: [
        { type: 'text/plain', value: 'Ünïcödé ✓' },
        { type: 'text/html', value: '<p>Ünïcödé ✓</p>' },
      ],
      custom_args: { orqestra_notification_id: request.notificationId },
    });
  },
};

commonContract(resend);
commonContract(sendgrid);

describe('resend: idempotency keys (exactly once where the vendor allows)', () => {
  const use = withFake(resend);

  it('the same key twice → the same id, one accepted send', async () => {
    const fake = use();
    const adapter = adapterFor(resend, fake);
    const request = emailRequest();
    const first = await adapter.send(request, signal());
    const second = await adapter.send(request, signal());
    expect(first.kind).toBe('sent');
    expect(second).toEqual(first);
    expect(fake.received).toHaveLength(2);
    expect(fake.acceptedSends()).toBe(1);
  });

  it('a timeout, then the retry with the same key → the first email id, still one accepted send', async () => {
    const fake = use().set({ slowMs: 400 });
    const adapter = adapterFor(resend, fake, { timeoutMs: 100 });
    const request = emailRequest();
    expect(await adapter.send(request, signal())).toMatchObject({ kind: 'ambiguous', code: 'TIMEOUT' });
    // While the first request is still being answered, Resend refuses the key: retry later, never fail over.
    fake.set({ slowMs: 0 });
    expect(await adapter.send(request, signal())).toMatchObject({ kind: 'retryable', code: 'IDEMPOTENCY_IN_PROGRESS', failover: false });
    const retried = await pollUntil(() => adapter.send(request, signal()), {
      until: (outcome) => outcome.kind !== 'retryable',
      timeoutMs: 3_000,
    });
    expect(retried).toMatchObject({ kind: 'sent', vendorMessageId: fake.accepted[0]?.id });
    expect(fake.acceptedSends()).toBe(1);
  });

  it('the same key with another body → permanent, message level IDEMPOTENCY_CONFLICT', async () => {
    const fake = use();
    const adapter = adapterFor(resend, fake);
    const request = emailRequest();
    await adapter.send(request, signal());
    const outcome = await adapter.send({ ...request, content: { ...request.content, subject: 'Changed' } }, signal());
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'message', code: 'IDEMPOTENCY_CONFLICT', httpStatus: 409 });
    expect(fake.acceptedSends()).toBe(1);
  });

  it('a new attempt series is a new key: a replayed dead letter is sent again', async () => {
    const fake = use();
    const adapter = adapterFor(resend, fake);
    const request = emailRequest();
    await adapter.send(request, signal());
    await adapter.send({ ...request, attemptSeries: 2, idempotencyKey: `${request.notificationId}:2` }, signal());
    expect(fake.acceptedSends()).toBe(2);
  });

  it('testConnection accepts a sending-only key (GET /domains answers 401 restricted_api_key)', async () => {
    const fake = use().set({ restrictedKey: true });
    expect(await adapterFor(resend, fake).testConnection(signal())).toEqual({ ok: true });
  });
});

describe('sendgrid specifics', () => {
  const use = withFake(sendgrid);

  it('the vendor id is the X-Message-Id header of the 202', async () => {
    const fake = use();
    const outcome = await adapterFor(sendgrid, fake).send(emailRequest(), signal());
    expect(outcome).toMatchObject({ kind: 'sent', httpStatus: 202 });
    expect(outcome.kind === 'sent' && outcome.vendorMessageId).toMatch(/^[\w-]{22}$/);
  });

  it('a 429 takes its back-off from X-RateLimit-Reset (epoch seconds)', async () => {
    const fake = use().set({ rateLimit: 1, retryAfterSeconds: 10 });
    const outcome = await adapterFor(sendgrid, fake).send(emailRequest(), signal());
    expect(outcome.kind === 'retryable' && outcome.retryAfterMs).toBeGreaterThan(9_000);
  });

  it('testConnection: a key without the mail.send scope → INSUFFICIENT_PERMISSIONS', async () => {
    const fake = use().set({ scopes: ['user.profile.read'] });
    expect(await adapterFor(sendgrid, fake).testConnection(signal())).toEqual({ ok: false, code: 'INSUFFICIENT_PERMISSIONS' });
  });

  it('only the text part: a single text/plain block', async () => {
    const fake = use();
    const request = newRequest('EMAIL', { userId: 'u', email: 'ada@example.com' }, { subject: 'Plain', text: 'Just text' });
    expect((await adapterFor(sendgrid, fake).send(request, signal())).kind).toBe('sent');
    expect((fake.received[0]?.body as { content: unknown }).content).toEqual([{ type: 'text/plain', value: 'Just text' }]);
  });
});

describe('smtp (against a fake SMTP server)', () => {
  let fake: FakeSmtp;
  beforeEach(async () => {
    fake = new FakeSmtp();
    await fake.start();
  });
  afterEach(() => fake.close());

  const credentials = (overrides: Record<string, unknown> = {}) => ({
    host: fake.host,
    port: fake.portNumber,
    tls: 'none',
    user: fake.user,
    password: fake.password,
    fromAddress: 'orders@shop.example',
    fromName: 'Shop, Inc.',
    ...overrides,
  });
  const smtp = (overrides: Record<string, unknown> = {}, timeoutMs = 2_000) =>
    PROVIDERS.smtp.create({ credentials: credentials(overrides), timeoutMs, allowPrivateAddresses: true });

  it('sends: MAIL FROM / RCPT TO / DATA with the MIME message; the vendor id is our Message-ID', async () => {
    const request = emailRequest();
    const outcome = await smtp().send(request, signal());
    expect(outcome).toEqual({ kind: 'sent', vendorMessageId: `<${request.notificationId}.1@shop.example>` });
    expect(fake.acceptedSends()).toBe(1);
    const [mail] = fake.received;
    expect(mail).toMatchObject({ from: 'orders@shop.example', to: ['ada@example.com'], authorized: true });
    expect(mail?.data).toMatch(/^From: "Shop, Inc\." <orders@shop\.example>$/m);
    expect(mail?.data).toMatch(/^To: ada@example\.com$/m);
    expect(mail?.data).toMatch(/^Subject: Your order$/m);
    expect(mail?.data).toContain(`Message-ID: <${request.notificationId}.1@shop.example>`);
    expect(mail?.data).toMatch(/Content-Type: multipart\/alternative/);
  });

  it('rejected credentials (535) → permanent, provider level; password not in the message', async () => {
    fake.set({ badCredentials: true });
    const outcome = await smtp().send(emailRequest(), signal());
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'provider', code: 'INVALID_CREDENTIALS' });
    expect(JSON.stringify(outcome)).not.toContain(fake.password);
  });

  it('a rejected recipient (550 at RCPT TO) → permanent, message level; no address in the message', async () => {
    fake.set({ permanent: true });
    const outcome = await smtp().send(emailRequest(), signal());
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'message', code: 'INVALID_RECIPIENT' });
    expect(JSON.stringify(outcome)).not.toContain('ada@example.com');
  });

  it('4xx at MAIL FROM: rate limit → throttled; service unavailable → retryable with failover, then sent', async () => {
    fake.set({ rateLimit: 1, fail5xx: 1 });
    const adapter = smtp();
    const request = emailRequest();
    expect(await adapter.send(request, signal())).toMatchObject({
      kind: 'retryable',
      code: 'VENDOR_RATE_LIMITED',
      throttled: true,
      failover: true,
    });
    expect(await adapter.send(request, signal())).toMatchObject({ kind: 'retryable', code: 'VENDOR_UNAVAILABLE', failover: true });
    expect((await adapter.send(request, signal())).kind).toBe('sent');
    expect(fake.acceptedSends()).toBe(1);
  });

  it('no reply to the final dot within the timeout → ambiguous; a dropped connection there → ambiguous', async () => {
    fake.set({ slowMs: 1_000 });
    expect(await smtp({}, 300).send(emailRequest(), signal())).toMatchObject({ kind: 'ambiguous', code: 'TIMEOUT' });
    fake.set({ slowMs: 0, dropConnection: true });
    expect(await smtp().send(emailRequest(), signal())).toMatchObject({ kind: 'ambiguous' });
    expect(fake.acceptedSends()).toBe(2);
  });

  it('connection refused → retryable with failover', async () => {
    const port = Number(new URL(await closedPortUrl()).port);
    expect(await smtp({ port }).send(emailRequest(), signal())).toMatchObject({
      kind: 'retryable',
      code: 'CONNECTION_REFUSED',
      failover: true,
    });
  });

  it('a host on a private address without the development flag → provider level, nothing sent', async () => {
    const adapter = PROVIDERS.smtp.create({ credentials: credentials(), timeoutMs: 2_000 });
    expect(await adapter.send(emailRequest(), signal())).toMatchObject({
      kind: 'permanent',
      level: 'provider',
      code: 'PROVIDER_MISCONFIGURED',
    });
    expect(await adapter.testConnection(signal())).toEqual({ ok: false, code: 'UNREACHABLE' });
    expect(fake.received).toHaveLength(0);
  });

  it('testConnection: connects and authenticates, sends nothing', async () => {
    expect(await smtp().testConnection(signal())).toEqual({ ok: true });
    expect(await smtp({ password: 'wrong' }).testConnection(signal())).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    const port = Number(new URL(await closedPortUrl()).port);
    expect(await smtp({ port }).testConnection(signal())).toEqual({ ok: false, code: 'UNREACHABLE' });
    expect(fake.acceptedSends()).toBe(0);
  });

  it('the manifest names the host to check like a base URL', () => {
    expect(PROVIDERS.smtp.hostOf?.(credentials())).toBe('127.0.0.1');
  });
});
