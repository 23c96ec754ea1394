import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { countAtVendor, gatewaySends, newTenant, startSystem, statusCounts, triggerEvents, type RunningSystem } from './system.js';

/**
 * Beyond one machine (docs/deploy.md): two instances each of the API, the worker and the gateway,
 * as a Deployment with replicas: 2 runs them, on the shared stack with topics of their own. Every
 * event triggered through either API reaches the vendor exactly once.
 */
const EVENTS = 2_000;
let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem({ topicPrefix: 'scale2.', instances: 2 });
}, 900_000);
afterAll(async () => {
  await system?.stop();
});

describe('two instances of every service', () => {
  it(`deliver ${EVENTS} events triggered through both APIs: 0 lost, 0 duplicated at the vendor`, async () => {
    const { tenantId, apiKey } = await newTenant(system);
    const { recipients } = await triggerEvents(system, apiKey, EVENTS, { concurrency: 8 });
    const counted = await pollUntil(() => countAtVendor(system.fake, recipients), {
      until: (c) => c.lost === 0,
      timeoutMs: 400_000,
      intervalMs: 500,
      what: `all ${EVENTS} notifications at the vendor`,
    });
    // Every row is final (nothing left to send late), and the vendor saw each recipient once.
    const statuses = await pollUntil(() => statusCounts(system, tenantId), {
      until: (s) => s.SENT === EVENTS,
      timeoutMs: 60_000,
      what: `${EVENTS} SENT rows`,
    });
    expect(statuses).toEqual({ SENT: EVENTS });
    expect(countAtVendor(system.fake, recipients)).toEqual({ delivered: EVENTS, lost: 0, duplicated: 0 });
    expect(counted.duplicated).toBe(0);
    // Both gateways sent (the consumer group shared the partitions), and together exactly once each.
    const perGateway = await Promise.all(system.gatewayUrls.map(gatewaySends));
    expect(perGateway.every((n) => n > 0)).toBe(true);
    expect(perGateway.reduce((a, b) => a + b, 0)).toBe(EVENTS);
  }, 600_000);
});
