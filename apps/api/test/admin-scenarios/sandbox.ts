import { adminToken } from '../fixtures.js';
import type { RouteScenario, ScenarioContext } from './types.js';

/** Starts a session as an admin of ctx's tenant (bound to 127.0.0.1) and returns its id. */
async function startSession(ctx: ScenarioContext): Promise<string> {
  const token = await adminToken({ role: 'admin', tenantId: ctx.tenantId });
  const response = await fetch(`${ctx.apiUrl}/api/v1/tenant/sandbox/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ allowedIp: '127.0.0.1' }),
  });
  if (response.status !== 201) throw new Error(`starting a sandbox session answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { data: { sessionId: string } }).data.sessionId;
}

/** Sandbox sessions (SPEC §7): features/sandbox. */
export const scenarios: RouteScenario[] = [
  {
    method: 'POST',
    route: '/api/v1/tenant/sandbox/sessions',
    prepare: async () => ({ path: '/api/v1/tenant/sandbox/sessions', body: { allowedIp: '203.0.113.0/24' } }),
    auditAction: 'sandbox.start',
  },
  {
    method: 'GET',
    route: '/api/v1/tenant/sandbox/sessions',
    prepare: async () => ({ path: '/api/v1/tenant/sandbox/sessions' }),
  },
  {
    method: 'GET',
    route: '/api/v1/tenant/sandbox/sessions/:id/messages',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/sandbox/sessions/${await startSession(ctx)}/messages` }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/tenant/sandbox/sessions/:id',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/sandbox/sessions/${await startSession(ctx)}` }),
    auditAction: 'sandbox.end',
  },
];
