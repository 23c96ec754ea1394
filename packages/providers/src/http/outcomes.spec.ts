import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DELIVERY_CODES, isDeliveryCode, TEST_CONNECTION_CODES } from '@orqestra/contracts';
import { OUTCOME_CODES } from './outcomes.js';

const SRC = new URL('../', import.meta.url);

/** The providers' own source files (no tests, no fake vendor servers). */
function sources(): { file: string; text: string }[] {
  return (readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !/\.spec\.ts$|spec-kit\.ts$|fake-server\.ts$|fake-vendor-server\.ts$/.test(f))
    .map((file) => ({ file, text: readFileSync(new URL(file, SRC), 'utf8') }));
}

describe("the providers' codes are entries of the one catalog (decision 0004)", () => {
  it('gives every outcome code a delivery disposition (class, dead letter or not)', () => {
    for (const code of Object.values(OUTCOME_CODES)) {
      expect({ code, delivery: isDeliveryCode(code) }).toEqual({ code, delivery: true });
      expect(['retryable', 'throttled', 'permanent_message', 'permanent_provider', 'ambiguous']).toContain(DELIVERY_CODES[code].class);
    }
    // A vendor throttling us is not our API's rate limit.
    expect(Object.values(OUTCOME_CODES)).toContain('VENDOR_RATE_LIMITED');
    expect(Object.values(OUTCOME_CODES)).not.toContain('RATE_LIMITED');
  });

  it('returns from every adapter only codes the catalog has: delivery codes from send, test-connection codes from testConnection', () => {
    const sent = new Set<string>();
    const tested = new Set<string>();
    for (const { text } of sources()) {
      // retryable('X', …), permanent('message', 'X', …), ambiguous('X', …) and the vendors' rule helpers (message/provider/retry).
      for (const m of text.matchAll(
        /\b(?:retryable|permanent|ambiguous|message|provider|retry)\((?:'(?:message|provider)', )?'([A-Z][A-Z_]+)'/g,
      ))
        sent.add(m[1]!);
      for (const m of text.matchAll(/ok: false, code: '([A-Z][A-Z_]+)'/g)) tested.add(m[1]!);
    }
    expect(sent.size).toBeGreaterThan(15);
    expect([...sent].filter((code) => !isDeliveryCode(code))).toEqual([]);
    expect(tested.size).toBeGreaterThan(4);
    expect([...tested].filter((code) => !(TEST_CONNECTION_CODES as readonly string[]).includes(code))).toEqual([]);
  });
});
