import { describe, expect, it } from 'vitest';
import { timingSafeEqualHex, timingSafeEqualString } from './index.js';

describe('timingSafeEqualString', () => {
  it('matches equal strings and rejects different ones', () => {
    expect(timingSafeEqualString('whsec_abc', 'whsec_abc')).toBe(true);
    expect(timingSafeEqualString('whsec_abc', 'whsec_abd')).toBe(false);
    expect(timingSafeEqualString('clé', 'clé')).toBe(true);
  });

  it('returns false instead of throwing when lengths differ', () => {
    expect(timingSafeEqualString('whsec_abc', 'whsec_abcd')).toBe(false);
    expect(timingSafeEqualString('a', 'a'.repeat(1000))).toBe(false);
  });

  it('never matches an empty or missing value', () => {
    expect(timingSafeEqualString('', '')).toBe(false);
    expect(timingSafeEqualString('', 'x')).toBe(false);
    expect(timingSafeEqualString(undefined as unknown as string, 'x')).toBe(false);
  });
});

describe('timingSafeEqualHex', () => {
  const digest = 'a3f1c09be7d24e5f8a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b';

  it('matches the same digest regardless of letter case', () => {
    expect(timingSafeEqualHex(digest, digest)).toBe(true);
    expect(timingSafeEqualHex(digest.toUpperCase(), digest)).toBe(true);
  });

  it('rejects a digest that differs in one nibble or in length', () => {
    expect(timingSafeEqualHex(digest, `${digest.slice(0, -1)}c`)).toBe(false);
    expect(timingSafeEqualHex(digest, digest.slice(0, -2))).toBe(false);
  });

  it('returns false for values that are not hex, odd-length or empty', () => {
    expect(timingSafeEqualHex(digest, `${digest.slice(0, -1)}g`)).toBe(false);
    expect(timingSafeEqualHex('abc', 'abc')).toBe(false);
    expect(timingSafeEqualHex('', '')).toBe(false);
    expect(timingSafeEqualHex(null as unknown as string, digest)).toBe(false);
  });
});
