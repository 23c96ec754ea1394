// npm run bench:trigger — load test of POST /api/v1/events/trigger against its floor.
//
// Bounded and loopback-only: refuses non-loopback stack addresses, stops by itself (hard limit
// BENCH_MAX_MINUTES), and kills every process it started, on success, error or signal. Steps:
// ensure the `bench.` topics, create BENCH_TENANTS tenants with very high limits, start the API
// (apps/api/dist/main.api.js) and the floor (bench/trigger/floor.mjs) and the load generator
// (bench/trigger/load.mjs) as child processes, then for each target: warm-up, open-loop fixed
// rate, closed-loop saturation, open-loop at 80% of that saturation; all of it BENCH_RUNS times
// (default 3: every figure is the median of the runs, with the range). CPU of every process is
// read from /proc over each phase (bench/lib/host.mjs) and reported as CPU-µs per accepted event,
// by process, with the API's ratio to the floor. Afterwards: tenants, their Redis keys and the produced records
// are deleted, the markdown is printed and written to the `## Trigger endpoint` section of
// docs/benchmarks.md (BENCH_WRITE_DOC=0 to skip).
//
// Knobs (env): BENCH_SECONDS=15 BENCH_WARMUP_SECONDS=5 BENCH_FIXED_RATE=500 BENCH_CONNECTIONS=64
// BENCH_OPEN_MAX_CONNECTIONS=256 BENCH_TENANTS=50 BENCH_TARGETS=api,floor BENCH_RUNS=3 BENCH_WRITE_DOC=1
// BENCH_CPU_PROF=<dir> (V8 CPU profiles of the servers, written when they exit).
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { Redis } from 'ioredis';
import { createDatabase, insertTenantWithApiKey, withOperator } from '@orqestra/db';
import { generateApiKey } from '../../apps/api/dist/platform/api-keys.js';
import { cmdline, cpuMeter, loadAverage, machineInfo, percentOfCore, perUnit, STACK_PROCESSES } from '../lib/host.mjs';
import { existingNotes, fmt, render, writeDoc } from './report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = process.env;
const num = (name, fallback) => (env[name] === undefined || env[name] === '' ? fallback : Number(env[name]));
const S = {
  seconds: num('BENCH_SECONDS', 15),
  warmup: num('BENCH_WARMUP_SECONDS', 5),
  fixedRate: num('BENCH_FIXED_RATE', 500),
  connections: num('BENCH_CONNECTIONS', 64),
  openMaxConnections: num('BENCH_OPEN_MAX_CONNECTIONS', 256),
  tenants: num('BENCH_TENANTS', 50),
  targets: (env.BENCH_TARGETS ?? 'api,floor')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean),
  writeDoc: env.BENCH_WRITE_DOC !== '0',
  runs: num('BENCH_RUNS', 3),
  maxMinutes: num('BENCH_MAX_MINUTES', 25),
};
const TOPIC_PREFIX = 'bench.';
const EVENT_TOPIC = `${TOPIC_PREFIX}tenant.event.received`;
const LIMITS = { perMinute: 10_000_000, burst: 1_000_000, dailyCap: 2_000_000_000 };
// Both servers get the same settings; the idempotency window is shortened to 60 s (only a PEXPIRE
// argument) so the benchmark's records leave Redis by themselves.
const SERVER_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  KAFKA_TOPIC_PREFIX: TOPIC_PREFIX,
  IDEMPOTENCY_WINDOW_SECONDS: '60',
  API_HOST: '127.0.0.1',
};
// Issue 10's targets (accepted/s, ours ÷ floor, p99 at 500/s in every run); p99 at 80% is issue 8's.
const TARGETS = {
  minAccepted: 4_000,
  minRatio: 0.8,
  p99AtFixed: 10,
  p99At80: 25,
};

