import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time comparison for secrets and signatures, e.g. a request signature against the one
 * computed from the tenant's webhook secret.
 *
 * Approach: both inputs are passed through HMAC-SHA256 under a random key drawn once per process,
 * and the two 32-byte digests are compared with `crypto.timingSafeEqual`. The comparison therefore
 * always works on equal-length buffers and its time does not depend on where the inputs differ;
 * unequal lengths simply give `false` instead of the throw `timingSafeEqual` would raise (hashing
 * time still grows with input length, which is no secret for a signature). Two different inputs
 * match only on an HMAC-SHA256 collision.
 *
 * Both helpers return `false`, never throw, for a non-string or empty input: an empty secret or
 * signature never counts as a match, even against another empty one.
 */
const comparisonKey = randomBytes(32);

function digest(bytes: Buffer): Buffer {
  return createHmac('sha256', comparisonKey).update(bytes).digest();
}

function equalBytes(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Compares two strings as UTF-8 bytes in constant time. */
export function timingSafeEqualString(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') return false;
  return equalBytes(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Compares two hex digests by the bytes they encode, so letter case does not matter
 * (`"ABCD"` equals `"abcd"`). Anything that is not even-length hex gives `false`.
 */
export function timingSafeEqualHex(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || !HEX.test(a) || !HEX.test(b)) return false;
  return equalBytes(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
