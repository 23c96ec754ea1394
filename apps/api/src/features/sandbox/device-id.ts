import { createHash, timingSafeEqual } from 'node:crypto';

/** X-Device-Id: 1-200 printable ASCII characters. */
const DEVICE_ID = /^[\x21-\x7E][\x20-\x7E]{0,199}$/;

export function isDeviceId(value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID.test(value);
}

/** What a session keeps of its device id: the SHA-256, never the id itself. */
export function hashDeviceId(deviceId: string): string {
  return createHash('sha256').update(deviceId, 'utf8').digest('hex');
}

/** Whether a presented X-Device-Id is the bound one, compared in constant time. */
export function deviceMatches(boundHash: string, presented: unknown): boolean {
  const expected = Buffer.from(boundHash, 'hex');
  const actual = createHash('sha256')
    .update(typeof presented === 'string' ? presented : '', 'utf8')
    .digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual) && isDeviceId(presented);
}
