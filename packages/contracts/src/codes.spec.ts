import { describe, expect, it } from 'vitest';
import { CODES, consumerDisposition, retryLater, TEST_CONNECTION_CODES, type CodeInfo } from './codes.js';
import {
  DELIVERY_CODES,
  deliveryCodeOf,
  deliveryDisposition,
  isDeadLetteredCode,
  isThrottledCode,
  NOT_DEAD_LETTERED_CODES,
} from './delivery-codes.js';
import { ERROR_CODES, isErrorCode } from './error-codes.js';

const entries = Object.entries(CODES as Record<string, CodeInfo>);
const uses = (info: CodeInfo) => (['http', 'delivery', 'testConnection'] as const).filter((field) => info[field] !== undefined);

describe('the one code catalog (decision 0004)', () => {
  it('gives every name one meaning: only codes whose meaning is the same in each use appear in more than one former catalog', () => {
    const shared = entries.filter(([, info]) => uses(info).length > 1).map(([code]) => code);
    expect(shared.sort()).toEqual(
      [
        // an HTTP answer and a delivery outcome, with the same meaning
        'AMBIGUOUS_SEND',
        'IDEMPOTENCY_IN_PROGRESS',
        'MISSING_RECIPIENT',
        'NO_PROVIDER',
        'RETRIES_EXHAUSTED',
        'TEMPLATE_INVALID',
        'TEMPLATE_OUTPUT_TOO_LARGE',
        'TEMPLATE_RENDER_TIMEOUT',
        'TEMPLATE_TOO_LARGE',
        // a delivery outcome and a test-connection answer: what the vendor said, either way
        'INVALID_CREDENTIALS',
        'VENDOR_ERROR',
        'VENDOR_RATE_LIMITED',
      ].sort(),
    );
  });

  it('keeps the names SPEC §2.1 gives the API, and gives the vendor-side and login meanings their own names', () => {
    // Our API's rate limit (SPEC §2.1): an HTTP answer only, never a delivery or test-connection code.
    expect(uses(CODES.RATE_LIMITED)).toEqual(['http']);
    expect(ERROR_CODES.RATE_LIMITED.status).toBe(429);
    expect(DELIVERY_CODES.VENDOR_RATE_LIMITED.class).toBe('throttled');
    expect(TEST_CONNECTION_CODES).toContain('VENDOR_RATE_LIMITED');
    // A vendor refusing a provider config's credentials: not an HTTP error; a login refused is INVALID_LOGIN.
    expect(uses(CODES.INVALID_CREDENTIALS)).toEqual(['delivery', 'testConnection']);
    expect(isErrorCode('INVALID_CREDENTIALS')).toBe(false);
    expect(ERROR_CODES.INVALID_LOGIN).toEqual({ status: 401, message: 'Unknown user or wrong password' });
  });

  it('gives every code a meaning of its own, and at least one transport', () => {
    const meanings = entries.map(([, info]) => info.meaning);
    expect(new Set(meanings).size).toBe(meanings.length);
    for (const [code, info] of entries) expect({ code, uses: uses(info).length + (info.consumer ? 1 : 0) }).not.toEqual({ code, uses: 0 });
  });

  it('gives every code an AppError can carry an HTTP error status and a message', () => {
    for (const [code, mapping] of Object.entries(ERROR_CODES)) {
      expect({ code, error: mapping.status >= 400 && mapping.status < 600, message: mapping.message.length > 0 }).toEqual({
        code,
        error: true,
        message: true,
      });
    }
  });

  it('reads delivery codes stored under a former name as today’s, without writing that name as a delivery code again', () => {
    expect(deliveryCodeOf('RATE_LIMITED')).toBe('VENDOR_RATE_LIMITED');
    expect(isThrottledCode('RATE_LIMITED')).toBe(true);
    expect(isDeadLetteredCode('RATE_LIMITED')).toBe(true);
    expect(deliveryCodeOf('INVALID_LOGIN')).toBeUndefined();
    expect(deliveryCodeOf(null)).toBeUndefined();
  });

  it('says what the worker’s Kafka runner does with a failed handling, per code', () => {
    expect(consumerDisposition('INTERNAL')).toBe('retry');
    expect(consumerDisposition('DATA_REJECTED')).toBe('skip');
    expect(consumerDisposition('MESSAGE_INVALID')).toBe('park');
  });

  it('says what the gateway does with an attempt ending in a delivery code', () => {
    expect(deliveryDisposition('VENDOR_UNAVAILABLE')).toBe('retry');
    expect(deliveryDisposition('VENDOR_RATE_LIMITED')).toBe('retry');
    expect(deliveryDisposition('RATE_LIMITED')).toBe('retry');
    expect(deliveryDisposition('TIMEOUT')).toBe('retry');
    expect(deliveryDisposition('INVALID_CREDENTIALS')).toBe('failover');
    expect(deliveryDisposition('INVALID_RECIPIENT')).toBe('dead_letter');
    expect(deliveryDisposition('RETRIES_EXHAUSTED')).toBe('dead_letter');
    expect(deliveryDisposition('SOME_VENDOR_CODE')).toBe('dead_letter');
    expect(deliveryDisposition('MISSING_RECIPIENT')).toBe('record');
    // The FAILED rows that are recorded without a dead letter are exactly the catalog's NOT_DEAD_LETTERED_CODES.
    expect(
      Object.keys(DELIVERY_CODES)
        .filter((c) => deliveryDisposition(c) === 'record')
        .sort(),
    ).toEqual([...NOT_DEAD_LETTERED_CODES].sort());
  });
});

describe('retryLater: which HTTP answers a client may turn into a success by asking again', () => {
  it('holds for a limit, a key still being accepted and an unavailable dependency, and nothing a retry cannot change', () => {
    expect(['RATE_LIMITED', 'IDEMPOTENCY_IN_PROGRESS', 'UNAVAILABLE'].map(retryLater)).toEqual([true, true, true]);
    expect(['IDEMPOTENCY_KEY_REUSED', 'VALIDATION_FAILED', 'INVALID_API_KEY', 'TENANT_SUSPENDED', 'NOT_A_CODE'].map(retryLater)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
