import { describe, expect, it } from 'vitest';
import { smtpErrorOutcome } from './outcome.js';

describe('SMTP session failure → outcome', () => {
  it('before the message is handed over nothing was sent: retryable with failover; bad credentials → provider', () => {
    expect(smtpErrorOutcome('connect', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }, [])).toMatchObject({
      kind: 'retryable',
      code: 'CONNECTION_REFUSED',
      failover: true,
    });
    expect(smtpErrorOutcome('connect', { code: 'ETIMEDOUT', command: 'CONN' }, [])).toMatchObject({
      kind: 'retryable',
      code: 'CONNECTION_FAILED',
      failover: true,
    });
    expect(
      smtpErrorOutcome('auth', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 5.7.8 nope' }, []),
    ).toMatchObject({
      kind: 'permanent',
      level: 'provider',
      code: 'INVALID_CREDENTIALS',
    });
    expect(smtpErrorOutcome('auth', { code: 'EAUTH', responseCode: 454, command: 'AUTH PLAIN' }, [])).toMatchObject({
      kind: 'retryable',
      failover: true,
    });
  });

  it.each([
    ['MAIL FROM', 553, 'EENVELOPE', 'provider', 'SENDER_REJECTED'],
    ['MAIL FROM', 552, 'EENVELOPE', 'message', 'CONTENT_REJECTED'],
    ['MAIL FROM', 530, 'EENVELOPE', 'provider', 'INVALID_CREDENTIALS'],
    ['RCPT TO', 550, 'EENVELOPE', 'message', 'INVALID_RECIPIENT'],
    ['RCPT TO', 552, 'EENVELOPE', 'message', 'UNREACHABLE_RECIPIENT'],
    ['DATA', 554, 'EMESSAGE', 'message', 'CONTENT_REJECTED'],
    ['DATA', 554, 'EENVELOPE', 'message', 'REQUEST_REJECTED'],
  ])('5xx %s %i (%s) → permanent %s %s', (command, responseCode, code, level, expected) => {
    expect(smtpErrorOutcome('send', { code, responseCode, command, response: `${responseCode} 5.0.0 no` }, [])).toMatchObject({
      kind: 'permanent',
      level,
      code: expected,
    });
  });

  it('4xx while sending → retryable with failover (rate limits throttled); timeouts and lost connections → ambiguous', () => {
    expect(
      smtpErrorOutcome('send', { code: 'EENVELOPE', responseCode: 450, command: 'MAIL FROM', response: '450 4.7.1 rate limit' }, []),
    ).toMatchObject({
      kind: 'retryable',
      code: 'VENDOR_RATE_LIMITED',
      throttled: true,
    });
    expect(
      smtpErrorOutcome('send', { code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO', response: '451 greylisted' }, []),
    ).toMatchObject({
      kind: 'retryable',
      code: 'VENDOR_UNAVAILABLE',
      failover: true,
    });
    expect(smtpErrorOutcome('send', { code: 'ETIMEDOUT', command: 'CONN' }, [])).toMatchObject({ kind: 'ambiguous', code: 'TIMEOUT' });
    expect(smtpErrorOutcome('send', { code: 'ECONNECTION', command: 'CONN' }, [])).toMatchObject({
      kind: 'ambiguous',
      code: 'CONNECTION_LOST',
    });
  });

  it('server replies are redacted', () => {
    const outcome = smtpErrorOutcome(
      'send',
      { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 <ada@example.com>: unknown' },
      ['pw'],
    );
    expect(JSON.stringify(outcome)).not.toContain('ada@example.com');
  });
});
