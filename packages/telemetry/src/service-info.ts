import { readFileSync } from 'node:fs';

/** What a process says about itself on /health/live and the console's System page. */
export interface ServiceInfo {
  service: string;
  version: string;
  node: string;
  startedAt: string;
}

const STARTED_AT = new Date().toISOString();
const known = new Map<string, ServiceInfo>();

/**
 * The identity of this process: the service name, its app's version (read once from the app's
 * package.json, given as a URL), the Node.js version and when the process started.
 */
export function serviceInfo(service: string, packageJson: URL): ServiceInfo {
  const key = `${service} ${packageJson.href}`;
  let info = known.get(key);
  if (!info) {
    const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string };
    info = Object.freeze({ service, version: manifest.version ?? 'unknown', node: process.version, startedAt: STARTED_AT });
    known.set(key, info);
  }
  return info;
}
