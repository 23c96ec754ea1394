import { describe, expect, it } from 'vitest';
import { deviceMatches, hashDeviceId, isDeviceId } from './device-id.js';

describe('sandbox device ids', () => {
  it('are 1-200 printable ASCII characters', () => {
    expect(isDeviceId('laptop-1')).toBe(true);
    expect(isDeviceId('x'.repeat(200))).toBe(true);
    for (const bad of ['', ' leading-space', 'x'.repeat(201), 'tab\there', 'é', 42, undefined])
      expect(isDeviceId(bad), String(bad)).toBe(false);
  });

  it('are kept as a hash that matches only the same id', () => {
    const bound = hashDeviceId('device-A');
    expect(bound).toMatch(/^[0-9a-f]{64}$/);
    expect(bound).not.toContain('device-A');
    expect(deviceMatches(bound, 'device-A')).toBe(true);
    expect(deviceMatches(bound, 'device-a')).toBe(false);
    expect(deviceMatches(bound, undefined)).toBe(false);
    expect(deviceMatches(bound, ['device-A'])).toBe(false);
  });
});
