import { readFileSync } from 'node:fs';

/**
 * What a process of this app says about itself on /health/live and the console's System page: the
 * app's version (apps/api/package.json, read once; the same path from src/ and dist/), the Node.js
 * version, and when the process started.
 */
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };

export const SERVICE_VERSION: string = manifest.version ?? 'unknown';
const STARTED_AT = new Date().toISOString();

export interface ServiceInfo {
  service: string;
  version: string;
  node: string;
  startedAt: string;
}

export function serviceInfo(service: 'api' | 'worker'): ServiceInfo {
  return { service, version: SERVICE_VERSION, node: process.version, startedAt: STARTED_AT };
}
