import { describe, expect, it } from 'vitest';
import { forwardedFor, stampedValue } from '../src/lib/client-address.js';

describe('the X-Forwarded-For the console sends to the API', () => {
  it('appends the TCP peer to what came in, so the API (one trusted hop per proxy) reads the peer', () => {
    expect(forwardedFor(null, '127.0.0.1')).toBe('127.0.0.1');
    expect(forwardedFor('203.0.113.7', '10.0.0.5')).toBe('203.0.113.7, 10.0.0.5');
    expect(forwardedFor(' 198.51.100.1 ,203.0.113.7,, ', '::1')).toBe('198.51.100.1, 203.0.113.7, ::1');
  });

  it('sends nothing when the peer is unknown, rather than the client header alone', () => {
    expect(forwardedFor('203.0.113.7', null)).toBeNull();
  });

  it('believes a stamp only with this process secret', () => {
    expect(stampedValue('s3cret;203.0.113.7, 127.0.0.1', 's3cret')).toBe('203.0.113.7, 127.0.0.1');
    expect(stampedValue('guess;198.51.100.1', 's3cret')).toBeNull();
    expect(stampedValue('198.51.100.1', 's3cret')).toBeNull();
    expect(stampedValue(null, 's3cret')).toBeNull();
    expect(stampedValue('s3cret;1.2.3.4', undefined)).toBeNull();
    expect(stampedValue('s3cret;', 's3cret')).toBeNull();
  });
});
