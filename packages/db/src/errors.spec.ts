import { describe, expect, it } from 'vitest';
import { isDataRejection } from './errors.js';

describe('isDataRejection', () => {
  it('is true for SQLSTATE classes 22 and 23 only', () => {
    expect(isDataRejection({ code: '22021' })).toBe(true); // invalid byte sequence (a NUL in text)
    expect(isDataRejection({ code: '23503' })).toBe(true); // foreign key: the tenant is gone
    expect(isDataRejection({ code: '57P01' })).toBe(false); // admin shutdown: a restart, retry
    expect(isDataRejection({ code: '08006' })).toBe(false); // connection failure
    expect(isDataRejection(new Error('ECONNREFUSED'))).toBe(false);
    expect(isDataRejection(null)).toBe(false);
  });
});
