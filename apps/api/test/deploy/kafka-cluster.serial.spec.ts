import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@orqestra/contracts';
import { pollUntil } from '@orqestra/testing';
import { startKafkaCluster, type KafkaCluster } from '../../../../infra/kafka-cluster.js';
import { countAtVendor, newTenant, startSystem, statusCounts, triggerEvents, type RunningSystem } from './system.js';

/**
 * Production's Kafka (docs/deploy.md): three KRaft brokers, every topic at replication factor 3
 * with min.insync.replicas=2, and producers waiting for acks=all. The broker leading the events
 * topic's first partition is killed with kill -9 halfway through the load; two instances of each
 * service keep going on the other two brokers, and every event reaches the idempotent vendor
 * exactly once. The cluster runs on its own ports and state directory; PostgreSQL and Redis are
 * the shared stack's. Every wait has its own deadline, well inside the hooks' and the test's.
 */
const EVENTS = 1_000;
const PREFIX = 'cluster3.';
let cluster: KafkaCluster | undefined;
let system: RunningSystem | undefined;
const startup = { clusterSeconds: 0, servicesSeconds: 0 };

beforeAll(async () => {
  const began = Date.now();
  cluster = await startKafkaCluster({ readyTimeoutMs: 60_000 });
  startup.clusterSeconds = (Date.now() - began) / 1000;
  system = await startSystem({
    topicPrefix: PREFIX,
    instances: 2,
    kafkaBrokers: cluster.brokers,
    topicReplicas: 3,
    readyTimeoutMs: 90_000,
  });
  startup.servicesSeconds = (Date.now() - began) / 1000 - startup.clusterSeconds;
}, 180_000);

// Runs after a failed beforeAll too: startSystem stops what it started when it fails, the cluster is stopped here.
afterAll(async () => {
  await system?.stop();
  await cluster?.stop();
}, 60_000);

function running(): { cluster: KafkaCluster; system: RunningSystem } {
  if (!cluster || !system) throw new Error('the cluster or the services did not start (see beforeAll)');
  return { cluster, system };
}

describe('a three-broker Kafka cluster losing one broker under load', () => {
  it(`delivers all ${EVENTS} events once each after kill -9 of a partition leader`, async () => {
    const { cluster, system } = running();
    expect(await cluster.liveBrokerIds()).toEqual([1, 2, 3]);
    const eventsTopic = PREFIX + TOPICS.eventReceived.name;
    const dispatchTopic = PREFIX + TOPICS.dispatch.name;
    // The services created their topics at replication factor 3, all replicas in sync, and writes need two of them.
    for (const topic of [eventsTopic, dispatchTopic]) {
      const partitions = await cluster.partitions(topic);
      expect(partitions.length, topic).toBeGreaterThanOrEqual(2);
      expect(partitions.map((p) => `${topic}[${p.partition}] replicas ${p.replicas.join(',')} isr ${p.isr.join(',')}`)).toEqual(
        partitions.map((p) => `${topic}[${p.partition}] replicas 1,2,3 isr 1,2,3`),
      );
      expect(await cluster.topicConfig(topic, 'min.insync.replicas'), topic).toBe('2');
    }
    const victim = (await cluster.partitions(eventsTopic))[0]?.leader ?? 1;
    const survivors = [1, 2, 3].filter((id) => id !== victim);

    const { tenantId, apiKey } = await newTenant(system);
    const started = Date.now();
    let killed: Promise<void> | undefined;
    let killedAt = 0;
    const load = await triggerEvents(system, apiKey, EVENTS, {
      concurrency: 8,
      retryDeadlineMs: 60_000,
      onProgress: (accepted) => {
        if (accepted !== EVENTS / 2) return;
        killedAt = (Date.now() - started) / 1000;
        killed = cluster.kill(victim);
      },
    });
    const loadSeconds = (Date.now() - started) / 1000;
    expect(killed, 'the broker was killed during the load').toBeDefined();
    await killed;
    expect(cluster.nodes.find((n) => n.id === victim)?.process?.signalCode).toBe('SIGKILL');

    // The controllers fence the dead broker once its session times out, and the survivors lead every partition.
    expect(
      await pollUntil(() => cluster.liveBrokerIds(), {
        until: (ids) => ids.length === 2,
        timeoutMs: 30_000,
        intervalMs: 500,
        what: `broker ${victim} to be fenced`,
      }),
    ).toEqual(survivors);
    for (const topic of [eventsTopic, dispatchTopic]) {
      await pollUntil(() => cluster.partitions(topic), {
        until: (partitions) => partitions.length > 0 && partitions.every((p) => survivors.includes(p.leader) && p.isr.length === 2),
        timeoutMs: 30_000,
        intervalMs: 500,
        what: `${topic}: every partition led by a survivor, in-sync replicas ${survivors.join(',')}`,
      });
    }

    await pollUntil(() => countAtVendor(system.fake, load.recipients), {
      until: (c) => c.lost === 0,
      timeoutMs: 90_000,
      intervalMs: 500,
      what: `all ${EVENTS} notifications at the vendor`,
    });
    // Every row is final (nothing left to send late), and the vendor saw each recipient once.
    const statuses = await pollUntil(() => statusCounts(system, tenantId), {
      until: (s) => s.SENT === EVENTS,
      timeoutMs: 30_000,
      what: `${EVENTS} SENT rows`,
    });
    expect(statuses).toEqual({ SENT: EVENTS });
    expect(countAtVendor(system.fake, load.recipients)).toEqual({ delivered: EVENTS, lost: 0, duplicated: 0 });
    console.info(
      `kafka cluster test: cluster up in ${startup.clusterSeconds.toFixed(1)} s, services in ${startup.servicesSeconds.toFixed(1)} s; ` +
        `broker ${victim} killed ${killedAt.toFixed(1)} s into the load, at ${EVENTS / 2}/${EVENTS} accepted; load took ${loadSeconds.toFixed(1)} s ` +
        `with ${load.retried} trigger requests retried by the client; all delivered ${((Date.now() - started) / 1000).toFixed(1)} s after the load began`,
    );
  }, 300_000);
});
