import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey } from './api-keys.js';

describe('API keys', () => {
  it('are random, prefixed by mode, and stored only as a SHA-256 hash with a short display prefix', () => {
    const a = generateApiKey('live');
    const b = generateApiKey('live');
    expect(a.plaintext).toMatch(/^oq_live_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey('sandbox').plaintext).toMatch(/^oq_test_/);
    expect(a.plaintext).not.toBe(b.plaintext);
    expect(a.hash).toBe(hashApiKey(a.plaintext));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.displayPrefix).toBe(a.plaintext.slice(0, 12));
    expect(a.hash).not.toContain(a.plaintext.slice(8));
  });
});
