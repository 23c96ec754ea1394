import { describe, expect, it } from 'vitest';
import { DELIVERY_CODES, isDeadLetteredCode, isThrottledCode, NOT_DEAD_LETTERED_CODES, outcomeClassOf } from './delivery-codes.js';

describe('delivery code catalog', () => {
  it('counts as throttled only the waits for a rate limit or a cap (they do not use up a retry)', () => {
    const throttled = Object.keys(DELIVERY_CODES).filter((c) => isThrottledCode(c));
    expect(throttled.sort()).toEqual(['QUOTA_EXCEEDED', 'SEND_RATE_LIMITED', 'TENANT_INFLIGHT_CAP', 'VENDOR_RATE_LIMITED']);
    expect(isThrottledCode(null)).toBe(false);
    expect(isThrottledCode('SOMETHING_ELSE')).toBe(false);
  });

  it('dead-letters every failure but those that fail a notification before any send', () => {
    expect([...NOT_DEAD_LETTERED_CODES].sort()).toEqual([
      'MISSING_RECIPIENT',
      'TEMPLATE_INVALID',
      'TEMPLATE_OUTPUT_TOO_LARGE',
      'TEMPLATE_RENDER_TIMEOUT',
      'TEMPLATE_TOO_LARGE',
    ]);
    expect(DELIVERY_CODES.RETRIES_EXHAUSTED.deadLettered).toBe(true);
    expect([
      isDeadLetteredCode('MISSING_RECIPIENT'),
      isDeadLetteredCode('RETRIES_EXHAUSTED'),
      isDeadLetteredCode('SOME_VENDOR_CODE'),
    ]).toEqual([false, true, true]);
    expect(DELIVERY_CODES.AMBIGUOUS_SEND.deadLettered).toBe(true);
  });

  it('classifies the codes the gateway itself raises', () => {
    expect(outcomeClassOf('AMBIGUOUS_SEND')).toBe('ambiguous');
    expect(outcomeClassOf('BREAKER_OPEN')).toBe('retryable');
    expect(outcomeClassOf('NO_PROVIDER')).toBe('permanent_provider');
    expect(outcomeClassOf('INVALID_RECIPIENT')).toBe('permanent_message');
    expect(outcomeClassOf(undefined)).toBeUndefined();
  });
});
