export const dynamic = 'force-dynamic';

/** Readiness of the console process itself (infra/admin-console.sh polls it). */
export function GET(): Response {
  return Response.json({ status: 'ok' });
}
