// npm run bench:e2e — delivery of EMAIL notifications to a fake vendor (fake Resend, 2xx), everything
// co-located on this machine, measured against a delivery floor in the same run.
//
// Two deliverers consume the same `notification.dispatch` topic in turn, each in a consumer group
// of its own: the real gateway (apps/gateway/dist/main.js) and the floor (bench/e2e/floor.mjs: the
// same Kafka consumer, PostgreSQL and fake vendor, doing only consume → one claim statement → vendor
// calls → one outcome transaction → commit). Each of BENCH_RUNS runs (default 3) has four phases:
//   1. backlog: BENCH_EVENTS (default 20,000) EMAIL events are triggered through the built API while
//      no deliverer runs; the worker renders them, writes the PENDING rows and produces the
//      dispatches. Waits until every row and dispatch exists (ingestion finished).
//   2. drain, floor: the floor drains the backlog (a fresh consumer group from the backlog's first
//      offsets) until every notification is terminal; then the rows are put back to PENDING
//      exactly as the worker left them (the floor's columns reset, its attempt rows deleted).
//   3. drain, gateway: a fresh gateway drains the same backlog (its group set to the same offsets).
//   4. end to end while ingesting, gateway then floor: BENCH_EVENTS new events each (new tenants),
//      from the first trigger to the last terminal notification, with the deliverer running.
// "Terminal" = SENT or FAILED (counted apart); a phase that is not terminal by its deadline
// (BENCH_PHASE_SECONDS) stops and reports what was not. CPU of every process (API, worker,
// deliverer, Kafka, PostgreSQL, Redis, Centrifugo, this process = load generator + fake vendor, the
// shared stack's idle apps, the rest of the machine) is read from /proc over each phase and given
// as CPU-µs per notification. Figures are the median of the runs with their range; they go to the
// `## End-to-end delivery` section of docs/benchmarks.md (BENCH_WRITE_DOC=0 to skip).
//
// Loopback only (refuses another stack address), its own topics (prefix `bench-e2e.`), its own
// tenants (deleted after each run), bounded in count and time (BENCH_MAX_MINUTES overall); every
// process it starts is stopped at the end, on error or on a signal. The shared stack's own
// processes are never touched.
//
// Knobs: BENCH_EVENTS=20000 BENCH_RUNS=3 BENCH_TENANTS=20 BENCH_CONCURRENCY=64 BENCH_PHASE_SECONDS=300
// BENCH_MAX_MINUTES=60 BENCH_PHASES=drain,ingest BENCH_WRITE_DOC=1 BENCH_PROFILE_DIR=<dir>
// BENCH_GATEWAYS=1 (gateway processes in the one consumer group; their CPU is summed as the deliverer's)
import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { sql } from 'kysely';
import { Agent, request } from 'undici';
import { TOPICS } from '@orqestra/contracts';
import { parseKeyring, SecretBox } from '@orqestra/crypto';
import { createDatabase, insertTenantWithApiKey, withOperator } from '@orqestra/db';
import { FakeResend } from '@orqestra/providers';
import { freePort, serviceEnv, stackEnv, startService } from '@orqestra/testing';
import { generateApiKey } from '../../apps/api/dist/platform/api-keys.js';
import { resetFloorRows } from './floor-state.mjs';
import {
  cpuMeter,
  fmtNumber,
  fmtRange,
  loadAverage,
  machineInfo,
  orderedNames,
  perUnit,
  STACK_PROCESSES,
  stats,
  writeSection,
} from '../lib/host.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const S = {
  events: num('BENCH_EVENTS', 20_000),
  runs: num('BENCH_RUNS', 3),
  tenants: num('BENCH_TENANTS', 20),
  concurrency: num('BENCH_CONCURRENCY', 64),
  gateways: num('BENCH_GATEWAYS', 1),
  phaseSeconds: num('BENCH_PHASE_SECONDS', 300),
  maxMinutes: num('BENCH_MAX_MINUTES', 60),
  phases: (process.env.BENCH_PHASES ?? 'drain,ingest').split(','),
  writeDoc: process.env.BENCH_WRITE_DOC !== '0',
  profileDir: process.env.BENCH_PROFILE_DIR,
};
const PREFIX = 'bench-e2e.';
const DISPATCH_TOPIC = PREFIX + TOPICS.dispatch.name;
const GATEWAY_GROUP = PREFIX + TOPICS.dispatch.group;
const TARGETS = { drainRate: 1_500, drainRatio: 0.6, drainCpuUs: 1_300, ingestRate: 800 };
const log = (...a) => process.stderr.write(`[bench:e2e] ${new Date().toISOString().slice(11, 19)} ${a.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- what we start, and stopping it
const started = new Set();
let fake;
let cleaning;
async function cleanUp() {
  cleaning ??= (async () => {
    await Promise.all([...started].map((p) => p.stop().catch(() => {})));
    await fake?.close().catch(() => {});
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
const hardStop = setTimeout(() => {
  log(`over ${S.maxMinutes} minutes: stopping`);
  void cleanUp().finally(() => process.exit(2));
}, S.maxMinutes * 60_000);
hardStop.unref();

async function startNode(name, script, env, ready) {
  const nodeArgs = S.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${S.profileDir}`, `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`] : [];
  const service = await startService(script, env, ready, name, nodeArgs, 60_000);
  const handle = {
    child: service.child,
    stop: async () => {
      started.delete(handle);
      await service.stop();
    },
  };
  started.add(handle);
  return handle;
}