const log = (...args) => process.stderr.write(`[bench:trigger] ${args.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- clean-up of what we started
const children = new Set();
const cleanups = [];
let cleaning = null;
async function cleanUp() {
  cleaning ??= (async () => {
    for (const child of children) stopChild(child);
    const deadline = Date.now() + 5_000;
    while ([...children].some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) await sleep(50);
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const fn of cleanups.reverse()) await fn().catch((error) => log('clean-up step failed:', error.message));
  })();
  return cleaning;
}
function stopChild(child) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    cleanUp().finally(() => process.exit(130));
  });
}
const hardStop = setTimeout(() => {
  log(`still running after ${S.maxMinutes} min: aborting`);
  cleanUp().finally(() => process.exit(3));
}, S.maxMinutes * 60_000);
hardStop.unref();

// ---------------------------------------------------------------- stack and processes
function assertLoopback(name, value) {
  const hosts = name === 'KAFKA_BROKERS' ? value.split(',').map((b) => b.trim().replace(/:\d+$/, '')) : [new URL(value).hostname];
  for (const host of hosts) {
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
      throw new Error(`${name} points at ${host}: this benchmark runs against a loopback stack only`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function startServer(name, script, extraEnv) {
  const profile = env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF}`, `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`]
    : [];
  const child = spawn(process.execPath, [...profile, script], {
    cwd: ROOT,
    env: { ...env, ...SERVER_ENV, ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  child.on('exit', (code, signal) => {
    if (!cleaning) log(`${name} exited (code ${code}, signal ${signal}): ${stderr.trim()}`);
  });
  return child;
}

async function waitHealthy(name, child, port) {
  // A loaded machine starts Node slowly (NestJS took over 30 s at a load average of 30).
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${name} did not answer /health/live within 90 s`);
}

function startLoadGenerator() {
  const child = fork(join(ROOT, 'bench/trigger/load.mjs'), [], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  let pending = null;
  child.on('message', (msg) => {
    const p = pending;
    pending = null;
    if (!p) return;
    if (msg.ok) p.resolve(msg);
    else p.reject(new Error(`load generator: ${msg.error}`));
  });
  child.on('exit', (code) => {
    if (pending) pending.reject(new Error(`load generator exited (code ${code})`));
    pending = null;
  });
  const call = (msg) =>
    new Promise((resolve, reject) => {
      pending = { resolve, reject };
      child.send(msg);
    });
  return { child, call };
}

// ---------------------------------------------------------------- tenants and clean-up of data
async function createTenants(database, runId) {
  const tenants = [];
  await withOperator(database, 'bench', async (tx) => {
    for (let i = 0; i < S.tenants; i++) {
      const key = generateApiKey('live');
      const { tenant } = await insertTenantWithApiKey(tx, {
        name: `bench-trigger ${runId} #${i + 1}`,
        rateLimitPerMinute: LIMITS.perMinute,
        burst: LIMITS.burst,
        dailyCap: LIMITS.dailyCap,
        apiKeyHash: key.hash,
        displayPrefix: key.displayPrefix,
      });
      tenants.push({ apiKey: key.plaintext, tenantId: tenant.id, ...LIMITS });
    }
  });
  return tenants;
}

async function deleteRedisKeys(redisUrl, tenantIds) {
  const redis = new Redis(redisUrl, { connectionName: 'orqestra-bench-cleanup', maxRetriesPerRequest: 1 });
  try {
    const ids = new Set(tenantIds);
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'orq:{*', 'COUNT', 2000);
      cursor = next;
      const mine = keys.filter((k) => ids.has(k.slice(5, k.indexOf('}'))));
      if (mine.length) deleted += await redis.unlink(...mine);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

async function endOffsets(admin) {
  const [topic] = await admin.listOffsets({
    topics: [{ name: EVENT_TOPIC, partitions: Array.from({ length: partitionCount }, (_, i) => ({ partitionIndex: i, timestamp: -1n })) }],
  });
  return topic.partitions.map((p) => ({ partition: p.partitionIndex, offset: p.offset }));
}
let partitionCount = 0;

// ---------------------------------------------------------------- phases
async function validate(port, apiKey) {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/events/trigger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({
      eventType: 'order.confirmed',
      eventId: `bench-check-${randomUUID()}`,
      payload: { userId: 'u-1', recipientEmail: 'a@example.com' },
      variables: { orderNo: 1 },
    }),
  });
  const body = await response.json().catch(() => null);
  if (response.status !== 200 || body?.success !== true)
    throw new Error(`trigger check answered ${response.status} ${JSON.stringify(body)}`);
}

async function runPhase(load, meter, name, msg) {
  const loadStart = loadAverage();
  const before = meter.snapshot();
  const { result } = await load.call(msg);
  const used = meter.between(before);
  const cpu = percentOfCore(used);
  const us = perUnit(used, result.ok);
  log(
    `${name}: ${result.acceptedPerSecond.toFixed(0)} accepted/s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, p99.9 ${fmt(result.p999)} ms; CPU-µs per accepted event: server ${us.server.toFixed(0)}, machine ${us.machine.toFixed(0)}; load ${loadStart}${result.firstNon2xx ? `; first non-2xx: ${result.firstNon2xx}` : ''}`,
  );
  return { name, ...result, cpu, us, loadStart };
}

/**
 * Phase after phase, each target in turn (API, floor, API, floor...), so that whatever else the
 * machine does drifts over both alike: warm-up, fixed rate, saturation, 80% of that target's own
 * saturation.
 */
