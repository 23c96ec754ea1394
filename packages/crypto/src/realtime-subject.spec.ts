import { describe, expect, it } from 'vitest';
import { realtimeSubject } from './realtime-subject.js';

describe('realtimeSubject (SPEC §2.4)', () => {
  const tenantA = '3f1e2d4c-0000-4000-8000-000000000001';
  const tenantB = '3f1e2d4c-0000-4000-8000-000000000002';

  it('is base64url(SHA-256(tenantId ‖ 0x00 ‖ userId)), matching an independently computed vector', () => {
    // Vector computed with Python's hashlib/base64 for the same bytes.
    expect(realtimeSubject(tenantA, 'user-42 ü')).toBe('jaQGB7P4g1OXKzO4edgCUzEGR2Kv29AgkrgxYLm6ACE');
  });

  it('differs for the same userId in two tenants, and cannot be forged by moving the separator', () => {
    expect(realtimeSubject(tenantA, 'u1')).not.toBe(realtimeSubject(tenantB, 'u1'));
    expect(realtimeSubject('ab', 'c')).not.toBe(realtimeSubject('a', 'bc'));
  });

  it('is fixed-length and free of the characters Centrifugo gives meaning to', () => {
    for (const userId of ['x', 'a#b', 'a:b,c$d', 'ü'.repeat(256)]) {
      const sub = realtimeSubject(tenantA, userId);
      expect(sub).toHaveLength(43);
      expect(sub).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });
});