/** The floor, forked (IPC tells when its consumer runs). */
async function startFloor(ctx, group) {
  const nodeArgs = S.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${S.profileDir}`, `--cpu-prof-name=floor.${Date.now()}.cpuprofile`] : [];
  const child = fork(join(ROOT, 'bench/e2e/floor.mjs'), [], {
    env: serviceEnv({
      KAFKA_TOPIC_PREFIX: PREFIX,
      KAFKA_BROKERS: ctx.env.kafkaBrokers.join(','),
      FLOOR_GROUP: group,
      VENDOR_URL: fake.url,
      VENDOR_API_KEY: fake.apiKey,
    }),
    execArgv: nodeArgs,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const handle = {
    child,
    stop: async () => {
      started.delete(handle);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await exited;
      clearTimeout(timer);
    },
  };
  started.add(handle);
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    void exited.then((code) => reject(new Error(`floor exited (${code}) while starting`)));
  });
  return handle;
}

// ---------------------------------------------------------------- Kafka offsets and groups
async function endOffsets(admin) {
  const [topic] = await admin.listOffsets({
    topics: [
      { name: DISPATCH_TOPIC, partitions: Array.from({ length: admin.partitions }, (_, i) => ({ partitionIndex: i, timestamp: -1n })) },
    ],
  });
  return topic.partitions.map((p) => ({ partition: p.partitionIndex, offset: p.offset }));
}
const total = (offsets) => offsets.reduce((sum, p) => sum + Number(p.offset), 0);

/** Points a group (no member running) at the given offsets of the dispatch topic. */
async function setGroupOffsets(admin, groupId, offsets) {
  // A member that just left may still be leaving the group: the broker refuses until it is empty.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.alterConsumerGroupOffsets({
        groupId,
        topics: [{ name: DISPATCH_TOPIC, partitionOffsets: offsets.map((p) => ({ partition: p.partition, offset: p.offset })) }],
      });
      return;
    } catch (error) {
      if (attempt >= 30) throw error;
      await sleep(1_000);
    }
  }
}

async function dropBenchTopics(admin) {
  const groups = [...(await admin.listGroups()).keys()].filter((group) => group.startsWith(PREFIX));
  if (groups.length > 0) await admin.deleteGroups({ groups });
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(PREFIX));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  const deadline = Date.now() + 30_000;
  while ((await admin.listTopics()).some((topic) => topic.startsWith(PREFIX)) && Date.now() < deadline) await sleep(200);
}

// ---------------------------------------------------------------- tenants, load, counting
async function createTenants(ctx, label) {
  const tenants = [];
  for (let i = 0; i < S.tenants; i++) {
    const key = generateApiKey('live');
    const { tenant } = await withOperator(ctx.database, 'bench', (tx) =>
      insertTenantWithApiKey(tx, {
        name: `bench-e2e ${label} ${randomUUID()}`,
        rateLimitPerMinute: 10_000_000,
        burst: 1_000_000,
        dailyCap: 2_000_000_000,
        apiKeyHash: key.hash,
        displayPrefix: key.displayPrefix,
      }),
    );
    const configId = randomUUID();
    await withOperator(
      ctx.database,
      'bench',
      (tx) =>
        tx.db
          .insertInto('provider_configs')
          .values({
            id: configId,
            tenant_id: tenant.id,
            channel: 'EMAIL',
            provider: 'resend',
            base_url_override: fake.url,
            credentials_ciphertext: ctx.box.encrypt(JSON.stringify({ apiKey: fake.apiKey, fromAddress: 'orders@shop.example' }), {
              purpose: 'provider_credentials',
              tenantId: tenant.id,
              rowId: configId,
            }),
            credentials_last4: 'test',
          })
          .execute(),
      { tenantId: tenant.id },
    );
    tenants.push({ id: tenant.id, apiKey: key.plaintext });
  }
  ctx.allTenants.push(...tenants.map((t) => t.id));
  return tenants;
}

async function deleteTenants(ctx) {
  const ids = ctx.allTenants.splice(0);
  if (ids.length > 0) await withOperator(ctx.database, 'bench', (tx) => tx.db.deleteFrom('tenants').where('id', 'in', ids).execute());
}

/** Triggers `count` EMAIL events over the tenants, `concurrency` requests in flight. */
async function trigger(ctx, tenants, count) {
  const body = (i) =>
    JSON.stringify({
      eventType: 'global.info',
      channels: ['EMAIL'],
      payload: { userId: `user-${i % 500}`, recipientEmail: `user${i}@example.com` },
      variables: { title: `Order ${i} confirmed`, message: 'Your order is on its way. Thank you for shopping with us.' },
    });
  let next = 0;
  let accepted = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: S.concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const tenant = tenants[i % tenants.length];
        const res = await request(`${ctx.api}/api/v1/events/trigger`, {
          method: 'POST',
          dispatcher: ctx.agent,
          headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
          body: body(i),
        }).catch(() => undefined);
        if (res) await res.body.dump();
        if (res?.statusCode === 200) accepted++;
        else errors++;
      }
    }),
  );
  return { accepted, errors, seconds: (performance.now() - t0) / 1000 };
}

/** Rows of these tenants per status. */
async function statusCounts(ctx, tenantIds) {
  const rows = await withOperator(ctx.database, 'bench', (tx) =>
    tx.db
      .selectFrom('notification_logs')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .where('tenant_id', 'in', tenantIds)
      .groupBy('status')
      .execute(),
  );
  const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  return { counts, all, sent: counts.SENT ?? 0, failed: counts.FAILED ?? 0, terminal: (counts.SENT ?? 0) + (counts.FAILED ?? 0) };
}

/**
 * Waits until `expected()` notifications of these tenants are terminal, or the deadline. Counting
 * rows costs PostgreSQL CPU inside the measurement, so the database is asked once a second until
 * the fake vendor has accepted as many sends as are still missing, then every 50 ms; the end is
 * the first count that sees them all. The first vendor call is the time the fake vendor recorded
 * for it. `vendorBefore` is the vendor's count before the deliverer started (a gateway may send
 * before it reports ready).
 */
async function untilTerminal(ctx, tenantIds, expected, deadlineMs, vendorBefore = fake.acceptedSends()) {
  let firstSend;
  let last = { counts: {}, all: 0, sent: 0, failed: 0, terminal: 0 };
  let lastPoll = 0;
  for (;;) {
    const now = performance.now();
    const vendor = fake.acceptedSends() - vendorBefore;
    if (firstSend === undefined && vendor > 0) firstSend = now - (Date.now() - fake.accepted[vendorBefore].at.getTime());
    const want = expected();
    const near = want !== undefined && vendor + last.failed >= want;
    if (now - lastPoll >= (near ? 50 : 1000)) {
      lastPoll = now;
      last = await statusCounts(ctx, tenantIds);
      if (want !== undefined && last.terminal >= want)
        return { ...last, done: true, at: performance.now(), firstSend, vendor: fake.acceptedSends() - vendorBefore };
      if (now > deadlineMs) return { ...last, done: false, at: performance.now(), firstSend, vendor: fake.acceptedSends() - vendorBefore };
    }
    await sleep(10);
  }
}

async function latency(ctx, tenantIds) {
  return withOperator(ctx.database, 'bench', async (tx) => {
    const row = (
      await sql`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
                  FROM (SELECT extract(epoch FROM (sent_at - received_at)) * 1000 AS ms FROM notification_logs
                         WHERE tenant_id = ANY(${tenantIds}::uuid[]) AND status = 'SENT') s`.execute(tx.db)
    ).rows[0];
    return { p50: Number(row?.p50), p99: Number(row?.p99) };
  });
}

// ---------------------------------------------------------------- deliverers and phases
async function startDeliverer(ctx, which, group) {
  if (which === 'floor') {
    const floor = await startFloor(ctx, group);
    ctx.deliverer = [floor.child.pid];
    return floor;
  }
  // BENCH_GATEWAYS instances in the one consumer group (scale-out): they share the partitions.
  const gateways = await Promise.all(Array.from({ length: S.gateways }, () => startGateway(ctx)));
  ctx.deliverer = gateways.map((g) => g.child.pid);
  return { stop: () => Promise.all(gateways.map((g) => g.stop())) };
}

async function startGateway(ctx) {
  const port = await freePort();
  return startNode(
    'gateway',
    join(ROOT, 'apps/gateway/dist/main.js'),
    serviceEnv({
      ...ctx.common,
      GATEWAY_PORT: String(port),
      ALLOW_PRIVATE_PROVIDER_URLS: 'true',
      CONCURRENCY: '128',
      TENANT_INFLIGHT_CAP: '256',
      SWEEPER_INTERVAL_MS: '3600000',
    }),
    async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok === true,
  );
}

function summarize(name, counted, result, cpu, extra = {}) {
  const units = result.sent + result.failed;
  return {
    name,
    ...extra,
    expected: counted,
    sent: result.sent,
    failed: result.failed,
    notTerminal: Math.max(0, counted - result.terminal),
    otherStatuses: Object.entries(result.counts)
      .filter(([s]) => s !== 'SENT' && s !== 'FAILED')
      .map(([s, n]) => `${s} ${n}`)
      .join(', '),
    done: result.done,
    vendor: result.vendor,
    cpuUs: perUnit(cpu, units),
    cpuSeconds: cpu.seconds,
    load: cpu.load,
  };
}

/** Phase 2/3: one deliverer drains the backlog; rate over first vendor call → last terminal. */
async function drain(ctx, which, backlog) {
  const group = which === 'floor' ? `${PREFIX}floor-drain-${randomUUID().slice(0, 8)}` : GATEWAY_GROUP;
  await setGroupOffsets(ctx.admin, group, backlog.offsets);
  const loadStart = loadAverage();
  const vendorBefore = fake.acceptedSends();
  const deliverer = await startDeliverer(ctx, which, group.slice(PREFIX.length));
  const before = ctx.meter.snapshot();
  const t0 = performance.now();
  const result = await untilTerminal(
    ctx,
    backlog.tenantIds,
    () => backlog.accepted,
    performance.now() + S.phaseSeconds * 1000,
    vendorBefore,
  );
  const cpu = ctx.meter.between(before);
  const from = result.firstSend ?? t0;
  const seconds = (result.at - from) / 1000;
  const out = summarize(`drain ${which}`, backlog.accepted, result, cpu, {
    rate: (result.sent + result.failed) / seconds,
    seconds,
    startupSeconds: (from - t0) / 1000,
    loadStart,
  });
  log(
    `drain by ${which}: ${out.sent} SENT, ${out.failed} FAILED, ${out.notTerminal} not terminal in ${seconds.toFixed(1)} s = ${out.rate.toFixed(0)}/s; machine ${out.cpuUs.machine.toFixed(0)} µs/notification; load ${loadStart}`,
  );
  return { out, deliverer };
}

/** Phase 4: the deliverer runs; new events are triggered; first trigger → last terminal. */
async function ingest(ctx, which, deliverer) {
  const tenants = await createTenants(ctx, `ingest-${which}`);
  const ids = tenants.map((t) => t.id);
  const loadStart = loadAverage();
  const before = ctx.meter.snapshot();
  const t0 = performance.now();
  let accepted;
  const load = trigger(ctx, tenants, S.events).then((r) => (accepted = r));
  const result = await untilTerminal(ctx, ids, () => accepted?.accepted, performance.now() + S.phaseSeconds * 1000);
  await load;
  const cpu = ctx.meter.between(before);
  const seconds = (result.at - t0) / 1000;
  const lat = await latency(ctx, ids);
  const out = summarize(`ingest ${which}`, accepted.accepted, result, cpu, {
    rate: (result.sent + result.failed) / seconds,
    seconds,
    acceptSeconds: accepted.seconds,
    acceptErrors: accepted.errors,
    p50: lat.p50,
    p99: lat.p99,
    loadStart,
  });
  log(
    `ingest with ${which}: ${accepted.accepted} accepted in ${accepted.seconds.toFixed(1)} s, ${out.sent} SENT, ${out.failed} FAILED, ${out.notTerminal} not terminal after ${seconds.toFixed(1)} s = ${out.rate.toFixed(0)}/s; load ${loadStart}`,
  );
  await deliverer.stop();
  return out;
}

async function runOnce(ctx, run) {
  const results = [];
  log(`run ${run}: load ${loadAverage()}`);
  if (S.phases.includes('drain')) {
    // 1. The backlog: accepted and written, nothing delivering.
    const tenants = await createTenants(ctx, 'backlog');
    const tenantIds = tenants.map((t) => t.id);
    const offsets = await endOffsets(ctx.admin);
    const accepted = await trigger(ctx, tenants, S.events);
    log(`backlog: ${accepted.accepted} accepted (${accepted.errors} errors) in ${accepted.seconds.toFixed(1)} s; waiting for the worker`);
    const deadline = Date.now() + S.phaseSeconds * 1000;
    let rows;
    let produced;
    do {
      await sleep(250);
      rows = await statusCounts(ctx, tenantIds);
      produced = total(await endOffsets(ctx.admin)) - total(offsets);
    } while ((rows.all < accepted.accepted || produced < rows.counts.PENDING) && Date.now() < deadline);
    log(`backlog ready: ${rows.all} rows (${JSON.stringify(rows.counts)}), ${produced} dispatches`);
    const backlog = { tenantIds, offsets, accepted: rows.all };
    // 2. The floor drains it; the rows go back to PENDING. 3. A gateway drains it.
    const floor = await drain(ctx, 'floor', backlog);
    await floor.deliverer.stop();
    results.push(floor.out);
    await resetFloorRows(ctx.database.pool, tenantIds);
    const gateway = await drain(ctx, 'gateway', backlog);
    results.push(gateway.out);
    if (S.phases.includes('ingest')) results.push(await ingest(ctx, 'gateway', gateway.deliverer));
    else await gateway.deliverer.stop();
  } else if (S.phases.includes('ingest')) {
    await setGroupOffsets(ctx.admin, GATEWAY_GROUP, await endOffsets(ctx.admin));
    results.push(await ingest(ctx, 'gateway', await startDeliverer(ctx, 'gateway')));
  }
  if (S.phases.includes('ingest')) {
    // 4b. The floor, from the topic's current end.
    const group = `${PREFIX}floor-ingest-${randomUUID().slice(0, 8)}`;
    await setGroupOffsets(ctx.admin, group, await endOffsets(ctx.admin));
    const floor = await startDeliverer(ctx, 'floor', group.slice(PREFIX.length));
    results.push(await ingest(ctx, 'floor', floor));
  }
  ctx.deliverer = undefined;
  await deleteTenants(ctx);
  return results;
}

async function main() {
  const env = stackEnv();
  for (const url of [env.databaseUrl, env.redisUrl, env.centrifugoUrl, ...env.kafkaBrokers.map((b) => `tcp://${b}`)]) {
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname))
      throw new Error(`refusing a non-loopback stack address: ${url}`);
  }
  const machine = machineInfo(ROOT);
  const loadBefore = loadAverage();
  log(`${S.runs} runs of ${S.events} events; load before: ${loadBefore}`);
  const admin = new Admin({ clientId: 'bench-e2e-admin', bootstrapBrokers: env.kafkaBrokers });
  await dropBenchTopics(admin);
  execFileSync('node', [join(ROOT, 'apps/api/dist/main.cli.js'), 'topics', 'ensure', '--quiet'], {
    env: serviceEnv({ KAFKA_TOPIC_PREFIX: PREFIX }),
  });
  admin.partitions = (await admin.metadata({ topics: [DISPATCH_TOPIC] })).topics.get(DISPATCH_TOPIC).partitionsCount;

  fake = new FakeResend();
  await fake.start();
  const ctx = {
    env,
    admin,
    database: createDatabase(env.databaseUrl, { max: 4, applicationName: 'bench-e2e' }),
    box: new SecretBox(parseKeyring(env.raw.CREDENTIALS_KEYS)),
    agent: new Agent({ connections: S.concurrency, pipelining: 1 }),
    common: { KAFKA_TOPIC_PREFIX: PREFIX, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    allTenants: [],
    deliverer: undefined,
  };
  const apiPort = await freePort();
  ctx.api = `http://127.0.0.1:${apiPort}`;
  const api = await startNode(
    'api',
    join(ROOT, 'apps/api/dist/main.api.js'),
    serviceEnv({ ...ctx.common, API_PORT: String(apiPort) }),
    async () => (await fetch(`${ctx.api}/health/ready`).catch(() => undefined))?.ok === true,
  );
  const worker = await startNode('worker', join(ROOT, 'apps/api/dist/main.worker.js'), serviceEnv(ctx.common), async () => true);
  // The deliverer's column is the gateway or the floor, whichever runs in the phase.
  ctx.meter = cpuMeter({
    api: api.child.pid,
    worker: worker.child.pid,
    deliverer: () => ctx.deliverer ?? [],
    kafka: STACK_PROCESSES.kafka,
    postgres: STACK_PROCESSES.postgres,
    redis: STACK_PROCESSES.redis,
    centrifugo: STACK_PROCESSES.centrifugo,
    'load generator': process.pid,
    'stack apps': STACK_PROCESSES['stack apps'],
  });

  const runs = [];
  try {
    for (let run = 1; run <= S.runs; run++) runs.push(await runOnce(ctx, run));
  } finally {
    await deleteTenants(ctx).catch((error) => log('deleting tenants failed:', error.message));
    await ctx.agent.close().catch(() => {});
    await ctx.database.close().catch(() => {});
    await cleanUp();
    await dropBenchTopics(admin).catch(() => {});
    await admin.close().catch(() => {});
  }
  report({ runs, machine, loadBefore, loadAfter: loadAverage() });
}