async function runAll(load, targets) {
  const results = targets.map((t) => ({ name: t.name, label: t.label, pid: t.child.pid, warm: null, phases: [], saturation: null }));
  const meters = targets.map((t) =>
    cpuMeter({
      server: t.child.pid,
      'load generator': load.child.pid,
      kafka: STACK_PROCESSES.kafka,
      redis: STACK_PROCESSES.redis,
      postgres: STACK_PROCESSES.postgres,
      centrifugo: STACK_PROCESSES.centrifugo,
      'stack apps': STACK_PROCESSES['stack apps'],
      // The other target is idle during this one's phase; listed so it is not counted as "other".
      'idle target': targets.filter((o) => o !== t).map((o) => o.child.pid),
    }),
  );
  const each = async (fn) => {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      const origin = `http://127.0.0.1:${t.port}`;
      await fn(t, results[i], (name, msg) => runPhase(load, meters[i], `${t.name} ${name}`, { origin, ...msg }));
      await sleep(1000);
    }
  };
  await each(async (t, r, phase) => {
    await validate(t.port, t.apiKey);
    r.warm = await phase('warm-up', { cmd: 'closed', connections: S.connections, seconds: S.warmup });
  });
  await each(async (_t, r, phase) => {
    r.phases.push(
      await phase(`fixed ${S.fixedRate}/s`, { cmd: 'open', rate: S.fixedRate, seconds: S.seconds, maxConnections: S.openMaxConnections }),
    );
  });
  await each(async (_t, r, phase) => {
    r.saturation = await phase('saturation', { cmd: 'closed', connections: S.connections, seconds: S.seconds });
    r.phases.push(r.saturation);
  });
  await each(async (_t, r, phase) => {
    const rate = Math.max(1, Math.round(r.saturation.acceptedPerSecond * 0.8));
    r.phases.push(await phase('fixed 80%', { cmd: 'open', rate, seconds: S.seconds, maxConnections: S.openMaxConnections }));
  });
  return results;
}

