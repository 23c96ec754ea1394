import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ensureTopics } from '@orqestra/bus';
import { parseKeyring, SecretBox } from '@orqestra/crypto';
import { createDatabase, insertProviderConfig, insertTenantWithApiKey, migrateToLatest, withOperator, type Database } from '@orqestra/db';
import { FakeResend } from '@orqestra/providers';
import { freePort, pollUntil, serviceEnv, stackEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { generateApiKey } from '../../src/platform/api-keys.js';

/**
 * Orqestra as it runs on several machines: N instances each of the API, the worker and the
 * gateway (built code, separate processes, one consumer group per service), on topics of their
 * own, against a Kafka of the caller's choice (the shared broker, or a cluster of its own).
 * They use a database of their own (`<db>_deploytest`, created by infra/stack.sh): their
 * gateways' sweepers republish every unfinished row they find, so no other suite's rows may be
 * there, and theirs must not be where other suites' gateways sweep. One fake Resend counts what
 * would reach inboxes.
 */
const dist = (app: 'api' | 'gateway', file: string) => fileURLToPath(new URL(`../../../${app}/dist/${file}`, import.meta.url));

export interface SystemOptions {
  /** Topic and consumer-group prefix of this system. */
  topicPrefix: string;
  instances: number;
  kafkaBrokers?: string[];
  topicReplicas?: number;
  /** How long the services may take to become ready, all starting at once (default 600 s). */
  readyTimeoutMs?: number;
}

export interface RunningSystem {
  apiUrls: string[];
  gatewayUrls: string[];
  processes: ServiceProcess[];
  fake: FakeResend;
  database: Database;
  stop(): Promise<void>;
}

/** The tests' database URL with the deploy tests' database name (`orqestra_test` → `orqestra_deploytest`). */
function deployDatabase(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = parsed.pathname.replace(/_test$/, '_deploytest');
  return parsed.toString();
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const env = stackEnv();
  const databaseUrl = deployDatabase(env.databaseUrl);
  const databaseOwnerUrl = deployDatabase(env.databaseOwnerUrl);
  await migrateToLatest(databaseOwnerUrl);
  const brokers = options.kafkaBrokers ?? env.kafkaBrokers;
  const replicas = options.topicReplicas ?? 1;
  await ensureTopics({ brokers, partitions: env.kafkaTopicPartitions, replicas, topicPrefix: options.topicPrefix });
  const fake = new FakeResend();
  await fake.start();
  const common = {
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: options.topicPrefix,
    KAFKA_TOPIC_REPLICAS: String(replicas),
    DATABASE_URL: databaseUrl,
    DATABASE_OWNER_URL: databaseOwnerUrl,
    DATABASE_POOL_MAX: '8',
    ALLOW_PRIVATE_PROVIDER_URLS: 'true',
  };
  const processes: ServiceProcess[] = [];
  const apiUrls: string[] = [];
  const gatewayUrls: string[] = [];
  // startService waits 30 s at most; on a loaded 2-core machine six services starting at once
  // take longer, so readiness is awaited here with a longer deadline (failing at once if the
  // process dies, and at the deadline with the service's output). All of them start together.
  const start = async (
    script: string,
    serviceEnvironment: Record<string, string>,
    name: string,
    ready: (service: ServiceProcess) => Promise<boolean>,
  ) => {
    const service = await startService(script, serviceEnvironment, async () => true, name);
    processes.push(service);
    const { child } = service;
    // pollUntil retries a probe that throws until its deadline, so a process that dies is raced
    // here rather than detected by the probe.
    let starting = true;
    const died = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    }).then(() => {
      if (starting) throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode} while starting`);
    });
    try {
      // Once the race is decided the probe stops asking (a poll left running would ask a dead process until its deadline).
      await Promise.race([
        pollUntil(() => (starting ? ready(service) : true), {
          until: Boolean,
          timeoutMs: options.readyTimeoutMs ?? 600_000,
          intervalMs: 500,
          what: `${name} to be ready`,
        }),
        died,
      ]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- ${name} output (last 4 kB):\n${service.output().slice(-4_000)}`);
    } finally {
      starting = false;
    }
    return service;
  };
  // Each probe has its own deadline: a request the service accepts but never answers must not
  // hold the poll past its deadline.
  const healthy = (url: string) => async () => {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`/health/ready answered ${response.status}: ${await response.text()}`);
    return true;
  };
  // A port chosen free can be taken before the service listens on it (six services starting at
  // once open many connections, each from an ephemeral port): a service that exits with
  // EADDRINUSE is started again on another port.
  const onFreePort = async (name: string, launch: (port: number) => Promise<unknown>): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        await launch(port);
        return port;
      } catch (error) {
        if (attempt >= 3 || !(error as Error).message.includes('EADDRINUSE')) throw error;
        console.warn(`${name}: port ${port} was taken before it listened; starting it on another port`);
      }
    }
  };
  try {
    const starting: Promise<unknown>[] = [];
    for (let i = 0; i < options.instances; i++) {
      const url = (port: number) => `http://127.0.0.1:${port}`;
      starting.push(
        onFreePort(`api ${i + 1}`, (port) =>
          start(dist('api', 'main.api.js'), serviceEnv({ ...common, API_PORT: String(port) }), `api ${i + 1}`, healthy(url(port))),
        ).then((port) => (apiUrls[i] = url(port))),
        // Info level for its "worker consuming" line, logged once its consumers have joined their groups.
        onFreePort(`worker ${i + 1}`, (port) =>
          start(
            dist('api', 'main.worker.js'),
            serviceEnv({ ...common, WORKER_PORT: String(port), LOG_LEVEL: 'info' }),
            `worker ${i + 1}`,
            async (worker) => worker.output().includes('worker consuming'),
          ),
        ),
        onFreePort(`gateway ${i + 1}`, (port) =>
          start(
            dist('gateway', 'main.js'),
            serviceEnv({
              ...common,
              GATEWAY_PORT: String(port),
              // Production-like patience: on a loaded 2-core machine the fake vendor (in the test
              // process) can take seconds to answer; a test about scaling must not fail on that.
              RETRY_SCHEDULE: '1s,2s,5s,10s,20s,30s,60s',
              RETRY_JITTER: '0',
              SEND_TIMEOUT_MS: '20000',
              BREAKER_THRESHOLD: '1000',
              // PENDING rows whose dispatch never arrived are republished after this (part of "0 lost").
              SWEEPER_INTERVAL_MS: '2000',
              SWEEPER_PENDING_AFTER_MS: '30000',
              SWEEPER_RETRY_GRACE_MS: '10000',
            }),
            `gateway ${i + 1}`,
            healthy(url(port)),
          ),
        ).then((port) => (gatewayUrls[i] = url(port))),
      );
    }
    await Promise.all(starting);
  } catch (error) {
    await Promise.all(processes.map((p) => p.stop()));
    await fake.close();
    throw error;
  }
  const database = createDatabase(databaseUrl, { max: 4, applicationName: 'deploy-tests' });
  return {
    apiUrls,
    gatewayUrls,
    processes,
    fake,
    database,
    async stop() {
      await Promise.all(processes.map((p) => p.stop()));
      await fake.close();
      await database.close();
    },
  };
}

