import { describe, expect, it } from 'vitest';
import { manifestFor, PROVIDERS, providersFor, UnknownProviderError } from './registry.js';

const SID = `AC${'a'.repeat(32)}`;

describe('the provider registry', () => {
  it('finds every manifest by id; an unknown id throws', () => {
    for (const [id, manifest] of Object.entries(PROVIDERS)) expect(manifestFor(id)).toBe(manifest);
    expect(() => manifestFor('carrier-pigeon')).toThrow(UnknownProviderError);
    expect(() => manifestFor('toString')).toThrow(UnknownProviderError);
  });

  it('lists what a tenant can configure per channel (built-ins excluded)', () => {
    expect(providersFor('EMAIL').map((m) => m.id)).toEqual(['resend', 'sendgrid', 'smtp']);
    expect(providersFor('SMS').map((m) => m.id)).toEqual(['twilio', 'africastalking']);
    expect(providersFor('PUSH')).toEqual([]);
    expect(PROVIDERS.push.builtIn && PROVIDERS.capture.builtIn).toBe(true);
  });

  it('the secret field of each configurable manifest is one of its credentials', () => {
    expect(PROVIDERS.resend.secretField).toBe('apiKey');
    expect(PROVIDERS.sendgrid.secretField).toBe('apiKey');
    expect(PROVIDERS.twilio.secretField).toBe('authToken');
    expect(PROVIDERS.africastalking.secretField).toBe('apiKey');
    expect(PROVIDERS.smtp.secretField).toBe('password');
  });

  it('only Resend (and the built-ins) deduplicate on the idempotency key', () => {
    expect(
      Object.values(PROVIDERS)
        .filter((m) => m.supportsIdempotencyKey)
        .map((m) => m.id),
    ).toEqual(['resend', 'push', 'capture']);
  });

  it('vendor base URLs are the vendors’ own https addresses', () => {
    expect(PROVIDERS.resend.defaultBaseUrl).toBe('https://api.resend.com');
    expect(PROVIDERS.sendgrid.defaultBaseUrl).toBe('https://api.sendgrid.com');
    expect(PROVIDERS.twilio.defaultBaseUrl).toBe('https://api.twilio.com');
    expect(PROVIDERS.africastalking.defaultBaseUrl).toBe('https://api.africastalking.com');
  });
});

describe('credential schemas (SPEC §5 table)', () => {
  it('Resend: apiKey and fromAddress required; fromName and replyTo optional; unknown keys refused', () => {
    const schema = PROVIDERS.resend.credentials;
    expect(schema.safeParse({ apiKey: 're_x', fromAddress: 'a@b.co' }).success).toBe(true);
    expect(schema.safeParse({ apiKey: 're_x', fromAddress: 'a@b.co', fromName: 'A', replyTo: 'r@b.co' }).success).toBe(true);
    expect(schema.safeParse({ apiKey: 're_x', fromAddress: 'not-an-address' }).success).toBe(false);
    expect(schema.safeParse({ apiKey: 're_x', fromAddress: 'a@b.co', from_name: 'typo' }).success).toBe(false);
  });

  it('SendGrid: apiKey, fromAddress, fromName?', () => {
    expect(PROVIDERS.sendgrid.credentials.safeParse({ apiKey: 'SG.x', fromAddress: 'a@b.co', fromName: 'A' }).success).toBe(true);
    expect(PROVIDERS.sendgrid.credentials.safeParse({ fromAddress: 'a@b.co' }).success).toBe(false);
  });

  it('Twilio: exactly one of fromNumber and messagingServiceSid', () => {
    const schema = PROVIDERS.twilio.credentials;
    expect(schema.safeParse({ accountSid: SID, authToken: 't', fromNumber: '+15005550006' }).success).toBe(true);
    expect(schema.safeParse({ accountSid: SID, authToken: 't', messagingServiceSid: `MG${'b'.repeat(32)}` }).success).toBe(true);
    expect(schema.safeParse({ accountSid: SID, authToken: 't' }).success).toBe(false);
    expect(
      schema.safeParse({ accountSid: SID, authToken: 't', fromNumber: '+1', messagingServiceSid: `MG${'b'.repeat(32)}` }).success,
    ).toBe(false);
    expect(schema.safeParse({ accountSid: 'nope', authToken: 't', fromNumber: '+15005550006' }).success).toBe(false);
  });

  it("Africa's Talking: username, apiKey, senderId?, sandbox defaults to false", () => {
    const parsed = PROVIDERS.africastalking.credentials.parse({ username: 'app', apiKey: 'k' });
    expect(parsed).toEqual({ username: 'app', apiKey: 'k', sandbox: false });
    expect(PROVIDERS.africastalking.credentials.safeParse({ username: 'sandbox', apiKey: 'k', sandbox: 'yes' }).success).toBe(false);
  });

  it('SMTP: host, port, tls mode, user and password together, fromAddress', () => {
    const base = { host: 'smtp.example.com', port: 587, tls: 'starttls', fromAddress: 'a@b.co' };
    expect(PROVIDERS.smtp.credentials.safeParse({ ...base, user: 'u', password: 'p' }).success).toBe(true);
    expect(PROVIDERS.smtp.credentials.safeParse(base).success).toBe(true);
    expect(PROVIDERS.smtp.credentials.safeParse({ ...base, user: 'u' }).success).toBe(false);
    expect(PROVIDERS.smtp.credentials.safeParse({ ...base, tls: 'ssl' }).success).toBe(false);
    expect(PROVIDERS.smtp.hostOf?.({ ...base })).toBe('smtp.example.com');
  });

  it('push takes the deployment’s Centrifugo settings; capture takes nothing', () => {
    expect(PROVIDERS.push.credentials.safeParse({ apiUrl: 'http://127.0.0.1:8000', apiKey: 'k' }).success).toBe(true);
    expect(PROVIDERS.push.credentials.safeParse({ apiUrl: 'ftp://x', apiKey: 'k' }).success).toBe(false);
    expect(PROVIDERS.capture.credentials.safeParse({}).success).toBe(true);
    expect(PROVIDERS.capture.credentials.safeParse({ x: 1 }).success).toBe(false);
  });
});