// ---------------------------------------------------------------- main
async function main() {
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS']) {
    if (!env[name]) throw new Error(`${name} is not set: run through \`npm run bench:trigger\` (infra/with-env.sh)`);
    assertLoopback(name, env[name]);
  }
  const runId = randomUUID().slice(0, 8);
  const loadBefore = os.loadavg();
  log(`run ${runId}; load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  for (const file of [
    'apps/api/dist/main.api.js',
    'apps/api/dist/main.cli.js',
    'packages/bus/dist/index.js',
    'packages/db/dist/index.js',
  ]) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: build first (npx tsc -b tsconfig.build.json)`);
  }

  log(`ensuring topics with prefix ${TOPIC_PREFIX}`);
  execFileSync(process.execPath, ['apps/api/dist/main.cli.js', 'topics', 'ensure', '--quiet'], {
    cwd: ROOT,
    env: { ...env, KAFKA_TOPIC_PREFIX: TOPIC_PREFIX },
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  const admin = new Admin({ clientId: 'orqestra-bench-admin', bootstrapBrokers: env.KAFKA_BROKERS.split(',') });
  cleanups.push(() => admin.close());
  const metadata = await admin.metadata({ topics: [EVENT_TOPIC] });
  partitionCount = metadata.topics.get(EVENT_TOPIC).partitionsCount;
  const offsetsBefore = await endOffsets(admin);
  // Whatever happens, the benchmark's records do not stay in the broker.
  cleanups.push(async () => {
    const end = await endOffsets(admin);
    await admin.deleteRecords({
      topics: [{ name: EVENT_TOPIC, partitions: end.map((p) => ({ partition: p.partition, offset: p.offset })) }],
    });
  });

  const database = createDatabase(env.DATABASE_URL, { max: 2, applicationName: 'orqestra-bench' });
  cleanups.push(() => database.close());
  log(`creating ${S.tenants} tenants`);
  const tenants = await createTenants(database, runId);
  const tenantIds = tenants.map((t) => t.tenantId);
  cleanups.push(async () => {
    await withOperator(database, 'bench', (tx) => tx.db.deleteFrom('tenants').where('id', 'in', tenantIds).execute());
    const deleted = await deleteRedisKeys(env.REDIS_URL, tenantIds);
    log(`deleted ${tenantIds.length} tenants and ${deleted} Redis keys`);
  });

  const targets = [];
  if (S.targets.includes('api')) {
    const port = await freePort();
    targets.push({
      name: 'api',
      label: 'API',
      port,
      apiKey: tenants[0].apiKey,
      child: startServer('API', 'apps/api/dist/main.api.js', { API_PORT: String(port) }),
    });
  }
  if (S.targets.includes('floor')) {
    const port = await freePort();
    targets.push({
      name: 'floor',
      label: 'floor',
      port,
      apiKey: tenants[0].apiKey,
      child: startServer('floor', 'bench/trigger/floor.mjs', { FLOOR_PORT: String(port), BENCH_TENANTS: JSON.stringify(tenants) }),
    });
  }
  for (const t of targets) await waitHealthy(t.label, t.child, t.port);

  const load = startLoadGenerator();
  const { bodyBytes } = await load.call({ cmd: 'setup', apiKeys: tenants.map((t) => t.apiKey) });

  const groups = Object.fromEntries(Object.entries(STACK_PROCESSES).map(([name, pids]) => [name, pids()]));
  log(
    `stack processes: kafka ${groups.kafka.join(',') || 'not found'}; redis ${groups.redis.join(',') || 'not found'}; postgres ${groups.postgres.length} processes`,
  );

  const runs = [];
  for (let run = 1; run <= S.runs; run++) {
    log(`run ${run} of ${S.runs}; load ${loadAverage()}`);
    runs.push(await runAll(load, targets));
  }

  const offsetsAfter = await endOffsets(admin);
  const kafkaDelta = offsetsAfter.reduce((sum, p, i) => sum + Number(p.offset - offsetsBefore[i].offset), 0);
  const totalOk = runs.flat().reduce((sum, r) => sum + r.warm.ok + r.phases.reduce((s, ph) => s + ph.ok, 0), 0) + targets.length * S.runs;

  const loadAfter = os.loadavg();
  // Contention: a busy machine before the run, or CPU used during the phases by processes that are
  // not part of the benchmark ("other" includes a few % of kernel and Centrifugo even when quiet).
  const phases = runs.flat().flatMap((r) => r.phases);
  const otherMax = Math.max(0, ...phases.map((ph) => ph.cpu.other));
  const busyBefore = loadBefore[0] > os.cpus().length * 0.5;
  const contended = busyBefore || otherMax > 20;
  const contention = contended
    ? `**Taken under contention:** ${busyBefore ? `the 1-minute load average before the run was ${loadBefore[0].toFixed(2)} on ${os.cpus().length} cores` : 'the machine looked quiet before the run'}${otherMax > 20 ? `, and processes outside the benchmark used up to ${otherMax.toFixed(0)}% CPU during a phase ("other")` : ''}; the figures are lower than this machine can do alone.`
    : `The machine was otherwise quiet (1-minute load ${loadBefore[0].toFixed(2)} before the run on ${os.cpus().length} cores, "other" at most ${otherMax.toFixed(0)}% during any phase); the load after is the benchmark's own.`;
  const meta = {
    ...machineInfo(ROOT),
    kafkaVersion: (cmdline(groups.kafka[0] ?? 0).match(/kafka\/([\d.]+)\//) ?? [])[1] ?? '',
    pids: {
      api: targets.find((t) => t.name === 'api')?.child.pid,
      floor: targets.find((t) => t.name === 'floor')?.child.pid,
      loadgen: load.child.pid,
      kafka: groups.kafka.join(',') || '–',
      redis: groups.redis.join(',') || '–',
      postgres: groups.postgres.length,
    },
    loadBefore: loadBefore.map((l) => l.toFixed(2)).join(' / '),
    loadAfter: loadAfter.map((l) => l.toFixed(2)).join(' / '),
    contention,
    contended,
    bodyBytes,
    kafkaDelta,
    totalOk,
    settings: `BENCH_SECONDS=${S.seconds} BENCH_WARMUP_SECONDS=${S.warmup} BENCH_FIXED_RATE=${S.fixedRate} BENCH_CONNECTIONS=${S.connections} BENCH_TENANTS=${S.tenants} BENCH_TARGETS=${S.targets.join(',')} BENCH_RUNS=${S.runs}`,
  };
  const markdown = render({ runs, meta, notes: existingNotes(ROOT), settings: S, limits: LIMITS, targets: TARGETS, topic: EVENT_TOPIC });
  process.stdout.write(`${markdown}\n`);
  if (S.writeDoc) log(`wrote ${writeDoc(ROOT, markdown)}`);
  await load.call({ cmd: 'exit' }).catch(() => {});
}

main()
  .then(() => cleanUp())
  .then(() => process.exit(0))
  .catch(async (error) => {
    log(`failed: ${error.stack ?? error}`);
    await cleanUp();
    process.exit(1);
  });
