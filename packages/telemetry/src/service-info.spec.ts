import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serviceInfo } from './service-info.js';

describe('serviceInfo', () => {
  it("names the service with its app's version from package.json, the Node version and the start time, read once", () => {
    const packageJson = new URL('../package.json', import.meta.url);
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    const info = serviceInfo('gateway', packageJson);
    expect(info).toMatchObject({ service: 'gateway', version, node: process.version });
    expect(Date.parse(info.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(serviceInfo('gateway', packageJson)).toBe(info);
  });
});
