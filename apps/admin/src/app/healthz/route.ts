import manifest from '../../../package.json';

export const dynamic = 'force-dynamic';

const STARTED_AT = new Date().toISOString();

/**
 * Readiness of the console process itself (infra/admin-console.sh polls it), with its version and
 * start time (the System page shows them beside the API's answer about the other services).
 */
export function GET(): Response {
  return Response.json({ status: 'ok', service: 'console', version: manifest.version, node: process.version, startedAt: STARTED_AT });
}
