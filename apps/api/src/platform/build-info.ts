import { serviceInfo as describeProcess, type ServiceInfo } from '@orqestra/telemetry';

/** apps/api/package.json: the same path from src/ and dist/. */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** A process of this app (the API or the worker) as /health/live and the console's System page show it. */
export function serviceInfo(service: 'api' | 'worker'): ServiceInfo {
  return describeProcess(service, PACKAGE_JSON);
}