// ---------------------------------------------------------------- report
function verdict(measured, target, higherIsBetter, unit = '') {
  if (!Number.isFinite(measured)) return 'not measured';
  const met = higherIsBetter ? measured >= target : measured <= target;
  if (met) return 'met';
  return higherIsBetter
    ? `**missed**: ${fmtNumber(measured, unit ? 0 : 2)}${unit} is ${fmtNumber((100 * measured) / target)}% of the target (${fmtNumber(target - measured, unit ? 0 : 2)}${unit} short)`
    : `**missed**: ${fmtNumber(measured / target, 1)}× the limit`;
}

function report({ runs, machine, loadBefore, loadAfter }) {
  const names = [...new Set(runs.flat().map((r) => r.name))];
  const series = (name) => runs.map((phases) => phases.find((r) => r.name === name)).filter(Boolean);
  const col = (rs, f) => rs.map(f);
  const ratio = (a, b, f) => {
    const A = series(a);
    const B = series(b);
    return A.map((r, i) => (B[i] ? f(r) / f(B[i]) : NaN));
  };
  const label = {
    'drain floor': 'backlog drain — floor',
    'drain gateway': 'backlog drain — gateway',
    'ingest gateway': 'end to end while ingesting — gateway',
    'ingest floor': 'end to end while ingesting — floor',
  };
  const floorOf = (name) => name.replace('gateway', 'floor');
  const processes = orderedNames(Object.keys(runs[0]?.[0]?.cpuUs ?? {}).filter((k) => k !== 'machine' && k !== 'other'));
  const lines = [];
  const p = (s = '') => lines.push(s);
  p('## End-to-end delivery');
  p();
  p(
    `Generated by \`npm run bench:e2e\` (bench/e2e/run.mjs) on ${machine.date}; re-running replaces this section. Every figure is the **median of ${runs.length} run${runs.length === 1 ? '' : 's'}, with the range in brackets**.`,
  );
  p();
  p(
    `- **Command:** \`npm run bench:e2e\` = \`bash infra/with-env.sh node bench/e2e/run.mjs\`; BENCH_EVENTS=${S.events} BENCH_RUNS=${S.runs} BENCH_TENANTS=${S.tenants} BENCH_CONCURRENCY=${S.concurrency} BENCH_GATEWAYS=${S.gateways} BENCH_PHASES=${S.phases.join(',')}.`,
  );
  p(
    `- **Code:** commit ${machine.commit}${machine.dirty ? ' with uncommitted changes in apps/ or packages/ (the built dist/ was measured)' : ''}: the pipeline as it was at that commit (others are reshaping it; re-run for current figures).`,
  );
  p(
    `- **Machine:** ${machine.describe()}. Everything on this one host, over loopback: PostgreSQL, Redis, Kafka, Centrifugo (idle), the shared stack's own idle API/worker/gateway/admin ("stack apps"), the bench's API, worker and deliverer, and this process, which is both the load generator and the fake Resend.`,
  );
  p(
    `- **Load average** (\`uptime\`, 1/5/15 min) before the bench: ${loadBefore}; after: ${loadAfter}; at the start of each phase: in the table.`,
  );
  p(
    `- **Deliverers.** *gateway* = apps/gateway/dist/main.js, as deployed${S.gateways > 1 ? ` — ${S.gateways} processes in one consumer group, sharing the partitions (their CPU summed)` : ''}: per tenant of each fetched batch, one claim transaction, concurrent sends, one outcome transaction, one produce request per topic for retries and dead letters; with its breakers, send-rate limits, retries, tracing hooks, metrics and sweeper. *floor* = bench/e2e/floor.mjs: the same @orqestra/bus consumer, the same PostgreSQL tables under the services' role, the same fake vendor, doing only consume → one claim statement per fetched batch → the vendor calls (concurrent, in order per key) → one transaction with every outcome (one UPDATE, attempt rows inserted per tenant) → offset commit.`,
  );
  p(
    `- **Phases.** *Backlog drain*: ${S.events.toLocaleString('en')} EMAIL events are accepted and written by the worker first, with nothing delivering; then the floor drains them, the rows are put back to PENDING, and a fresh gateway drains them (each deliverer from the backlog's first offsets, in a group of its own); rate = notifications / (first vendor call → last terminal), so the deliverer's start-up is left out; CPU is counted from the moment it reports ready (consumer started; the group join and first fetch are in). *End to end while ingesting*: ${S.events.toLocaleString('en')} new events (new tenants) triggered with ${S.concurrency} requests in flight while the deliverer runs; rate = notifications / (first trigger → last terminal). Terminal = SENT or FAILED; a phase ends at its terminal count or after ${S.phaseSeconds} s, and reports what was not terminal. The bench counts rows once a second, and every 50 ms once the vendor has seen every send (that PostgreSQL CPU is in the figures).`,
  );
  p(
    "- **CPU** is from /proc/<pid>/stat over the phase, as **CPU-µs per delivered notification** (SENT + FAILED); *machine* is every CPU's busy time from /proc/stat (everything on the host), *other* = machine − the listed processes (kernel, other people's tests); *bench processes* = API, worker, deliverer, Kafka, PostgreSQL, Redis, Centrifugo and this process, which is what the path used whatever else the machine did. *deliverer* is the gateway or the floor.",
  );
  p();
  // The bench's own processes: what the delivery path used, whatever else the machine was doing.
  const path = (r) =>
    processes.filter((k) => k !== 'stack apps').reduce((sum, k) => sum + (Number.isFinite(r.cpuUs[k]) ? r.cpuUs[k] : 0), 0);
  p(
    '| phase | notifications/s | ratio to floor (rate) | SENT / FAILED / not terminal (per run) | vendor accepted (per run) | machine CPU-µs / notification | bench processes CPU-µs / notification | ratio to floor (bench processes CPU) | accept → SENT p50 / p99 ms | load avg at phase start (per run) |',
  );
  p('|---|---:|---:|---|---|---:|---:|---:|---|---|');
  for (const name of names) {
    const rs = series(name);
    const isGateway = name.includes('gateway') && names.includes(floorOf(name));
    p(
      `| ${label[name] ?? name} | **${fmtRange(col(rs, (r) => r.rate))}** | ${
        isGateway
          ? fmtRange(
              ratio(name, floorOf(name), (r) => r.rate),
              2,
            )
          : '—'
      } | ${rs.map((r) => `${r.sent} / ${r.failed} / ${r.notTerminal}${r.otherStatuses && r.notTerminal ? ` (${r.otherStatuses})` : ''}`).join('; ')} | ${rs.map((r) => r.vendor).join('; ')} | ${fmtRange(col(rs, (r) => r.cpuUs.machine))} | ${fmtRange(col(rs, path))} | ${isGateway ? fmtRange(ratio(name, floorOf(name), path), 2) : '—'} | ${rs[0]?.p50 !== undefined ? `${fmtRange(col(rs, (r) => r.p50))} / ${fmtRange(col(rs, (r) => r.p99))}` : '—'} | ${rs.map((r) => r.loadStart.split(' / ')[0]).join('; ')} |`,
    );
  }
  p();
  p('CPU-µs per delivered notification, by process (median, range):');
  p();
  p(`| phase | ${[...processes, 'other', 'machine'].join(' | ')} |`);
  p(`|---|${[...processes, 'other', 'machine'].map(() => '---:|').join('')}`);
  for (const name of names) {
    const rs = series(name);
    p(`| ${label[name] ?? name} | ${[...processes, 'other', 'machine'].map((k) => fmtRange(col(rs, (r) => r.cpuUs[k]))).join(' | ')} |`);
  }
  p();
  const dg = series('drain gateway');
  const ig = series('ingest gateway');
  const drainRate = stats(col(dg, (r) => r.rate)).median;
  const drainRatio = stats(ratio('drain gateway', 'drain floor', (r) => r.rate)).median;
  const drainCpu = stats(col(dg, (r) => r.cpuUs.machine)).median;
  const ingestRate = stats(col(ig, (r) => r.rate)).median;
  p('### Against the targets (issue 10)');
  p();
  p('| target (must) | measured (median) | verdict |');
  p('|---|---:|---|');
  p(
    `| backlog drain ≥ ${TARGETS.drainRate.toLocaleString('en')} notifications/s | ${fmtNumber(drainRate)}/s | ${verdict(drainRate, TARGETS.drainRate, true, '/s')} |`,
  );
  p(
    `| backlog drain ≥ ${TARGETS.drainRatio}× the delivery floor | ${fmtNumber(drainRatio, 2)}× | ${verdict(drainRatio, TARGETS.drainRatio, true)} |`,
  );
  p(
    `| machine CPU while draining ≤ ${TARGETS.drainCpuUs.toLocaleString('en')} µs per notification | ${fmtNumber(drainCpu)} µs | ${verdict(drainCpu, TARGETS.drainCpuUs, false)} |`,
  );
  p(
    `| end to end while ingesting ≥ ${TARGETS.ingestRate}/s | ${fmtNumber(ingestRate)}/s | ${verdict(ingestRate, TARGETS.ingestRate, true, '/s')} |`,
  );
  p();
  const md = lines.join('\n');
  process.stdout.write(`${md}\n`);
  if (S.writeDoc) log(`wrote ${writeSection(ROOT, 'End-to-end delivery', md)}`);
}

main().catch(async (error) => {
  log('failed:', error?.stack ?? error);
  await cleanUp();
  process.exit(1);
});
