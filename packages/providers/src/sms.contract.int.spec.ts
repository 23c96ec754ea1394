import { describe, expect, it } from 'vitest';
import { FakeAfricasTalking } from './africastalking/fake-server.js';
import { adapterFor, commonContract, newRequest, signal, withFake, type VendorCase } from './contract.spec-kit.js';
import { PROVIDERS } from './registry.js';
import { FakeTwilio } from './twilio/fake-server.js';
import type { SendRequest } from './types.js';

// Contract tests of the SMS providers, each against its fake vendor (SPEC §5, DESIGN "Tests").

const smsRequest = (): SendRequest => newRequest('SMS', { userId: 'user-1', phone: '+254711000111' }, { body: 'Your code is 1234 ✓' });

const twilio: VendorCase<FakeTwilio> = {
  name: 'twilio',
  manifest: PROVIDERS.twilio,
  newFake: () => new FakeTwilio(),
  credentials: (fake) => ({ accountSid: fake.accountSid, authToken: fake.authToken, fromNumber: '+15005550006' }),
  wrongCredentials: (fake) => ({ accountSid: fake.accountSid, authToken: 'wrong-token', fromNumber: '+15005550006' }),
  request: smsRequest,
  recipientOf: (request) => request.recipient.phone ?? '',
  secretsOf: (fake) => [fake.authToken],
  checkWire(received, _request, fake) {
    expect(received).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(received.body).toEqual({ To: '+254711000111', Body: 'Your code is 1234 ✓', From: '+15005550006' });
  },
};

const africastalking: VendorCase<FakeAfricasTalking> = {
  name: 'africastalking',
  manifest: PROVIDERS.africastalking,
  newFake: () => new FakeAfricasTalking({ senderIds: ['ORQESTRA'] }),
  credentials: (fake) => ({ username: fake.username, apiKey: fake.apiKey, senderId: 'ORQESTRA' }),
  wrongCredentials: (fake) => ({ username: fake.username, apiKey: 'atsk_wrong' }),
  request: smsRequest,
  recipientOf: (request) => request.recipient.phone ?? '',
  secretsOf: (fake) => [fake.apiKey],
  checkWire(received, _request, fake) {
    expect(received).toMatchObject({ method: 'POST', path: '/version1/messaging', contentType: 'application/x-www-form-urlencoded' });
    expect(received.headers.accept).toBe('application/json');
    expect(received.body).toEqual({ username: fake.username, to: '+254711000111', message: 'Your code is 1234 ✓', from: 'ORQESTRA' });
  },
};

commonContract(twilio);
commonContract(africastalking);

describe('twilio: error codes and senders', () => {
  const use = withFake(twilio);

  it.each([
    [21610, 'RECIPIENT_UNSUBSCRIBED'],
    [21614, 'UNSUPPORTED_RECIPIENT'],
    [21211, 'INVALID_RECIPIENT'],
  ])('error %i → permanent, message level %s', async (code, expected) => {
    const fake = use().set({ permanent: true, permanentCode: code });
    const outcome = await adapterFor(twilio, fake).send(smsRequest(), signal());
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'message', code: expected, httpStatus: 400 });
  });

  it('an invalid number: Twilio quotes it, the outcome message does not', async () => {
    const fake = use();
    const request = newRequest('SMS', { userId: 'u', phone: '0711 000 111' }, { body: 'hi' });
    const outcome = await adapterFor(twilio, fake).send(request, signal());
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'message', code: 'INVALID_RECIPIENT' });
    expect(JSON.stringify(outcome)).not.toContain('0711');
  });

  it('a Messaging Service SID is sent as MessagingServiceSid instead of From', async () => {
    const fake = use();
    const messagingServiceSid = `MG${'0'.repeat(32)}`;
    const credentials = { accountSid: fake.accountSid, authToken: fake.authToken, messagingServiceSid };
    expect((await adapterFor(twilio, fake, { credentials }).send(smsRequest(), signal())).kind).toBe('sent');
    expect(fake.received[0]?.body).toEqual({ To: '+254711000111', Body: 'Your code is 1234 ✓', MessagingServiceSid: messagingServiceSid });
  });

  it('testConnection: a suspended account → ACCOUNT_INACTIVE', async () => {
    const fake = use().set({ accountStatus: 'suspended' });
    expect(await adapterFor(twilio, fake).testConnection(signal())).toEqual({ ok: false, code: 'ACCOUNT_INACTIVE' });
  });
});

describe("africa's talking: per-recipient status codes", () => {
  const use = withFake(africastalking);

  it('405 InsufficientBalance → permanent, provider level (breaker opens, next provider)', async () => {
    const fake = use().set({ insufficientBalance: true });
    const outcome = await adapterFor(africastalking, fake).send(smsRequest(), signal());
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'provider', code: 'INSUFFICIENT_BALANCE', httpStatus: 201 });
    expect(fake.acceptedSends()).toBe(0);
  });

  it.each([
    [406, { kind: 'permanent', level: 'message', code: 'RECIPIENT_UNSUBSCRIBED' }],
    [409, { kind: 'permanent', level: 'message', code: 'RECIPIENT_UNSUBSCRIBED' }],
    [404, { kind: 'permanent', level: 'message', code: 'UNSUPPORTED_RECIPIENT' }],
    [500, { kind: 'retryable', code: 'VENDOR_ERROR', failover: true }],
    [501, { kind: 'retryable', code: 'VENDOR_UNAVAILABLE', failover: true }],
    [102, { kind: 'sent' }],
  ])('recipient status %i → %o', async (statusCode, expected) => {
    const fake = use().set({ recipientStatus: statusCode });
    expect(await adapterFor(africastalking, fake).send(smsRequest(), signal())).toMatchObject(expected);
  });

  it('an unregistered sender id → 402 InvalidSenderId → permanent, provider level', async () => {
    const fake = use();
    const credentials = { username: fake.username, apiKey: fake.apiKey, senderId: 'NOT_MINE' };
    const outcome = await adapterFor(africastalking, fake, { credentials }).send(smsRequest(), signal());
    expect(outcome).toMatchObject({ kind: 'permanent', level: 'provider', code: 'SENDER_REJECTED' });
  });

  it('without a sender id, no `from` field (the account default sender)', async () => {
    const fake = use();
    const credentials = { username: fake.username, apiKey: fake.apiKey };
    expect((await adapterFor(africastalking, fake, { credentials }).send(smsRequest(), signal())).kind).toBe('sent');
    expect(fake.received[0]?.body).not.toHaveProperty('from');
  });

  it('testConnection reads the application data (GET /version1/user?username=)', async () => {
    const fake = use();
    expect(await adapterFor(africastalking, fake).testConnection(signal())).toEqual({ ok: true });
    expect(fake.received[0]).toMatchObject({ method: 'GET', path: '/version1/user', query: { username: fake.username }, authorized: true });
  });
});
