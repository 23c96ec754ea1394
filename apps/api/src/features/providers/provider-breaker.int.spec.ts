import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { breakerStateKey, type BreakerSnapshot } from '@orqestra/contracts';
import { stackEnv } from '@orqestra/testing';
import { newProviderConfig } from '../../../test/fixtures.js';
import { tenantWithAdmins, type Body } from '../../../test/admin-fixtures.js';

// The gateways report each provider config's breaker to Redis (packages/contracts breaker-state.ts);
// here the test writes those reports itself, as two gateways would, and reads them back through
// the admin API. The gateway side of the contract is tested with the gateway.
const redis = new Redis(stackEnv().redisUrl);
afterAll(async () => {
  await redis.quit();
});

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

async function report(configId: string, gatewayId: string, snapshot: BreakerSnapshot) {
  await redis.hset(breakerStateKey(configId), gatewayId, JSON.stringify(snapshot));
  await redis.expire(breakerStateKey(configId), 600);
}

describe('provider breaker state', () => {
  it('shows the worst fresh state across gateways with the last error, ignoring stale reports, to the tenant and to operators', async () => {
    const { tenant, viewer, stranger, operator } = await tenantWithAdmins();
    const primary = await newProviderConfig(tenant.tenantId, { priority: 0 });
    const backup = await newProviderConfig(tenant.tenantId, { priority: 1 });
    const quiet = await newProviderConfig(tenant.tenantId, {
      channel: 'SMS',
      provider: 'twilio',
      credentials: { authToken: 'tok_quiet1234', accountSid: 'AC123', fromNumber: '+15005550006' },
    });

    const refused = { code: 'PROVIDER_5XX', message: 'resend answered 503', at: ago(20_000) };
    await report(primary, 'gw-a', {
      state: 'closed',
      since: ago(3_600_000),
      failures: 1,
      lastError: { code: 'TIMEOUT', message: 'no answer in 10 s', at: ago(90_000) },
      updatedAt: ago(5_000),
    });
    await report(primary, 'gw-b', {
      state: 'open',
      since: ago(20_000),
      openUntil: ahead(10_000),
      failures: 5,
      lastError: refused,
      updatedAt: ago(1_000),
    });
    // A gateway that stopped reporting ten minutes ago: its open breaker no longer counts.
    await report(backup, 'gw-old', {
      state: 'open',
      since: ago(700_000),
      openUntil: ago(690_000),
      failures: 5,
      lastError: refused,
      updatedAt: ago(600_000),
    });
    await report(backup, 'gw-a', { state: 'half-open', since: ago(2_000), failures: 0, updatedAt: ago(2_000) });
    await redis.hset(breakerStateKey(backup), 'gw-garbled', '{"state":"melted"}');

    const listed = await viewer.call('GET', '/api/v1/tenant/providers');
    expect(listed.status).toBe(200);
    const byId = new Map<string, Body>(listed.body.data.map((p: Body) => [p.id, p]));
    expect(byId.get(primary).breaker).toMatchObject({
      state: 'open',
      since: expect.any(String),
      openUntil: expect.any(String),
      lastError: refused,
    });
    expect(byId.get(primary).breaker.gateways.map((g: Body) => [g.gatewayId, g.state, g.failures])).toEqual([
      ['gw-b', 'open', 5],
      ['gw-a', 'closed', 1],
    ]);
    expect(byId.get(backup).breaker).toMatchObject({ state: 'half-open', openUntil: null, lastError: null });
    expect(byId.get(backup).breaker.gateways.map((g: Body) => g.gatewayId)).toEqual(['gw-a']);
    expect(byId.get(quiet).breaker).toEqual({ state: 'unknown', since: null, openUntil: null, lastError: null, gateways: [] });

    const one = await viewer.call('GET', `/api/v1/tenant/providers/${primary}`);
    expect(one.body.data.breaker.state).toBe('open');

    const asOperator = await operator.call('GET', `/api/v1/admin/tenants/${tenant.tenantId}/providers?channel=EMAIL`);
    expect(asOperator.status).toBe(200);
    expect(asOperator.body.data.map((p: Body) => [p.id, p.breaker.state])).toEqual([
      [primary, 'open'],
      [backup, 'half-open'],
    ]);
    expect(asOperator.text).not.toContain('apiKey');

    // The breaker closes again on gw-b: the config shows closed.
    await report(primary, 'gw-b', { state: 'closed', since: ago(0), failures: 0, lastError: refused, updatedAt: ago(0) });
    expect((await viewer.call('GET', `/api/v1/tenant/providers/${primary}`)).body.data.breaker.state).toBe('closed');

    expect((await stranger.call('GET', `/api/v1/tenant/providers/${primary}`)).status).toBe(404);
    expect((await viewer.call('GET', `/api/v1/admin/tenants/${tenant.tenantId}/providers`)).status).toBe(403);
    expect((await operator.call('GET', '/api/v1/admin/tenants/00000000-0000-4000-8000-000000000000/providers')).status).toBe(404);
  });
});
