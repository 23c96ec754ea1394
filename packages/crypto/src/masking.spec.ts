import { describe, expect, it } from 'vitest';
import { last4 } from './index.js';

describe('last4', () => {
  it('shows the last 4 characters of a normal-length secret', () => {
    expect(last4('re_live_4f9a8b7c6d5eA1b2')).toBe('A1b2');
    expect(last4('SG.abcdefghijklmnop')).toBe('mnop');
  });

  it.each([
    ['0123456789ab', '9ab'],
    ['01234567', '67'],
    ['0123', '3'],
    ['012', ''],
    ['1', ''],
    ['', ''],
  ])('never reveals more than a quarter of a short secret: %j → %j', (secret, shown) => {
    expect(last4(secret)).toBe(shown);
  });

  it('never returns a whole secret of 4 characters or fewer', () => {
    for (const secret of ['abcd', 'abc', 'ab', 'a']) expect(last4(secret)).not.toBe(secret);
  });

  it('does not split characters outside the Basic Multilingual Plane', () => {
    expect(last4('secret-key-with-🔑🔑🔑🔑')).toBe('🔑🔑🔑🔑');
  });
});
