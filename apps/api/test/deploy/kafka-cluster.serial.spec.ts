import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { startKafkaCluster, type KafkaCluster } from '../../../../infra/kafka-cluster.js';
import { countAtVendor, newTenant, startSystem, statusCounts, triggerEvents, type RunningSystem } from './system.js';

/**
 * Production's Kafka (docs/deploy.md): three KRaft brokers, every topic at replication factor 3
 * with min.insync.replicas=2, and producers waiting for acks=all. One broker is killed with
 * kill -9 halfway through the load; two instances of each service keep going on the other two,
 * and every event reaches the vendor exactly once. The cluster runs on its own ports and state
 * directory; PostgreSQL and Redis are the shared stack's.
 */
const EVENTS = 2_000;
let cluster: KafkaCluster;
let system: RunningSystem;

beforeAll(async () => {
  cluster = await startKafkaCluster();
  system = await startSystem({ topicPrefix: 'cluster3.', instances: 2, kafkaBrokers: cluster.brokers, topicReplicas: 3 });
}, 900_000);
afterAll(async () => {
  await system?.stop();
  await cluster?.stop();
});

describe('a three-broker Kafka cluster losing one broker under load', () => {
  it(`delivers all ${EVENTS} events once each after kill -9 of a broker`, async () => {
    expect(await cluster.liveBrokerIds()).toEqual([1, 2, 3]);
    const { tenantId, apiKey } = await newTenant(system);
    let killed: Promise<void> | undefined;
    const victim = 2;
    const load = await triggerEvents(system, apiKey, EVENTS, {
      concurrency: 8,
      onProgress: (accepted) => {
        if (accepted === EVENTS / 2) killed = cluster.kill(victim);
      },
    });
    await killed;
    expect(cluster.nodes.find((n) => n.id === victim)?.process?.signalCode).toBe('SIGKILL');
    // The controllers fence the dead broker once its session times out.
    expect(await pollUntil(() => cluster.liveBrokerIds(), { until: (ids) => ids.length === 2, timeoutMs: 60_000, what: 'the killed broker to be fenced' })).toEqual([1, 3]);

    await pollUntil(() => countAtVendor(system.fake, load.recipients), {
      until: (c) => c.lost === 0,
      timeoutMs: 300_000,
      intervalMs: 500,
      what: `all ${EVENTS} notifications at the vendor`,
    });
    const statuses = await pollUntil(() => statusCounts(system, tenantId), { until: (s) => s.SENT === EVENTS, timeoutMs: 60_000, what: `${EVENTS} SENT rows` });
    expect(statuses).toEqual({ SENT: EVENTS });
    expect(countAtVendor(system.fake, load.recipients)).toEqual({ delivered: EVENTS, lost: 0, duplicated: 0 });
  }, 600_000);
});
