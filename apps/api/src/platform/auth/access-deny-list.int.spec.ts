import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { adminToken, newTenant } from '../../../test/fixtures.js';

/**
 * The deny list of ended admin sessions lives in Redis. Without Redis the guard cannot tell a
 * revoked token from a valid one, so it refuses every signed-in call with 503 (fail closed)
 * rather than letting a logged-out token through.
 */
let api: ServiceProcess | undefined;
afterAll(async () => api?.stop());

describe('admin guard without Redis', () => {
  it('answers 503 UNAVAILABLE with Retry-After instead of trusting the token', async () => {
    const [port, nowhere] = [await freePort(), await freePort()];
    const apiUrl = `http://127.0.0.1:${port}`;
    // An API whose Redis is a port nobody listens on: alive, never ready.
    api = await startService(
      fileURLToPath(new URL('../../../dist/main.api.js', import.meta.url)),
      serviceEnv({ API_PORT: String(port), REDIS_URL: `redis://127.0.0.1:${nowhere}` }),
      async () => (await fetch(`${apiUrl}/health/live`).catch(() => undefined))?.ok === true,
      'api-without-redis',
    );
    const { tenantId } = await newTenant();
    const token = await adminToken({ role: 'admin', tenantId });
    const response = await fetch(`${apiUrl}/api/v1/tenant/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { error: { code: string } };
    expect([response.status, body.error.code]).toEqual([503, 'UNAVAILABLE']);
    expect(response.headers.get('retry-after')).toBe('1');
  });
});