/** A tenant with a live API key, generous limits and the fake Resend as its email provider. */
export async function newTenant(system: RunningSystem): Promise<{ tenantId: string; apiKey: string }> {
  const key = generateApiKey('live');
  const { tenant } = await withOperator(system.database, 'tests', (tx) =>
    insertTenantWithApiKey(tx, {
      name: `deploy-${randomUUID()}`,
      rateLimitPerMinute: 1_000_000,
      burst: 100_000,
      dailyCap: 10_000_000,
      apiKeyHash: key.hash,
      displayPrefix: key.displayPrefix,
    }),
  );
  const box = new SecretBox(parseKeyring(stackEnv().raw.CREDENTIALS_KEYS ?? ''));
  const id = randomUUID();
  await withOperator(
    system.database,
    'tests',
    (tx) =>
      insertProviderConfig(tx, {
        id,
        channel: 'EMAIL',
        provider: 'resend',
        baseUrlOverride: system.fake.url,
        credentialsCiphertext: box.encrypt(JSON.stringify({ apiKey: system.fake.apiKey, fromAddress: 'orders@shop.example' }), {
          purpose: 'provider_credentials',
          tenantId: tenant.id,
          rowId: id,
        }),
        credentialsLast4: 'test',
      }),
    { tenantId: tenant.id },
  );
  return { tenantId: tenant.id, apiKey: key.plaintext };
}

