import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { freePort, pollUntil } from '@orqestra/testing';

/**
 * A three-broker Apache Kafka KRaft cluster (replication factor 3, min.insync.replicas=2) on ports
 * and a state directory of its own, for tests that kill a broker: the shared stack's single broker
 * is never touched. Runs the same jars as infra/stack.sh ($ORQ_CACHE_DIR/kafka/<version>/libs,
 * installed by `infra/stack.sh install kafka`), one JVM per node with a bounded heap. Every node
 * is broker and controller (infra/kafka-cluster.properties.in), so the quorum survives one loss.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOG4J = join(ROOT, 'infra/kafka/log4j2.yaml');

export interface KafkaNode {
  id: number;
  port: number;
  controllerPort: number;
  process: ChildProcess | undefined;
  /** The last 20 kB the node wrote (stdout and stderr), for failure reports. */
  log: string;
}

export interface PartitionState {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface KafkaCluster {
  brokers: string[];
  nodes: KafkaNode[];
  /** kill -9 of one node: no shutdown, no leadership hand-over. Resolves once the process is gone. */
  kill(id: number): Promise<void>;
  /** The brokers the cluster's metadata reports as alive (registered and not fenced). */
  liveBrokerIds(): Promise<number[]>;
  /** Leader, replicas and in-sync replicas of each partition of `topic`. */
  partitions(topic: string): Promise<PartitionState[]>;
  /** A topic's effective configuration value (e.g. min.insync.replicas). */
  topicConfig(topic: string, name: string): Promise<string | undefined>;
  /** The tail of every node's log, for failure messages. */
  logs(): string;
  /** Kills every node and removes the state directory; safe to call more than once. */
  stop(): Promise<void>;
}

export interface KafkaClusterOptions {
  partitions?: number;
  heap?: string;
  /** How long the three brokers may take to register (JVM start-up on a busy 2-core machine). */
  readyTimeoutMs?: number;
}

function kafkaVersion(): string {
  if (process.env.ORQ_KAFKA_VERSION) return process.env.ORQ_KAFKA_VERSION;
  const pom = readFileSync(join(ROOT, 'infra/kafka/pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match?.[1]) throw new Error('kafka.version not found in infra/kafka/pom.xml');
  return match[1];
}

function stateDir(): string {
  return process.env.ORQ_STATE_DIR ?? '/var/tmp/orqestra';
}

/** The jars infra/stack.sh caches (same variables and defaults as infra/env.sh). */
function classpath(): string {
  const cache = process.env.ORQ_CACHE_DIR ?? join(stateDir(), 'cache');
  return `${join(cache, 'kafka', kafkaVersion(), 'libs')}/*`;
}

/** Short-lived JVMs: C1 only and the serial collector start faster and leave the 2 cores to the services. */
const JVM_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

export async function startKafkaCluster(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
  const dir = join(stateDir(), 'kafka-cluster', randomUUID());
  const nodes: KafkaNode[] = [];
  for (const id of [1, 2, 3]) nodes.push({ id, port: await freePort(), controllerPort: await freePort(), process: undefined, log: '' });
  const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
  const template = readFileSync(join(ROOT, 'infra/kafka-cluster.properties.in'), 'utf8');
  const clusterId = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
  const cp = classpath();
  const brokers = nodes.map((n) => `127.0.0.1:${n.port}`);
  const logs = () => nodes.map((n) => `--- kafka node ${n.id} (127.0.0.1:${n.port})\n${n.log.slice(-3_000)}`).join('\n');

  const reap = () => nodes.forEach((n) => n.process?.kill('SIGKILL'));
  process.once('exit', reap);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(
      nodes.map(async (node) => {
        const child = node.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    process.off('exit', reap);
    rmSync(dir, { recursive: true, force: true });
  };

  /** A fresh client per question: no cached metadata, and no connection left to a killed node. */
  const withAdmin = async <T>(use: (admin: Admin) => Promise<T>): Promise<T> => {
    const admin = new Admin({ clientId: 'kafka-cluster-tests', bootstrapBrokers: brokers, timeout: 3_000, retries: 0 });
    try {
      return await use(admin);
    } finally {
      await admin.close().catch(() => undefined);
    }
  };
  const liveBrokerIds = () => withAdmin(async (admin) => [...(await admin.metadata({ topics: [] })).brokers.keys()].sort((a, b) => a - b));

  try {
    // The three storages are formatted at once (a JVM start each).
    await Promise.all(
      nodes.map(async (node) => {
        const data = join(dir, `node-${node.id}`);
        mkdirSync(data, { recursive: true });
        const properties = join(dir, `node-${node.id}.properties`);
        writeFileSync(
          properties,
          template
            .replaceAll('@NODE_ID@', String(node.id))
            .replaceAll('@VOTERS@', voters)
            .replaceAll('@PORT@', String(node.port))
            .replaceAll('@CONTROLLER_PORT@', String(node.controllerPort))
            .replaceAll('@DATA@', data)
            .replaceAll('@PARTITIONS@', String(options.partitions ?? 4)),
        );
        await promisify(execFile)(
          'java',
          [
            ...JVM_FLAGS,
            '-cp',
            cp,
            `-Dlog4j2.configurationFile=${LOG4J}`,
            'kafka.tools.StorageTool',
            'format',
            '-t',
            clusterId,
            '-c',
            properties,
          ],
          {
            timeout: 60_000,
          },
        ).catch((error: Error & { stdout?: string; stderr?: string }) => {
          throw new Error(
            `formatting Kafka node ${node.id} failed (is Kafka installed? infra/stack.sh install kafka):\n${error.stdout ?? ''}${error.stderr ?? error.message}`,
          );
        });
      }),
    );

    for (const node of nodes) {
      const child = spawn(
        'java',
        [
          '-Xms128m',
          `-Xmx${options.heap ?? '384m'}`,
          ...JVM_FLAGS,
          '-cp',
          cp,
          `-Dlog4j2.configurationFile=${LOG4J}`,
          'kafka.Kafka',
          join(dir, `node-${node.id}.properties`),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const keep = (chunk: Buffer) => {
        node.log = (node.log + chunk.toString()).slice(-20_000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      node.process = child;
    }

    await pollUntil(
      async () => {
        const dead = nodes.find((n) => n.process && (n.process.exitCode !== null || n.process.signalCode !== null));
        if (dead) throw new Error(`Kafka node ${dead.id} exited while starting (${dead.process?.exitCode ?? dead.process?.signalCode})`);
        return liveBrokerIds().catch(() => [] as number[]);
      },
      {
        until: (ids) => ids.length === 3,
        timeoutMs: options.readyTimeoutMs ?? 90_000,
        intervalMs: 500,
        what: 'three Kafka brokers to register',
      },
    );
  } catch (error) {
    const message = `${(error as Error).message}\n${logs()}`;
    await stop();
    throw new Error(message);
  }

  return {
    brokers,
    nodes,
    liveBrokerIds,
    logs,
    stop,
    partitions: (topic) =>
      withAdmin(async (admin) => {
        const partitions = (await admin.metadata({ topics: [topic] })).topics.get(topic)?.partitions ?? [];
        return partitions.map((p, partition) => ({
          partition,
          leader: p.leader,
          replicas: [...p.replicas].sort((a, b) => a - b),
          isr: [...p.isr].sort((a, b) => a - b),
        }));
      }),
    topicConfig: (topic, name) =>
      withAdmin(async (admin) => {
        const [description] = await admin.describeConfigs({
          resources: [{ resourceType: 2, resourceName: topic, configurationKeys: [name] }],
        });
        return description?.configs.find((c) => c.name === name)?.value ?? undefined;
      }),
    async kill(id) {
      const child = nodes.find((n) => n.id === id)?.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
