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
 * installed by `infra/stack.sh install kafka`), one JVM per node with a bounded heap.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface KafkaNode {
  id: number;
  port: number;
  controllerPort: number;
  process: ChildProcess | undefined;
  log: string;
}

export interface KafkaCluster {
  brokers: string[];
  nodes: KafkaNode[];
  /** kill -9 of one node: no shutdown, no leadership hand-over. */
  kill(id: number): Promise<void>;
  /** The nodes the cluster's metadata reports as alive. */
  liveBrokerIds(): Promise<number[]>;
  stop(): Promise<void>;
}

function kafkaVersion(): string {
  if (process.env.ORQ_KAFKA_VERSION) return process.env.ORQ_KAFKA_VERSION;
  const pom = readFileSync(join(ROOT, 'infra/kafka/pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match?.[1]) throw new Error('kafka.version not found in infra/kafka/pom.xml');
  return match[1];
}

function classpath(): string {
  const stateDir = process.env.ORQ_STATE_DIR ?? '/var/tmp/orqestra';
  const cache = process.env.ORQ_CACHE_DIR ?? join(stateDir, 'cache');
  return `${join(cache, 'kafka', kafkaVersion(), 'libs')}/*`;
}

const LOG4J = join(ROOT, 'infra/kafka/log4j2.yaml');

export async function startKafkaCluster(options: { partitions?: number; heap?: string } = {}): Promise<KafkaCluster> {
  const stateDir = process.env.ORQ_STATE_DIR ?? '/var/tmp/orqestra';
  const dir = join(stateDir, 'kafka-cluster', randomUUID());
  const nodes: KafkaNode[] = [];
  for (const id of [1, 2, 3]) nodes.push({ id, port: await freePort(), controllerPort: await freePort(), process: undefined, log: '' });
  const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
  const template = readFileSync(join(ROOT, 'infra/kafka-cluster.properties.in'), 'utf8');
  const clusterId = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
  const cp = classpath();

  // The three storages are formatted at once (a JVM start each: slow on a busy machine).
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
      await promisify(execFile)('java', ['-cp', cp, `-Dlog4j2.configurationFile=${LOG4J}`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties]).catch((error: Error & { stdout?: string; stderr?: string }) => {
        throw new Error(`formatting Kafka node ${node.id} failed (is Kafka installed? infra/stack.sh install kafka):\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
      });
    }),
  );

  const launch = (node: KafkaNode) => {
    const child = spawn(
      'java',
      [`-Xms128m`, `-Xmx${options.heap ?? '384m'}`, '-XX:+UseSerialGC', '-cp', cp, `-Dlog4j2.configurationFile=${LOG4J}`, 'kafka.Kafka', join(dir, `node-${node.id}.properties`)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => {
      node.log = (node.log + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    node.process = child;
  };
  nodes.forEach(launch);
  const reap = () => nodes.forEach((n) => n.process?.kill('SIGKILL'));
  process.once('exit', reap);

  const brokers = nodes.map((n) => `127.0.0.1:${n.port}`);
  const liveBrokerIds = async () => {
    const admin = new Admin({ clientId: 'kafka-cluster-tests', bootstrapBrokers: brokers, timeout: 3_000, retries: 0 });
    try {
      const metadata = await admin.metadata({ topics: [] });
      return [...metadata.brokers.keys()].sort();
    } finally {
      await admin.close().catch(() => undefined);
    }
  };
  const stop = async () => {
    process.off('exit', reap);
    await Promise.all(
      nodes.map(async (node) => {
        const child = node.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await pollUntil(() => liveBrokerIds().catch(() => [] as number[]), { until: (ids) => ids.length === 3, timeoutMs: 240_000, intervalMs: 500, what: 'three Kafka brokers' });
  } catch (error) {
    const logs = nodes.map((n) => `--- node ${n.id}\n${n.log.slice(-3_000)}`).join('\n');
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }

  return {
    brokers,
    nodes,
    liveBrokerIds,
    stop,
    async kill(id) {
      const child = nodes.find((n) => n.id === id)?.process;
      if (!child || child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