export interface LoadResult {
  /** Recipient address of each event, the key counted at the vendor. */
  recipients: string[];
  /** Answers other than 200 that were retried (a client retries with the same eventId). */
  retried: number;
}

/**
 * Triggers `count` email events, round-robin over the APIs, `concurrency` requests in flight. Each
 * event has its own eventId and recipient; an answer other than 200 (a 503 while Kafka elects a
 * leader, a dropped connection) is retried with the same eventId and idempotency key on the next
 * API, as a client does, until accepted. `onProgress` sees the number accepted so far.
 */
export async function triggerEvents(
  system: RunningSystem,
  apiKey: string,
  count: number,
  options: { concurrency?: number; onProgress?: (accepted: number) => void; retryDeadlineMs?: number } = {},
): Promise<LoadResult> {
  const run = randomUUID().slice(0, 8);
  const recipients = Array.from({ length: count }, (_, i) => `r${i}-${run}@example.com`);
  let next = 0;
  let accepted = 0;
  let retried = 0;
  const send = async (i: number, attempt: number): Promise<number> => {
    const apiUrl = system.apiUrls[(i + attempt) % system.apiUrls.length] ?? '';
    const response = await fetch(`${apiUrl}/api/v1/events/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'x-idempotency-key': `idem-${run}-${i}` },
      body: JSON.stringify({
        eventId: `evt-${run}-${i}`,
        eventType: 'global.info',
        channels: ['EMAIL'],
        payload: { userId: `user-${i % 100}`, recipientEmail: recipients[i] },
        variables: { title: `Order ${i}`, message: 'On its way.' },
      }),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    await response?.body?.cancel().catch(() => undefined);
    return response?.status ?? 0;
  };
  await Promise.all(
    Array.from({ length: options.concurrency ?? 16 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const deadline = Date.now() + (options.retryDeadlineMs ?? 120_000);
        for (let attempt = 0; ; attempt++) {
          const status = await send(i, attempt);
          if (status === 200) break;
          retried++;
          if (Date.now() > deadline) throw new Error(`event ${i} not accepted within the deadline (last status ${status})`);
          await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
        }
        accepted++;
        options.onProgress?.(accepted);
      }
    }),
  );
  return { recipients, retried };
}

/** What the fake vendor accepted, per recipient: a missing one is lost, a count above 1 a duplicate. */
export function countAtVendor(fake: FakeResend, recipients: string[]): { delivered: number; lost: number; duplicated: number } {
  const counts = new Map<string, number>(recipients.map((r) => [r, 0]));
  for (const send of fake.accepted) {
    const to = (send.body as { to?: string | string[] }).to;
    for (const address of Array.isArray(to) ? to : [to]) {
      if (address !== undefined && counts.has(address)) counts.set(address, (counts.get(address) ?? 0) + 1);
    }
  }
  let delivered = 0;
  let lost = 0;
  let duplicated = 0;
  for (const n of counts.values()) {
    if (n === 0) lost++;
    else delivered++;
    if (n > 1) duplicated += n - 1;
  }
  return { delivered, lost, duplicated };
}

/** Notification rows of the tenant by status, read through the services' role. */
export async function statusCounts(system: RunningSystem, tenantId: string): Promise<Record<string, number>> {
  const rows = await withOperator(system.database, 'tests', (tx) =>
    tx.db
      .selectFrom('notification_logs')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy('status')
      .execute(),
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Sends a gateway reports as accepted by a vendor (`orqestra_dispatch_outcomes_total{outcome="sent"}`). */
export async function gatewaySends(gatewayUrl: string): Promise<number> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('orqestra_dispatch_outcomes_total{') && line.includes('outcome="sent"')) total += Number(line.split(' ').at(-1));
  }
  return total;
}
